// Events holding characters above U+FFFF (emoji) reach an SQS target, as on AWS, although the SQS
// emulator refuses such characters in a message body: the bus sends them as JSON escapes.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { clientConfig, queueArn, queueUrl } from '../../src/aws';
import { startEventBridge, type EventBridgeServer } from '../../src/eventbridge/server';

let fauxqs: FauxqsServer;
let bridge: EventBridgeServer;
let events: EventBridgeClient;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  bridge = await startEventBridge({
    port: 'auto',
    sqsEndpoint,
    log: () => undefined,
    retry: { baseDelayMs: 5 },
  });
  events = new EventBridgeClient(clientConfig(bridge.endpoint));
  sqs = new SQSClient({ ...clientConfig(sqsEndpoint), useQueueUrlAsEndpoint: false });
}, 30_000);

afterAll(async () => {
  events?.destroy();
  sqs?.destroy();
  await bridge?.stop();
  await fauxqs?.stop();
}, 30_000);

test('an event with emoji arrives in an SQS target as the same event', async () => {
  await sqs.send(new CreateQueueCommand({ QueueName: 'above-bmp' }));
  await events.send(new CreateEventBusCommand({ Name: 'above-bmp' }));
  await events.send(
    new PutRuleCommand({
      Name: 'above-bmp-rule',
      EventBusName: 'above-bmp',
      EventPattern: JSON.stringify({ source: ['herald.test'] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'above-bmp-rule',
      EventBusName: 'above-bmp',
      Targets: [{ Id: 'queue', Arn: queueArn('above-bmp') }],
    }),
  );
  const detail = { text: 'order 😀 𝄞 👍🏽', plain: 'é' };
  const put = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'above-bmp',
          Source: 'herald.test',
          DetailType: 'odd',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  expect(put.FailedEntryCount).toBe(0);
  await bridge.bus.drained();
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl('above-bmp'), MaxNumberOfMessages: 10 }),
  );
  expect(Messages.map((message) => (JSON.parse(message.Body!) as { detail: unknown }).detail)).toEqual([
    detail,
  ]);
});
