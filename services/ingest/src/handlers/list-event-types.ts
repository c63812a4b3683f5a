import { httpHandler } from '@herald/shared/entry/http';
import type { EventTypeStore } from '../event-types';
import { listEventTypesRoute } from '../routes/event-types';
import validate from '../schemas/list-event-types.validator.generated';
import { eventTypeStore } from '../wiring';

export function createHandler(store: () => EventTypeStore) {
  return httpHandler(listEventTypesRoute(store), { scopes: ['event-types:read'], validator: validate });
}

export const handler = createHandler(eventTypeStore);
