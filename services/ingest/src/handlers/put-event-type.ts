import { httpHandler } from '@herald/shared/entry/http';
import type { EventTypeStore } from '../event-types';
import { putEventTypeRoute } from '../routes/event-types';
import validate from '../schemas/put-event-type.validator.generated';
import { eventTypeStore } from '../wiring';

export function createHandler(store: () => EventTypeStore) {
  return httpHandler(putEventTypeRoute(store), { scopes: ['event-types:write'], validator: validate });
}

export const handler = createHandler(eventTypeStore);
