/** What GET /v1/events/{id} and GET /v1/events answer. */
import { InvalidCursor } from '@herald/shared/cursor';
import type { HttpContext, HttpEvent, HttpResult } from '@herald/shared/entry/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { getEvent, InvalidQuery, listEvents, type EventReader } from '../read-events';

export function getEventRoute(reader: () => EventReader, now: () => Date) {
  return async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
    const id = event.pathParameters?.id ?? '';
    const view = await getEvent(context.auth.tenantId, id, reader(), now());
    // Absent, expired and another tenant's look the same: the caller learns nothing about others.
    if (view === undefined)
      throw new HttpProblem(404, { type: problemType('event-not-found'), detail: 'No event with this id' });
    return { statusCode: 200, body: view };
  };
}

export function listEventsRoute(reader: () => EventReader, now: () => Date) {
  return async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
    const { type, since, until, limit, cursor } = event.queryStringParameters ?? {};
    try {
      const page = await listEvents(
        context.auth.tenantId,
        {
          ...(type === undefined ? {} : { type }),
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
          ...(limit === undefined ? {} : { limit: Number(limit) }),
          ...(cursor === undefined ? {} : { cursor }),
        },
        reader(),
        now(),
      );
      return { statusCode: 200, body: page };
    } catch (error) {
      if (error instanceof InvalidCursor)
        throw new HttpProblem(400, {
          type: problemType('invalid-cursor'),
          detail: 'The cursor is not one this API issued for this query',
        });
      if (error instanceof InvalidQuery)
        // The same shape the schema validation answers with, so clients handle one kind of 422.
        throw new HttpProblem(422, {
          type: problemType('validation-failed'),
          title: 'Unprocessable Content',
          detail: `The request breaks the schema in ${error.violations.length} place(s)`,
          extra: { errors: error.violations },
        });
      throw error;
    }
  };
}
