/** What PUT, GET /v1/event-types/{type} and GET /v1/event-types answer. */
import { auditRecorder } from '@herald/shared/audit';
import type { HttpContext, HttpEvent, HttpResult } from '@herald/shared/entry/http';
import { InvalidCursor } from '@herald/shared/cursor';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { putEventType, type EventTypeInput, type EventTypeStore } from '../event-types';

const DEFAULT_PAGE = 50;

export function putEventTypeRoute(store: () => EventTypeStore) {
  return async (event: HttpEvent<EventTypeInput>, context: HttpContext): Promise<HttpResult> => {
    const outcome = await putEventType(context.auth.tenantId, event.pathParameters!.type!, event.body, {
      store: store(),
      now: () => new Date(),
      audit: auditRecorder(context.auth, event, context.correlationId),
    });
    switch (outcome.kind) {
      case 'stored':
        return { statusCode: 200, body: outcome.eventType };
      case 'invalid':
        throw new HttpProblem(422, {
          type: problemType('validation-failed'),
          title: 'Unprocessable Content',
          detail: `The event type is refused in ${outcome.errors.length} place(s): its name (under a reserved prefix), its schema, or an example that does not match it`,
          extra: { errors: outcome.errors },
        });
      case 'quota-exceeded':
        throw new HttpProblem(409, {
          type: problemType('quota-exceeded'),
          detail: `A tenant may register at most ${outcome.max} event types; deprecated ones count too`,
        });
    }
  };
}

export function getEventTypeRoute(store: () => EventTypeStore) {
  return async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
    const found = await store().get(context.auth.tenantId, event.pathParameters!.type!);
    if (!found) throw new HttpProblem(404, { type: problemType('not-found'), detail: 'No such event type' });
    return { statusCode: 200, body: found };
  };
}

export function listEventTypesRoute(store: () => EventTypeStore) {
  return async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
    const query = event.queryStringParameters ?? {};
    try {
      const page = await store().list(
        context.auth.tenantId,
        query.limit === undefined ? DEFAULT_PAGE : Number(query.limit),
        query.cursor,
      );
      return { statusCode: 200, body: page };
    } catch (error) {
      if (error instanceof InvalidCursor) {
        throw new HttpProblem(400, {
          type: problemType('invalid-cursor'),
          detail: 'The cursor is not one this API issued',
        });
      }
      throw error;
    }
  };
}
