/**
 * The local cloud's SQS (and S3) endpoint: fauxqs, behind a small front that answers the SQS operations
 * fauxqs lacks and passes every other request through untouched (streamed both ways, Host header kept,
 * so queue URLs and S3 virtual-hosted requests read as they would without it):
 *
 *   StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask   dead-letter queue redrive (tasks.ts)
 *   ListDeadLetterSourceQueues                                         the queues whose redrive policy names a queue
 *
 * and makes fauxqs's standard queues fair queues (../sqs-fair-queues): it reads the MessageGroupId of
 * what SendMessage and SendMessageBatch send, which fauxqs drops, before passing them on unchanged.
 *
 * The tasks move messages through fauxqs's own SQS API, as any client would.
 */
import {
  createServer,
  request as forwardRequest,
  Agent,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optionalNumber, optionalString, requiredString, type JsonObject } from '../aws-json-protocol';
import { clientConfig } from '../aws';
import { listenOnLoopback, type PortUse } from '../ports';
import { expectGroups, groupsOfSend, installFairQueues } from '../sqs-fair-queues';
import { answer, noSuchQueue, operationOf, SQS_TARGET_PREFIX, type SqsOperation } from './protocol';
import { QueueDirectory } from './queues';
import { MessageMoveTasks } from './tasks';

export interface SqsFront {
  readonly endpoint: string;
  readonly port: number;
  readonly tasks: MessageMoveTasks;
  stop(): Promise<void>;
}

export interface SqsFrontOptions {
  /** Where fauxqs listens. */
  target: string;
  port: number | 'auto';
  use: PortUse;
  log?: (line: string) => void;
}

/** What the front answers itself: the operations fauxqs lacks. */
const FRONT_OPERATIONS = [
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
  'ListDeadLetterSourceQueues',
] as const;

function operations(
  tasks: MessageMoveTasks,
  queues: QueueDirectory,
): Record<(typeof FRONT_OPERATIONS)[number], SqsOperation> {
  return {
    StartMessageMoveTask: (input: JsonObject) => {
      const destinationArn = optionalString(input, 'DestinationArn');
      const rate = optionalNumber(input, 'MaxNumberOfMessagesPerSecond');
      return tasks.start({
        sourceArn: requiredString(input, 'SourceArn'),
        ...(destinationArn !== undefined ? { destinationArn } : {}),
        ...(rate !== undefined ? { maxNumberOfMessagesPerSecond: rate } : {}),
      });
    },
    ListMessageMoveTasks: (input: JsonObject) =>
      tasks.list(requiredString(input, 'SourceArn'), optionalNumber(input, 'MaxResults') ?? 1),
    CancelMessageMoveTask: (input: JsonObject) => tasks.cancel(requiredString(input, 'TaskHandle')),
    ListDeadLetterSourceQueues: async (input: JsonObject) => {
      const queue = await queues.byUrl(requiredString(input, 'QueueUrl'));
      if (!queue) throw noSuchQueue();
      // One page: Herald's dead-letter queues have a source or two, not a thousand.
      return { queueUrls: (await queues.sourcesOf(queue.arn)).map((source) => source.url) };
    },
  };
}

export async function startSqsFront(options: SqsFrontOptions): Promise<SqsFront> {
  const log = options.log ?? ((line: string) => console.error(line));
  await installFairQueues();
  const sqs = new SQSClient({ ...clientConfig(options.target), useQueueUrlAsEndpoint: false });
  const queues = new QueueDirectory(sqs);
  const tasks = new MessageMoveTasks(sqs, queues, log);
  const handled = operations(tasks, queues);
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });

  const server = createServer((request, response) => {
    const operation = operationOf(request, handled);
    if (operation) void answer(operation, request, response, log);
    else if (SENDS.has(String(request.headers['x-amz-target'])))
      passSend(request, response, target, agent).catch(() => {
        // The client went away while sending.
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
    else pass(request, response, target, agent);
  });
  // SDK clients keep connections alive; without this a stopped front would wait for them to time out.
  server.keepAliveTimeout = 1000;
  const port = await listenOnLoopback(server, options.port, options.use);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    tasks,
    async stop() {
      await tasks.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      agent.destroy();
      sqs.destroy();
    },
  };
}

const SENDS = new Set(['SendMessage', 'SendMessageBatch'].map((name) => `${SQS_TARGET_PREFIX}${name}`));

/** The operations the front answers itself (`x-amz-target` values); fauxqs answers the rest. */
export const FRONT_TARGETS: ReadonlySet<string> = new Set(
  FRONT_OPERATIONS.map((name) => `${SQS_TARGET_PREFIX}${name}`),
);

/** A send, read whole so its group ids are known before fauxqs enqueues, then passed on unchanged. */
async function passSend(request: IncomingMessage, response: ServerResponse, target: URL, agent: Agent) {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  response.on('close', expectGroupsOfSend(request.headers['x-amz-target'], body));
  pass(request, response, target, agent, body);
}

/**
 * Hands the fair queues the group ids of a SendMessage or SendMessageBatch (AWS JSON) about to reach
 * fauxqs, which drops them; returns what forgets them once fauxqs has answered. Anything else: nothing.
 */
export function expectGroupsOfSend(target: string | string[] | undefined, body: Buffer): () => void {
  if (!SENDS.has(String(target))) return () => undefined;
  let sent: ReturnType<typeof groupsOfSend>;
  try {
    sent = groupsOfSend(String(target).slice(SQS_TARGET_PREFIX.length), JSON.parse(body.toString('utf8')));
  } catch {
    // Not JSON: fauxqs answers it as it would.
  }
  return sent ? expectGroups(sent.queueName, sent.entries) : () => undefined;
}

/** Forwards one request to fauxqs and its answer back, as they stream (or `body`, already read). */
function pass(
  request: IncomingMessage,
  response: ServerResponse,
  target: URL,
  agent: Agent,
  body?: Buffer,
): void {
  const upstream = forwardRequest(
    {
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
      agent,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
  // A client that gives up (a poller stopping mid long poll) gives up upstream too.
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  if (body) upstream.end(body);
  else request.pipe(upstream);
}
