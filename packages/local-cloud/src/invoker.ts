/**
 * Invokes functions through serverless-offline's Lambda Invoke API with the real AWS SDK, the way
 * event source mappings and the event bus invoke them on AWS.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from './aws';
import { FunctionError, type FunctionInvoker } from './types';

export interface AsyncRetry {
  /** Lambda retries a failed asynchronous invocation twice, after about 1 and 2 minutes. */
  delaysMs: number[];
}

export class OfflineInvoker implements FunctionInvoker {
  private readonly clients = new Map<string, LambdaClient>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    /** Function name → the Lambda API endpoint of the serverless-offline that runs it. */
    private readonly endpoints: ReadonlyMap<string, string>,
    private readonly log: (message: string) => void,
    private readonly retry: AsyncRetry = { delaysMs: [60_000, 120_000] },
  ) {}

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const out = await this.client(functionName).send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    const result: unknown = text ? JSON.parse(text) : undefined;
    if (out.FunctionError) {
      const error = (result ?? {}) as { errorType?: string; errorMessage?: string };
      throw new FunctionError(functionName, error.errorType ?? out.FunctionError, error.errorMessage ?? '');
    }
    return result;
  }

  async invokeAsync(functionName: string, payload: unknown): Promise<void> {
    const run = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.invoke(functionName, payload);
          return;
        } catch (error) {
          const delay = this.retry.delaysMs[attempt];
          if (delay === undefined) {
            this.log(
              `asynchronous invocation of ${functionName} dropped after ${attempt + 1} attempts: ${String(error)}`,
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
        }
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when no asynchronous invocation is pending. */
  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private client(functionName: string): LambdaClient {
    const endpoint = this.endpoints.get(functionName);
    if (!endpoint) throw new Error(`No local function named ${functionName}`);
    let client = this.clients.get(endpoint);
    if (!client) {
      client = new LambdaClient({ ...clientConfig(endpoint), maxAttempts: 1 });
      this.clients.set(endpoint, client);
    }
    return client;
  }
}
