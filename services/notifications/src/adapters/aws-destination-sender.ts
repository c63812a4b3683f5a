import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { countCalls } from '@herald/shared/aws/call-counter';
import type { DestinationRequest, DestinationSender } from '../subscriptions/destination-message';
import type { RoleCredentials } from '../subscriptions/destination-role';

type Clients = { sqs: SQSClient; sns: SNSClient; events: EventBridgeClient; kinesis: KinesisClient };
/** What every destination client is made with: the destination's region and the role's credentials. */
interface ClientConfig {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
}

/** Each service's client, made the first time a destination of that service needs it. */
const makers: { [S in keyof Clients]: (config: ClientConfig) => Clients[S] } = {
  // The queue URL names the queue; the endpoint is the region's (AWS_ENDPOINT_URL_SQS locally).
  sqs: (config) => countCalls(new SQSClient({ ...config, useQueueUrlAsEndpoint: false }), 'SQS'),
  sns: (config) => countCalls(new SNSClient(config), 'SNS'),
  events: (config) => countCalls(new EventBridgeClient(config), 'EventBridge'),
  kinesis: (config) => countCalls(new KinesisClient(config), 'Kinesis'),
};

/** Clients kept at most: one set per region and set of credentials (a role's, renewed hourly). */
const MAX_CLIENT_SETS = 200;

/**
 * Sends a destination request with the SDK client of its service, in the destination's region,
 * signed with the assumed role's credentials (or the function's own, where the stage sends without
 * assuming). Clients are kept per region and credentials, so each role's connections are reused;
 * only the services a role is used for get a client.
 */
export class AwsDestinationSender implements DestinationSender {
  private readonly clients = new Map<string, { config: ClientConfig; made: Partial<Clients> }>();

  private clientFor<S extends keyof Clients>(
    service: S,
    region: string,
    credentials: RoleCredentials | undefined,
  ): Clients[S] {
    const key = `${region} ${credentials?.accessKeyId ?? 'own'}`;
    let held = this.clients.get(key);
    if (!held) {
      const config: ClientConfig = {
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
      held = { config, made: {} };
      this.clients.set(key, held);
      if (this.clients.size > MAX_CLIENT_SETS) {
        const [oldest] = this.clients;
        this.clients.delete(oldest![0]);
        for (const client of Object.values(oldest![1].made)) client.destroy();
      }
    }
    return (held.made[service] ??= makers[service](held.config));
  }

  async send(request: DestinationRequest, credentials: RoleCredentials | undefined): Promise<void> {
    switch (request.service) {
      case 'sqs':
        await this.clientFor('sqs', request.region, credentials).send(new SendMessageCommand(request.input));
        return;
      case 'sns':
        await this.clientFor('sns', request.region, credentials).send(new PublishCommand(request.input));
        return;
      case 'events': {
        const out = await this.clientFor('events', request.region, credentials).send(
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
        await this.clientFor('kinesis', request.region, credentials).send(
          new PutRecordCommand(request.input),
        );
        return;
    }
  }
}
