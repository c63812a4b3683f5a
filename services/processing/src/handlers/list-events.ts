import { httpHandler } from '@herald/shared/entry/http';
import type { EventReader } from '../read-events';
import { listEventsRoute } from '../routes/events';
import validate from '../schemas/list-events.validator.generated';
import { eventReader } from '../wiring';

export function createHandler(reader: () => EventReader, now: () => Date = () => new Date()) {
  return httpHandler(listEventsRoute(reader, now), { scopes: ['events:read'], validator: validate });
}

export const handler = createHandler(eventReader);
