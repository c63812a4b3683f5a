import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { httpHandler } from '@herald/shared/entry/http-exact-numbers';
import {
  acceptEventsRoute,
  type AcceptEventsPorts,
  type AcceptEventsSettings,
} from '../routes/accept-events';
import validate from '../schemas/accept-events.validator.generated';
import { acceptEventsPorts, acceptEventsSettings } from '../wiring';

export function createHandler(ports: () => Promise<AcceptEventsPorts>, settings: AcceptEventsSettings) {
  return httpHandler(acceptEventsRoute(ports, settings), {
    scopes: ['events:write'],
    validator: validate,
    maxBodyBytes: settings.maxBodyBytes,
    exactNumbers: true,
    summary: () => ({ awsCalls: takeCallCounts() }),
  });
}

export const handler = createHandler(acceptEventsPorts, acceptEventsSettings());
