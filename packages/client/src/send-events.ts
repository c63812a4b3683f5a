/**
 * POST /v1/events for any number of events: batches of at most 100 (the API's limit), one
 * Idempotency-Key per batch kept across that batch's retries, so a retry re-sends the same ids and
 * processing stores each event once however often it is sent.
 *
 * - 202: every event of the batch is queued.
 * - 207: some were not confirmed. If any is `retryable`, the same body goes again with the same key
 *   (ingest signs the same envelopes again: what was queued is stored once); the ones the queue
 *   refused for what they hold are rejected.
 * - 429 and 503 (and no answer at all): the same request again after `Retry-After` (or a backoff).
 * - Any other problem (422 validation, 413, 401...): each event of the batch is rejected with it.
 * After `maxAttempts` the events still unconfirmed are rejected with the last problem, `retryable`.
 */
import type { components } from './herald-api.generated';
import { HeraldNetworkError, HeraldProblem, problemFromAnswer } from './problem';
import { sent, type Transport } from './transport';

export type EventInput = components['schemas']['EventInput'];
type BatchAnswer = components['schemas']['PartiallyAcceptedEvents'];

export type EventResult =
  | { status: 'accepted'; id: string }
  | {
      status: 'rejected';
      /** The event's id when it is known (its own, or the one ingest gave it before it failed). */
      id?: string;
      error: HeraldProblem | HeraldNetworkError;
      /** Whether sending it again (with the same id) may succeed. */
      retryable: boolean;
    };

export interface SendEventsOptions {
  /** Events per request, 1-100 (default 100). */
  batchSize?: number;
  /** Requests per batch at most, the first included (default 5). */
  maxAttempts?: number;
  /** The Idempotency-Key of the nth batch (default: a random UUID per batch). Give stable keys to
   * resume a run that stopped: a batch sent again with its key gets the same ids. */
  idempotencyKey?: (batch: number) => string;
  /** Milliseconds to wait before the nth attempt when the API named no time (default 0.5 s doubling to 20 s). */
  backoffMs?: (attempt: number) => number;
  /** How to wait (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
  /** Carried through every log line of the work the events cause. */
  correlationId?: string;
}

export interface SendEventsResult {
  /** One per event, in the order given. */
  results: EventResult[];
  accepted: number;
  rejected: number;
}

export const MAX_BATCH = 100;
const defaultBackoff = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 20_000);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendEvents(
  transport: Transport,
  events: readonly EventInput[],
  options: SendEventsOptions = {},
): Promise<SendEventsResult> {
  const batchSize = options.batchSize ?? MAX_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new RangeError(`batchSize must be 1 to ${MAX_BATCH}`);
  }
  const results: EventResult[] = [];
  for (let start = 0, batch = 0; start < events.length; start += batchSize, batch++) {
    const key = options.idempotencyKey?.(batch) ?? globalThis.crypto.randomUUID();
    results.push(...(await sendBatch(transport, events.slice(start, start + batchSize), key, options)));
  }
  const accepted = results.filter((result) => result.status === 'accepted').length;
  return { results, accepted, rejected: results.length - accepted };
}

async function sendBatch(
  transport: Transport,
  events: readonly EventInput[],
  key: string,
  options: SendEventsOptions,
): Promise<EventResult[]> {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoffMs ?? defaultBackoff;
  const sleep = options.sleep ?? defaultSleep;
  const results: Array<EventResult | undefined> = events.map(() => undefined);
  const ids: Array<string | undefined> = events.map((event) => event.id);
  const settle = (index: number, result: EventResult) => {
    results[index] ??= result;
  };
  const settleRest = (error: HeraldProblem | HeraldNetworkError, retryable: boolean) =>
    events.forEach((_, index) =>
      settle(index, { status: 'rejected', ...idOf(ids[index]), error, retryable }),
    );

  for (let attempt = 1; ; attempt++) {
    let waitSeconds: number | undefined;
    let lastError: HeraldProblem | HeraldNetworkError;
    try {
      const { response, data, error } = await sent(
        transport.api.ingest.POST('/v1/events', {
          body: { events: [...events] },
          params: { header: { 'Idempotency-Key': key, ...correlation(options) } },
        }),
        { method: 'POST', path: '/v1/events' },
      );
      if (response.status === 202) {
        const answer = data as { ids: string[] };
        events.forEach((_, index) => settle(index, { status: 'accepted', id: answer.ids[index]! }));
        return results as EventResult[];
      }
      if (response.status === 207) {
        const answer = data as BatchAnswer;
        answer.events.forEach((item, index) => {
          ids[index] = item.id;
          if (item.status === 'accepted') settle(index, { status: 'accepted', id: item.id });
          else if (!item.retryable)
            settle(index, { status: 'rejected', id: item.id, error: refused(response), retryable: false });
        });
        if (results.every((result) => result !== undefined)) return results as EventResult[];
        lastError = notConfirmed(response);
      } else {
        const problem = problemFromAnswer(response, error);
        problem.events?.forEach((item, index) => (ids[index] = item.id));
        if (response.status !== 429 && response.status !== 503) {
          settleRest(problem, false);
          return results as EventResult[];
        }
        lastError = problem;
        waitSeconds = problem.retryAfterSeconds;
      }
    } catch (error) {
      if (!(error instanceof HeraldNetworkError)) throw error;
      lastError = error;
    }
    if (attempt >= maxAttempts) {
      settleRest(lastError, true);
      return results as EventResult[];
    }
    await sleep(waitSeconds === undefined ? backoff(attempt) : waitSeconds * 1000);
  }
}

const idOf = (id: string | undefined) => (id === undefined ? {} : { id });
const correlation = (options: SendEventsOptions) =>
  options.correlationId === undefined ? {} : { 'X-Correlation-Id': options.correlationId };

/** What a 207 says of an event the queue refused for what it holds (as a 422 says of all of them). */
const refused = (response: Response) =>
  new HeraldProblem(
    {
      type: 'https://herald.dev/problems/events-refused',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The queue refused this event for what it holds; sending it again will not help.',
    },
    response.headers,
  );

/** What a 207 says of an event that was not confirmed, once the attempts are spent. */
const notConfirmed = (response: Response) =>
  new HeraldProblem(
    {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The queue did not confirm this event; send it again with its id, so it is stored once.',
    },
    response.headers,
  );
