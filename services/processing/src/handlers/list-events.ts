import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { DynamoEventReader } from '../adapters/dynamo-event-reader';
import { InvalidCursor, InvalidQuery, listEvents, type EventReader } from '../read-events';
import validate from '../schemas/list-events.validator.generated';

export function createHandler(reader: () => EventReader, now: () => Date = () => new Date()) {
  return httpHandler(
    async (event, context) => {
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
          throw new HttpProblem(400, { type: problemType('invalid-cursor'), detail: error.message });
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
    },
    { scopes: ['events:read'], validator: validate },
  );
}

let reader: EventReader | undefined;
export const handler = createHandler(
  () => (reader ??= new DynamoEventReader(dynamoDocumentClient(), requireEnv('EVENTS_TABLE'))),
);
