/** What POST /v1/events answers for each outcome of acceptEvents. */
import type { HttpContext, HttpEvent, HttpResult } from '@herald/shared/entry/http';
import { getHeader } from '@herald/shared/middleware/headers';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { monotonicFactory } from '@herald/shared/ulid';
import {
  acceptEvents,
  isBatch,
  MAX_ENVELOPE_BYTES,
  type AcceptEventsBody,
  type AcceptEventsDeps,
  type Deprecation,
} from '../accept-events';
import { parseIdempotencyKey } from '../idempotency';
import type { RateLimitStore } from '../limits';
import { admitRate, type LimitSettings } from './limits';

export type AcceptEventsPorts = Pick<AcceptEventsDeps, 'queue' | 'signer' | 'idempotency' | 'catalog'> & {
  limits: RateLimitStore;
};

export interface AcceptEventsSettings {
  maxBodyBytes: number;
  idempotencyTtlSeconds: number;
  limits: LimitSettings;
}

/** Deprecated types are named in the body, only when there are any: the events are accepted. */
const deprecated = (deprecations: Deprecation[] | undefined) =>
  deprecations && deprecations.length > 0 ? { deprecations } : {};

export function acceptEventsRoute(ports: () => Promise<AcceptEventsPorts>, settings: AcceptEventsSettings) {
  // Monotonic: ids made in the same millisecond still sort in the order of the batch.
  const newId = monotonicFactory();
  return async (event: HttpEvent<AcceptEventsBody>, context: HttpContext): Promise<HttpResult> => {
    const key = parseIdempotencyKey(getHeader(event.headers, 'idempotency-key'));
    if (!key.ok) {
      throw new HttpProblem(400, { type: problemType('invalid-idempotency-key'), detail: key.reason });
    }
    const deps = await ports();
    // Before anything is signed, recorded or queued: a refused request leaves nothing behind, and
    // a batch is counted (or refused) whole.
    const rateHeaders = await admitRate(
      context,
      isBatch(event.body) ? event.body.events.length : 1,
      deps.limits,
      settings.limits,
      () => new Date(),
    );
    const outcome = await acceptEvents(
      event.body,
      { tenantId: context.auth.tenantId, correlationId: context.correlationId },
      {
        ...deps,
        newId,
        now: () => new Date(),
        idempotencyTtlSeconds: settings.idempotencyTtlSeconds,
      },
      key.key === undefined ? {} : { idempotencyKey: key.key },
    );
    const pointer = (index: number) => (isBatch(event.body) ? `/body/events/${index}` : '/body');
    switch (outcome.kind) {
      case 'invalid':
        throw new HttpProblem(422, {
          type: problemType('validation-failed'),
          title: 'Unprocessable Content',
          detail: `The request holds ${outcome.violations.length} value(s) that cannot be carried as sent or that break their event type's schema`,
          extra: {
            errors: outcome.violations.map(({ index, path, message }) => ({
              pointer: `${pointer(index)}${path}`,
              message,
            })),
          },
        });
      case 'too-large':
        throw new HttpProblem(413, {
          type: problemType('event-too-large'),
          detail: `A signed event must not exceed ${MAX_ENVELOPE_BYTES} bytes; send large payloads by reference`,
          extra: {
            errors: outcome.indexes.map((index) => ({
              pointer: pointer(index),
              message: `is larger than ${MAX_ENVELOPE_BYTES} bytes once signed`,
            })),
          },
        });
      case 'key-reused':
        // The IETF Idempotency-Key draft's answer to a key reused with another payload.
        throw new HttpProblem(422, {
          type: problemType('idempotency-key-reused'),
          title: 'Unprocessable Content',
          detail:
            'This idempotency key (or event id) was already used for a different request; use a new key for a new request',
        });
      case 'replayed':
        return {
          statusCode: 202,
          body: { ids: outcome.ids, ...deprecated(outcome.deprecations) },
          headers: { ...rateHeaders, 'idempotent-replayed': 'true' },
        };
      case 'queued':
        break;
    }
    const ids = outcome.items.map((item) => item.id);
    if (outcome.failed === 0)
      return { statusCode: 202, headers: rateHeaders, body: { ids, ...deprecated(outcome.deprecations) } };
    const failed = outcome.items.filter((item) => item.status === 'failed');
    if (outcome.accepted === 0 && failed.every((item) => !item.retryable)) {
      // Refused for good: a retry would be refused again, so it must not be asked for.
      throw new HttpProblem(422, {
        type: problemType('events-refused'),
        title: 'Unprocessable Content',
        detail: 'The queue refused these events for what they hold; sending them again will not help.',
        extra: { events: outcome.items },
      });
    }
    if (outcome.accepted === 0 && failed.every((item) => item.retryable)) {
      // "Not confirmed", not "not queued": when the queue's answer is lost, SQS may have taken the
      // batch. A resend with the same ids is safe (processing stores one event per tenant and id);
      // one with fresh ids could store an event twice.
      throw new HttpProblem(503, {
        detail:
          'The queue did not confirm these events; some may have been queued. Retry with the same Idempotency-Key, or resend each event with the id listed here, so none is stored twice.',
        headers: { 'retry-after': '1' },
        extra: { events: outcome.items },
      });
    }
    // Some queued, some not (or failed for different reasons): say exactly which, so the client
    // retries only the failed ones marked retryable (with their ids: they may have been queued).
    return {
      statusCode: 207,
      headers: rateHeaders,
      body: {
        ids,
        accepted: outcome.accepted,
        failed: outcome.failed,
        events: outcome.items,
        ...deprecated(outcome.deprecations),
      },
    };
  };
}
