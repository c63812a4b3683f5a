/**
 * What a port contract test needs: SDK clients pointed at the emulators the contract project's global
 * setup started (./contract-global-setup.mjs), tables and queues shaped as each service's packaged
 * template declares them, and `describePort` to run one suite of promises against every
 * implementation of a port (the in-memory stand-in and the real adapter), so a stand-in can never
 * promise what the real thing does not do.
 */
import { randomUUID } from 'node:crypto';
import { describe } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  clientConfig,
  createQueueFromTemplate,
  createTableFromTemplate,
  loadTemplate,
  type Template,
} from '@herald/local-cloud';
import { CONTRACT_ENV, type ContractEnvironment } from './contract-environment';

export type ServiceName = 'ingest' | 'processing' | 'notifications';

function environment(): ContractEnvironment {
  const raw = process.env[CONTRACT_ENV];
  if (!raw)
    throw new Error(
      'No emulators: run contract tests through `npm test -- --selectProjects contract` (its global setup starts them)',
    );
  return JSON.parse(raw) as ContractEnvironment;
}

export interface ContractAws {
  /** Configured as the services' own (undefined attributes dropped). */
  dynamodb: DynamoDBDocumentClient;
  /** Sends every call to the emulator, so the AWS-style queue URLs of queueFromTemplate work. */
  sqs: SQSClient;
  s3: S3Client;
  /** The local cloud's EventBridge emulator: create a bus of your own with CreateEventBus. */
  eventbridge: EventBridgeClient;
  /** The local cloud's KMS: make a key of your own with `kmsKey()`. */
  kms: KMSClient;
}

let clients: ContractAws | undefined;

/** SDK clients pointed at the emulators the contract project's global setup started. */
export function contractAws(): ContractAws {
  if (clients) return clients;
  const at = environment();
  clients = {
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(at.dynamodb)), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: new SQSClient({ ...clientConfig(at.sqs), useQueueUrlAsEndpoint: false }),
    s3: new S3Client({ ...clientConfig(at.s3), forcePathStyle: true }),
    eventbridge: new EventBridgeClient(clientConfig(at.eventbridge)),
    kms: new KMSClient(clientConfig(at.kms)),
  };
  return clients;
}

const templates = new Map<ServiceName, Promise<Template>>();
const template = (service: ServiceName): Promise<Template> => {
  let loaded = templates.get(service);
  if (!loaded) templates.set(service, (loaded = loadTemplate(environment().templates[service])));
  return loaded;
};

/** Unique within the emulators' lifetime, and short enough for SQS's 80-character queue names. */
export const uniqueName = (service: ServiceName, logicalId: string): string =>
  `${`${service}-${logicalId}`.slice(0, 70)}-${randomUUID().slice(0, 8)}`;

/**
 * A new empty table with the key schema, GSIs and TTL of `logicalId` in the service's packaged
 * template (stage local), under a unique name; returns the name. Streams off.
 */
export async function tableFromTemplate(service: ServiceName, logicalId: string): Promise<string> {
  const name = uniqueName(service, logicalId);
  await createTableFromTemplate(contractAws().dynamodb, await template(service), logicalId, name);
  return name;
}

/** A new symmetric KMS key of the test's own; returns its ARN. */
export async function kmsKey(description: string): Promise<string> {
  const { KeyMetadata } = await contractAws().kms.send(new CreateKeyCommand({ Description: description }));
  return KeyMetadata!.Arn!;
}

/**
 * A new empty standard queue with the attributes of `logicalId` in the template (unique name); returns
 * its URL. Attributes naming other resources (KMS key, redrive to a dead-letter queue) are left out.
 */
export async function queueFromTemplate(service: ServiceName, logicalId: string): Promise<string> {
  const name = uniqueName(service, logicalId);
  const { url } = await createQueueFromTemplate(contractAws().sqs, await template(service), logicalId, name);
  return url;
}

/**
 * Receives (and deletes) messages from `queueUrl` until `count` have arrived; their bodies, in the
 * order received. Fails after `timeoutMs` with what did arrive.
 */
export async function receiveBodies(queueUrl: string, count: number, timeoutMs = 15_000): Promise<string[]> {
  const { sqs } = contractAws();
  const bodies: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (bodies.length < count) {
    if (Date.now() > deadline)
      throw new Error(
        `${bodies.length} of ${count} messages arrived in ${timeoutMs} ms: ${bodies.join('\n')}`,
      );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) continue;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
  return bodies;
}

/** Messages in the queue, visible, in flight or delayed: 0 once everything sent was received. */
export async function queueDepth(queueUrl: string): Promise<number> {
  const names = [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateNumberOfMessagesDelayed',
  ] as const;
  const { Attributes = {} } = await contractAws().sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
  );
  return names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
}

/**
 * Runs `suite` once per implementation, as `describe(`${port} — ${impl.name}`)`. `make` gives a fresh,
 * empty instance for each test (call it in the test or in beforeEach).
 */
export function describePort<P>(
  port: string,
  implementations: ReadonlyArray<{ name: string; make: () => P | Promise<P> }>,
  suite: (make: () => Promise<P>) => void,
): void {
  for (const implementation of implementations) {
    describe(`${port} — ${implementation.name}`, () => {
      suite(async () => implementation.make());
    });
  }
}
