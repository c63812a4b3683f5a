import { httpHandler } from '@herald/shared/entry/http';
import type { EventTypeStore } from '../event-types';
import { getEventTypeRoute } from '../routes/event-types';
import validate from '../schemas/get-event-type.validator.generated';
import { eventTypeStore } from '../wiring';

export function createHandler(store: () => EventTypeStore) {
  return httpHandler(getEventTypeRoute(store), { scopes: ['event-types:read'], validator: validate });
}

export const handler = createHandler(eventTypeStore);
