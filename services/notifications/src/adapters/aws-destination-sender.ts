import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { countCalls } from '@herald/shared/aws/call-counter';
import type { DestinationRequest, DestinationSender } from '../subscriptions/destination-message';
import type { RoleCredentials } from '../subscriptions/destination-role';

type Clients = { sqs: SQSClient; sns: SNSClient; events: EventBridgeClient; kinesis: KinesisClient };

/** Clients kept at most: one set per region and set of credentials (a role's, renewed hourly). */
const MAX_CLIENT_SETS = 200;

/**
 * Sends a destination request with the SDK client of its service, in the destination's region,
 * signed with the assumed role's credentials (or the function's own, where the stage sends without
 * assuming). Clients are kept per region and credentials, so each role's connections are reused.
 */
export class AwsDestinationSender implements DestinationSender {
  private readonly clients = new Map<string, Clients>();

  private clientsFor(region: string, credentials: RoleCredentials | undefined): Clients {
    const key = `${region} ${credentials?.accessKeyId ?? 'own'}`;
    let held = this.clients.get(key);
    if (!held) {
      const config = {
        region,
        ...(credentials
          ? {
              credentials: {
                accessKeyId: credentials.accessKeyId,
                secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.sessionToken,
                expiration: credentials.expiration,
              },
            }
          : {}),
      };
      held = {
        // The queue URL names the queue; the endpoint is the region's (AWS_ENDPOINT_URL_SQS locally).
        sqs: countCalls(new SQSClient({ ...config, useQueueUrlAsEndpoint: false }), 'SQS'),
        sns: countCalls(new SNSClient(config), 'SNS'),
        events: countCalls(new EventBridgeClient(config), 'EventBridge'),
        kinesis: countCalls(new KinesisClient(config), 'Kinesis'),
      };
      this.clients.set(key, held);
      if (this.clients.size > MAX_CLIENT_SETS) {
        const [oldest] = this.clients;
        this.clients.delete(oldest![0]);
        for (const client of Object.values(oldest![1])) client.destroy();
      }
    }
    return held;
  }

  async send(request: DestinationRequest, credentials: RoleCredentials | undefined): Promise<void> {
    switch (request.service) {
      case 'sqs':
        await this.clientsFor(request.region, credentials).sqs.send(new SendMessageCommand(request.input));
        return;
      case 'sns':
        await this.clientsFor(request.region, credentials).sns.send(new PublishCommand(request.input));
        return;
      case 'events': {
        const out = await this.clientsFor(request.region, credentials).events.send(
          new PutEventsCommand(request.input),
        );
        // PutEvents answers 200 with the entries it refused: one refused entry is this send's error.
        const failed = out.Entries?.find((entry) => entry.ErrorCode);
        if ((out.FailedEntryCount ?? 0) > 0 || failed)
          throw Object.assign(new Error(failed?.ErrorMessage ?? 'PutEvents refused the entry'), {
            name: failed?.ErrorCode ?? 'InternalFailure',
          });
        return;
      }
      case 'kinesis':
        await this.clientsFor(request.region, credentials).kinesis.send(new PutRecordCommand(request.input));
        return;
    }
  }
}
