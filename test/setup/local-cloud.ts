/**
 * What an integration test needs of the shared local cloud: its endpoints, SDK clients pointed at
 * the emulators, tokens from its identity provider, and what the services logged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloudEndpoints } from '@herald/local-cloud';
import {
  clientConfig,
  issueToken,
  loadOrCreateSigningKey,
  type LocalCloudPorts,
  type TokenClaims,
} from '@herald/local-cloud/client';

export interface SharedLocalCloud {
  endpoints: LocalCloudEndpoints;
  outputs: Record<'processing' | 'ingest' | 'notifications', Record<string, string>>;
  awsEnv: Record<string, string>;
  ports: LocalCloudPorts;
  identityKeyDir: string;
}

export function localCloud(): SharedLocalCloud {
  const raw = process.env.HERALD_LOCAL_CLOUD;
  if (!raw)
    throw new Error('No local cloud: run integration tests through `npm test` (Jest global setup starts it)');
  return JSON.parse(raw) as SharedLocalCloud;
}

export function awsClients() {
  const { endpoints } = localCloud();
  return {
    sqs: new SQSClient({ ...clientConfig(endpoints.aws.sqs), useQueueUrlAsEndpoint: false }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(endpoints.aws.dynamodb))),
  };
}

/** A token the running services accept, signed by the local identity provider's key. */
export async function tokenFor(claims: TokenClaims): Promise<string> {
  const cloud = localCloud();
  const key = await loadOrCreateSigningKey(cloud.identityKeyDir);
  return issueToken(key.privateKey, key.kid, cloud.endpoints.issuer, claims);
}

export type Service = 'ingest' | 'processing' | 'notifications' | 'tenants';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One call to a service's HTTP API as the bearer of `token`: a body goes as JSON, and the answer is
 * read as JSON (`{}` when it has none).
 */
export async function callService<T = Record<string, unknown>>(
  service: Service,
  token: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const response = await fetch(`${localCloud().endpoints.services[service]}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A service's log on the shared local cloud (its log directory is test/setup/global-setup.mjs's). */
export function serviceLog(service: Service): Promise<string> {
  return readFile(join(process.cwd(), '.local-cloud', 'test-logs', `${service}.log`), 'utf8');
}

/**
 * The JSON log records a service's functions wrote on the shared local cloud (its log directory is
 * test/setup/global-setup.mjs's). Records are found wherever they start, not only at line starts:
 * a function's output can interleave with its runner's.
 */
export async function serviceLogRecords(service: Service): Promise<Array<Record<string, unknown>>> {
  const text = await serviceLog(service);
  return text.split('{"level":').flatMap((chunk) => {
    try {
      return [JSON.parse(`{"level":${chunk.split('\n')[0]}`) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
