/**
 * A tiny HTTP server that records the request a real AWS SDK client sends and answers a canned
 * response, and facts about a few resources, so each test interprets exactly what the SDK sends.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpCall } from '../../../src/iam/calls';
import type { KeySchema, ResourceFacts } from '../../../src/iam/types';

export interface Recorder {
  endpoint: string;
  /** The last request received. */
  last(): HttpCall;
  /** Answer the next requests with this (default: 200 `{}` as JSON). */
  answer(status: number, body: string, headers?: Record<string, string>): void;
  stop(): Promise<void>;
}

const read = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function startRecorder(): Promise<Recorder> {
  let last: HttpCall | undefined;
  let canned = {
    status: 200,
    body: '{}',
    headers: { 'content-type': 'application/json' } as Record<string, string>,
  };
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      last = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      res.writeHead(canned.status, canned.headers);
      res.end(req.method === 'HEAD' ? undefined : canned.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    last: () => {
      if (!last) throw new Error('No request recorded');
      return last;
    },
    answer: (status, body, headers = { 'content-type': 'application/json' }) => {
      canned = { status, body, headers };
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:herald-local-email-link-key-AbCdEf`;
export const table = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
export const queue = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

const SCHEMAS: Record<string, KeySchema> = {
  subscriptions: { partitionKey: 'pk', sortKey: 'sk' },
  events: { partitionKey: 'tenantId', sortKey: 'eventId' },
  'events/byType': { partitionKey: 'tenantType', sortKey: 'receivedAt' },
  plain: { partitionKey: 'id' },
};

/** Tables `subscriptions` and `events` and queue `encrypted`, bucket `uploads` and the secret are under the key. */
export const facts: ResourceFacts = {
  accountId: ACCOUNT,
  region: REGION,
  partition: 'aws',
  keySchema: (t, index) => SCHEMAS[index ? `${t}/${index}` : t],
  secretArn: (id) => (id === 'herald-local-email-link-key' || id === SECRET_ARN ? SECRET_ARN : undefined),
  keyArn: (id) =>
    [
      KEY_ID,
      KEY_ARN,
      'alias/herald-local-notifications',
      `arn:aws:kms:${REGION}:${ACCOUNT}:alias/herald-local-notifications`,
    ].includes(id)
      ? KEY_ARN
      : undefined,
  encryptionKey: (arn) =>
    [
      table('subscriptions'),
      table('events'),
      queue('encrypted'),
      'arn:aws:s3:::uploads',
      SECRET_ARN,
    ].includes(arn)
      ? KEY_ARN
      : undefined,
};

/** Client settings for the recorder: one attempt, dummy credentials. */
export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'secret' },
  maxAttempts: 1,
});
