import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * One SQS client per container. `useQueueUrlAsEndpoint: false` sends every call to the configured
 * endpoint (AWS_ENDPOINT_URL_SQS locally) instead of the host inside the queue URL: harmless on AWS,
 * where both are the same, and what lets AWS-style queue URLs work against an emulator.
 */
let client: SQSClient | undefined;
export function sqsClient(): SQSClient {
  client ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return client;
}
