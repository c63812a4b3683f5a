// The DeadLetterQueues contract, on the in-memory stand-in and on the SQS adapter over fauxqs.
import { afterAll } from '@jest/globals';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsDeadLetterQueues } from '../../src/aws/dead-letter-queues';
import { startSqs, type TestSqs } from '../../src/testing/sqs';
import { deadLetterQueuesContract } from './contract';
import { MemoryQueues } from './memory-queues';

deadLetterQueuesContract('in memory', async () => {
  const memory = new MemoryQueues();
  return {
    queues: memory,
    create: async (name, to) => {
      memory.create(
        name,
        to && { deadLetterTargetArn: memory.address(to.name).arn, maxReceiveCount: to.maxReceiveCount },
      );
    },
    put: async (name, body, attributes) => {
      memory.put(name, body, attributes ? { attributes } : {});
    },
  };
});

let sqs: TestSqs | undefined;
afterAll(() => sqs?.stop(), 30_000);

deadLetterQueuesContract('SQS adapter on fauxqs', async () => {
  sqs = await startSqs();
  const client = sqs.client;
  const arnOf = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
  return {
    queues: new SqsDeadLetterQueues(client),
    create: async (name, to) => {
      await client.send(
        new CreateQueueCommand({
          QueueName: name,
          ...(to
            ? {
                Attributes: {
                  RedrivePolicy: JSON.stringify({
                    deadLetterTargetArn: arnOf(to.name),
                    maxReceiveCount: to.maxReceiveCount,
                  }),
                },
              }
            : {}),
        }),
      );
    },
    put: async (name, body, attributes = {}) => {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
      await client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([key, value]) => [
              key,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
  };
});
