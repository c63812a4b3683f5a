/**
 * What a webhook subscriber receives, as an OpenAPI `webhooks` entry: the Standard Webhooks request
 * notifications' deliver function sends (delivery/webhook-message.ts), and what Herald does with
 * each answer (delivery/decision.ts, the retry schedule).
 */
import type { Components } from './json-schema';

export const WEBHOOK_PAYLOAD = 'services/notifications/src/schemas/webhook-payload.schema.json';

export function webhooks(components: Components) {
  const header = (name: string, description: string, schema: Record<string, unknown>) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema,
  });
  return {
    event: {
      post: {
        operationId: 'receiveEvent',
        summary: 'An event, delivered to a webhook subscription',
        description:
          "A Standard Webhooks request (https://www.standardwebhooks.com): verify `webhook-signature` with the subscription's secret (`whsec_…`) over `<webhook-id>.<webhook-timestamp>.<body>` before trusting the body, and drop copies by `webhook-id`, which is the same for every attempt, redelivery and replay of one event to one subscription.",
        tags: ['Webhooks'],
        security: [],
        parameters: [
          header('webhook-id', 'Stable per event and subscription: the key to drop copies by.', {
            type: 'string',
            pattern: '^msg_[0-9A-HJKMNP-TV-Z]{26}$',
          }),
          header('webhook-timestamp', 'When this attempt was signed, in Unix seconds.', {
            type: 'string',
            pattern: '^[0-9]+$',
          }),
          header(
            'webhook-signature',
            "One `v1,<base64 HMAC-SHA256>` per active secret, separated by spaces (two while a rotation's grace period runs).",
            { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
          ),
          header(
            'x-correlation-id',
            'The correlation id of the request that sent the event (or started the redelivery or replay).',
            {
              type: 'string',
            },
          ),
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: components.file(WEBHOOK_PAYLOAD, 'WebhookPayload') } },
        },
        responses: {
          200: { description: 'Any 2xx answer: delivered.' },
          410: { description: 'Gone: the subscription is disabled and nothing more is sent to it.' },
          default: {
            description:
              'Any other answer, or none in time: retried on the schedule, with the same webhook-id and body; a subscription failing for long is disabled.',
          },
        },
      },
    },
  };
}
