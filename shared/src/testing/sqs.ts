/**
 * Test support, never used by a handler. A real SQS for tests: fauxqs, which enforces SQS's documented limits (10 entries and 1 MiB per
 * SendMessageBatch call, the queue's MaximumMessageSize per message, attributes counted in both),
 * and a proxy in front of it that can refuse chosen entries the way SQS does under load.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

export interface TestSqs {
  client: SQSClient;
  endpoint: string;
  queue(attributes?: Record<string, string>): { url: string; name: string };
  server: FauxqsServer;
  stop(): Promise<void>;
}

let queues = 0;

export function sqsClient(endpoint: string, maxAttempts = 3): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    useQueueUrlAsEndpoint: false,
    maxAttempts,
  });
}

export async function startSqs(): Promise<TestSqs> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = sqsClient(endpoint);
  return {
    client,
    endpoint,
    server,
    queue: (attributes = {}) => {
      const name = `test-${process.pid}-${queues++}`;
      return { url: server.createQueue(name, { attributes }).queueUrl, name };
    },
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}

/** The bodies queued, in the order SQS took them. */
export function queued(sqs: TestSqs, name: string) {
  const queue = sqs.server.inspectQueue(name)!;
  return [...queue.messages.ready, ...queue.messages.delayed];
}

interface BatchEntry {
  Id: string;
  MessageBody: string;
}

export interface RefusingProxy {
  endpoint: string;
  /** The entries of each SendMessageBatch call that reached the proxy, by body. */
  calls: string[][];
  stop(): Promise<void>;
}

const read = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Forwards to `target`, except that SendMessageBatch entries for which `refuse` answers a code
 * are answered as failed (SenderFault false, as SQS does for a passing fault) without reaching it.
 */
export async function refusingProxy(
  target: string,
  refuse: (body: string, call: number) => string | undefined,
): Promise<RefusingProxy> {
  const calls: string[][] = [];
  const server: Server = createServer(async (request, response) => {
    const text = await read(request);
    const headers = { ...request.headers } as Record<string, string>;
    delete headers['content-length'];
    let payload = text;
    const failed: Array<{ Id: string; Code: string; SenderFault: boolean; Message: string }> = [];
    if (headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch') {
      const input = JSON.parse(text) as { Entries: BatchEntry[] };
      calls.push(input.Entries.map((entry) => entry.MessageBody));
      input.Entries = input.Entries.filter((entry) => {
        const code = refuse(entry.MessageBody, calls.length);
        if (code !== undefined)
          failed.push({ Id: entry.Id, Code: code, SenderFault: false, Message: 'try again' });
        return code === undefined;
      });
      if (input.Entries.length === 0) {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ Successful: [], Failed: failed }));
        return;
      }
      payload = JSON.stringify(input);
    }
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      body: payload,
    });
    const out = await upstream.text();
    const answer = failed.length > 0 && upstream.ok ? JSON.parse(out) : undefined;
    if (answer) answer.Failed = [...(answer.Failed ?? []), ...failed];
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' });
    response.end(answer ? JSON.stringify(answer) : out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
