export { startWebhookReceiver, MAX_BODY_BYTES } from './server';
export type { WebhookReceiver, WebhookReceiverOptions, ReceivedRequest, EndpointSettings } from './server';
export { parseBehaviour, replyFor, EndpointSettingError, MAX_DELAY_MS } from './behaviour';
export type { EndpointBehaviour, Reply } from './behaviour';
export { checkSecret, verifyRequest } from './verify';
export type { Verification } from './verify';
