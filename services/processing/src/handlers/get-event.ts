import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { DynamoEventReader } from '../adapters/dynamo-event-reader';
import { getEvent, type EventReader } from '../read-events';
import validate from '../schemas/get-event.validator.generated';

export function createHandler(reader: () => EventReader, now: () => Date = () => new Date()) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters?.id ?? '';
      const view = await getEvent(context.auth.tenantId, id, reader(), now());
      // Absent, expired and another tenant's look the same: the caller learns nothing about others.
      if (view === undefined)
        throw new HttpProblem(404, { type: problemType('event-not-found'), detail: 'No event with this id' });
      return { statusCode: 200, body: view };
    },
    { scopes: ['events:read'], validator: validate },
  );
}

let reader: EventReader | undefined;
export const handler = createHandler(
  () => (reader ??= new DynamoEventReader(dynamoDocumentClient(), requireEnv('EVENTS_TABLE'))),
);
