/**
 * The operator routes every service with dead-letter queues serves on its own HTTP API:
 *
 *   GET  /v1/operator/dead-letters                   each queue: counts, oldest message, source, redrive
 *   GET  /v1/operator/dead-letters/{queue}?sample=N  the same and up to 10 messages, left in the queue
 *   POST /v1/operator/dead-letters/{queue}/redrive   send them back (202 with a move task, or 200 with what was resent)
 *   GET  /v1/operator/dead-letters/{queue}/redrive   the queue's move tasks
 *
 * Dead-letter queues hold every tenant's messages: these routes are for operators, whatever tenant
 * their token names, and only for tokens with the operator scope.
 */
import type { HttpEvent, HttpResult } from '../entry/http';
import { HttpProblem, problemType } from '../problem';
import { entryById, type CatalogEntry } from './catalog';
import { DEFAULT_SAMPLE, describeRedrive, peek, redrives, summarise } from './inspect';
import { MoveRefused, type DeadLetterQueues, type MoveTask } from './ports';
import type { RedriveTasks } from './dead-letter-responses.types.generated';
import { redrive } from './redrive';
import type { RedriveDeadLettersBody } from './redrive-dead-letters.types.generated';

export const OPERATOR_SCOPE = 'operator:dead-letters';
export const ROUTE_PREFIX = '/v1/operator/dead-letters';

export interface DeadLetterDeps {
  /** The service whose queues these are, for the answer. */
  service: string;
  queues: DeadLetterQueues;
  /** The service's dead-letter queues, located (kept for the container's life by the caller). */
  catalog: () => Promise<CatalogEntry[]>;
  now: () => Date;
  /** How long one resend pass may take new batches, in milliseconds (well inside the API's 30 s). */
  resendBudgetMs?: number;
  /** Most messages one resend pass handles. */
  resendMaxMessages?: number;
}

const DEFAULT_RESEND_BUDGET_MS = 15_000;
const DEFAULT_RESEND_MAX_MESSAGES = 500;

async function entryOf(deps: DeadLetterDeps, event: HttpEvent<unknown>): Promise<CatalogEntry> {
  const catalog = await deps.catalog();
  const entry = entryById(catalog, event.pathParameters?.queue ?? '');
  if (entry) return entry;
  // The known ids, never the one asked for: the detail goes back verbatim.
  throw new HttpProblem(404, {
    type: problemType('dead-letter-queue-not-found'),
    detail: `No such dead-letter queue in ${deps.service}; it has: ${catalog.map((e) => e.id).join(', ')}`,
  });
}

function taskView(task: MoveTask): RedriveTasks['tasks'][number] {
  return {
    status: task.status,
    ...(task.handle !== undefined ? { taskHandle: task.handle } : {}),
    ...(task.startedAt ? { startedAt: task.startedAt.toISOString() } : {}),
    approximateNumberOfMessagesMoved: task.moved ?? 0,
    ...(task.toMove !== undefined ? { approximateNumberOfMessagesToMove: task.toMove } : {}),
    ...(task.destinationArn !== undefined ? { destinationArn: task.destinationArn } : {}),
    ...(task.maxMessagesPerSecond !== undefined ? { maxMessagesPerSecond: task.maxMessagesPerSecond } : {}),
    ...(task.failureReason !== undefined ? { failureReason: task.failureReason } : {}),
  };
}

/** The three GET routes, one function: the same role reads all of them. */
export function inspectDeadLettersRoute(deps: () => DeadLetterDeps) {
  return async (event: HttpEvent<unknown>): Promise<HttpResult> => {
    const d = deps();
    switch (event.routeKey) {
      case `GET ${ROUTE_PREFIX}`: {
        const catalog = await d.catalog();
        const now = d.now();
        const deadLetterQueues = await Promise.all(catalog.map((entry) => summarise(entry, d.queues, now)));
        return { statusCode: 200, body: { service: d.service, deadLetterQueues } };
      }
      case `GET ${ROUTE_PREFIX}/{queue}`: {
        const entry = await entryOf(d, event);
        const sample = Number(event.queryStringParameters?.sample ?? DEFAULT_SAMPLE);
        const { summary, messages } = await peek(entry, d.queues, sample, d.now());
        return { statusCode: 200, body: { ...summary, messages } };
      }
      case `GET ${ROUTE_PREFIX}/{queue}/redrive`: {
        const entry = await entryOf(d, event);
        const tasks = await redrives(entry, d.queues);
        return {
          statusCode: 200,
          body: {
            queue: entry.id,
            redrive: describeRedrive(entry),
            tasks: (tasks ?? []).map(taskView),
            ...(tasks === undefined
              ? { note: 'This queue is redriven within the POST, which answers with what it resent.' }
              : {}),
          },
        };
      }
      default:
        throw new HttpProblem(404, { detail: 'No such route' });
    }
  };
}

export function redriveDeadLettersRoute(deps: () => DeadLetterDeps) {
  return async (event: HttpEvent<RedriveDeadLettersBody | undefined>): Promise<HttpResult> => {
    const d = deps();
    const entry = await entryOf(d, event);
    const rate = event.body?.maxMessagesPerSecond;
    try {
      const result = await redrive(entry, d.queues, {
        ...(rate !== undefined ? { maxMessagesPerSecond: rate } : {}),
        deadline: d.now().getTime() + (d.resendBudgetMs ?? DEFAULT_RESEND_BUDGET_MS),
        maxMessages: d.resendMaxMessages ?? DEFAULT_RESEND_MAX_MESSAGES,
      });
      if (result.kind === 'move')
        return {
          statusCode: 202,
          headers: { location: `${ROUTE_PREFIX}/${entry.id}/redrive` },
          body: { queue: entry.id, ...result },
        };
      return { statusCode: 200, body: { queue: entry.id, ...result } };
    } catch (error) {
      if (!(error instanceof MoveRefused)) throw error;
      throw new HttpProblem(409, {
        type: problemType(error.why === 'already-running' ? 'redrive-running' : 'not-a-dead-letter-queue'),
        detail:
          error.why === 'already-running'
            ? `A redrive of ${entry.id} is already running; GET ${ROUTE_PREFIX}/${entry.id}/redrive shows it`
            : `SQS does not take ${entry.id} as a dead-letter queue of ${entry.source?.name ?? 'its source'}: its redrive policy names another queue`,
      });
    }
  };
}
