/**
 * The AWS calls the event-source pollers make (SQS ReceiveMessage and DeleteMessageBatch, DynamoDB
 * Streams' DescribeStream, GetShardIterator and GetRecords, S3 reads for notifications), counted on
 * the clients the local cloud gives them. In AWS these are Lambda's own pollers, not Herald's code:
 * a benchmark reports them apart from the calls the functions make.
 */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

export interface CallCounts {
  /** `client`, each command it sends counted under `<service>.<operation>`. */
  count<T extends object>(client: T, service: string): T;
  /** Every call counted so far, by `<service>.<operation>` (a copy: diff two to measure a span). */
  snapshot(): Record<string, number>;
}

export function callCounts(): CallCounts {
  const counts = new Map<string, number>();
  return {
    count(client, service) {
      (client as unknown as MiddlewareClient).middlewareStack.add(
        (next, context) => (args) => {
          const name = `${service}.${context.commandName?.replace(/Command$/, '') ?? 'unknown'}`;
          counts.set(name, (counts.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: 'initialize', name: 'eventSourceCallCounter' },
      );
      return client;
    },
    snapshot: () => Object.fromEntries(counts),
  };
}
