// The local EventBridge through the real AWS SDK: buses, rules and targets over the JSON protocol, and events
// routed to real fauxqs queues and an in-process function invoker. The last part drives the EventBus directly
// with a scripted transport, for the retry timing that is awkward to provoke through a real queue.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry, Target } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import type { FauxqsServer } from 'fauxqs';
import { clientConfig, functionArn, queueArn, queueUrl } from '../../src/aws';
import { EventBus } from '../../src/eventbridge/bus';
import type { DeliveryTransport } from '../../src/eventbridge/delivery';
import { DeliveryError } from '../../src/eventbridge/delivery';
import type { EventBridgeServer } from '../../src/eventbridge/server';
import { startEventBridge } from '../../src/eventbridge/server';
import type { FunctionInvoker } from '../../src/types';

let fauxqs: FauxqsServer;
let bridge: EventBridgeServer;
let events: EventBridgeClient;
let sqs: SQSClient;
const logs: string[] = [];

/** Every asynchronous invocation the bus makes; `invokeAsync` can be swapped per test. */
const invocations: Array<{ functionName: string; payload: unknown }> = [];
let invokeAsync: FunctionInvoker['invokeAsync'] = async () => undefined;
const invoker: FunctionInvoker = {
  invoke: () => Promise.reject(new Error('the bus invokes asynchronously only')),
  invokeAsync: (functionName, payload) => {
    invocations.push({ functionName, payload });
    return invokeAsync(functionName, payload);
  },
};

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  bridge = await startEventBridge({
    port: 'auto',
    sqsEndpoint,
    invoker,
    log: (line) => logs.push(line),
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

async function createQueue(name: string): Promise<string> {
  await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return queueArn(name);
}

/** Everything waiting in the queue (deliveries are over once the bus has drained). */
async function receive(name: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(name),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

async function bodies(name: string): Promise<unknown[]> {
  return (await receive(name)).map((message) => JSON.parse(message.Body ?? ''));
}

/** A bus with one rule and the given targets. */
async function busWithRule(
  name: string,
  targets: Target[],
  pattern: object = { source: ['herald.test'] },
  state: 'ENABLED' | 'DISABLED' = 'ENABLED',
): Promise<string> {
  await events.send(new CreateEventBusCommand({ Name: name }));
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: `${name}-rule`,
      EventBusName: name,
      EventPattern: JSON.stringify(pattern),
      State: state,
    }),
  );
  const put = await events.send(
    new PutTargetsCommand({ Rule: `${name}-rule`, EventBusName: name, Targets: targets }),
  );
  expect(put.FailedEntryCount).toBe(0);
  return RuleArn!;
}

function entry(busName: string, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: 'herald.test',
    DetailType: 'event.stored',
    Detail: JSON.stringify({ eventId: 'e-1', tenant: 'acme' }),
    Resources: ['arn:aws:s3:::herald-uploads'],
    Time: new Date('2024-05-01T12:00:00Z'),
    ...overrides,
  };
}

async function putAndDrain(...entries: PutEventsRequestEntry[]) {
  const response = await events.send(new PutEventsCommand({ Entries: entries }));
  await bridge.bus.drained();
  return response;
}

describe('event buses', () => {
  test('the default bus always exists', async () => {
    const described = await events.send(new DescribeEventBusCommand({}));
    expect(described).toMatchObject({
      Name: 'default',
      Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
    });
    expect(described.CreationTime).toBeInstanceOf(Date);
    const { EventBuses = [] } = await events.send(new ListEventBusesCommand({}));
    expect(EventBuses.map((bus) => bus.Name)).toContain('default');
    await expect(events.send(new DeleteEventBusCommand({ Name: 'default' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  test('create, describe by name or ARN, list by prefix, reject duplicates, delete', async () => {
    const created = await events.send(
      new CreateEventBusCommand({
        Name: 'orders',
        Description: 'order events',
        DeadLetterConfig: { Arn: queueArn('x') },
      }),
    );
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/orders');
    const byArn = await events.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    expect(byArn).toMatchObject({
      Name: 'orders',
      Description: 'order events',
      DeadLetterConfig: { Arn: queueArn('x') },
    });
    const { EventBuses = [] } = await events.send(new ListEventBusesCommand({ NamePrefix: 'ord' }));
    expect(EventBuses.map((bus) => bus.Name)).toEqual(['orders']);
    await expect(events.send(new CreateEventBusCommand({ Name: 'orders' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus orders already exists.',
    });
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await expect(events.send(new DescribeEventBusCommand({ Name: 'orders' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus orders does not exist.',
    });
  });

  test('an unknown bus is an error for rules and for each event sent to it', async () => {
    await expect(
      events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'nope', EventPattern: '{"source":["a"]}' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
    await expect(events.send(new ListRulesCommand({ EventBusName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const response = await events.send(new PutEventsCommand({ Entries: [entry('nope')] }));
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries).toEqual([
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
    ]);
  });
});

describe('rules', () => {
  test('ARNs name the bus except on the default bus; describe and list echo what was put', async () => {
    const onDefault = await events.send(
      new PutRuleCommand({ Name: 'plain', EventPattern: '{"source":["a"]}', Description: 'on default' }),
    );
    expect(onDefault.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/plain');
    await events.send(new CreateEventBusCommand({ Name: 'rules-bus' }));
    const pattern = '{ "detail-type": ["event.stored"] }';
    const onCustom = await events.send(
      new PutRuleCommand({
        Name: 'stored',
        EventBusName: 'rules-bus',
        EventPattern: pattern,
        State: 'DISABLED',
      }),
    );
    expect(onCustom.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/rules-bus/stored');

    const described = await events.send(
      new DescribeRuleCommand({ Name: 'stored', EventBusName: 'rules-bus' }),
    );
    expect(described).toMatchObject({
      Name: 'stored',
      Arn: onCustom.RuleArn,
      EventPattern: pattern,
      State: 'DISABLED',
      EventBusName: 'rules-bus',
    });
    const { Rules = [] } = await events.send(new ListRulesCommand({ NamePrefix: 'pl' }));
    expect(Rules).toEqual([
      expect.objectContaining({ Name: 'plain', Description: 'on default', State: 'ENABLED' }),
    ]);
    await expect(events.send(new DescribeRuleCommand({ Name: 'stored' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule stored does not exist on EventBus default.',
    });
  });

  test('an invalid pattern is rejected with InvalidEventPatternException', async () => {
    await expect(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "not-an-array"}' })),
    ).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringContaining('source'),
    });
    await expect(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{not json' })),
    ).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
    });
    await expect(events.send(new PutRuleCommand({ Name: 'bad' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    await expect(
      events.send(new PutRuleCommand({ Name: 'bad name', EventPattern: '{"a":[1]}' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(events.send(new DescribeRuleCommand({ Name: 'bad' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  test('targets: per-target failures, listing, removal, and delete needing Force', async () => {
    await events.send(new PutRuleCommand({ Name: 'with-targets', EventPattern: '{"source":["a"]}' }));
    const put = await events.send(
      new PutTargetsCommand({
        Rule: 'with-targets',
        Targets: [
          {
            Id: 'queue',
            Arn: queueArn('tq'),
            InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"id": <id>}' },
            DeadLetterConfig: { Arn: queueArn('tq-dlq') },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
          },
          { Id: 'bad-path', Arn: queueArn('tq'), InputPath: '$..detail' },
          { Id: 'topic', Arn: 'arn:aws:sns:us-east-1:000000000000:topic' },
          { Id: 'function', Arn: functionArn('fn'), Input: '{"fixed":true}' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(2);
    expect(put.FailedEntries).toEqual([
      expect.objectContaining({ TargetId: 'bad-path', ErrorCode: 'ValidationException' }),
      expect.objectContaining({ TargetId: 'topic', ErrorCode: 'ValidationException' }),
    ]);
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
    expect(Targets).toEqual([
      {
        Id: 'queue',
        Arn: queueArn('tq'),
        InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"id": <id>}' },
        DeadLetterConfig: { Arn: queueArn('tq-dlq') },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
      },
      { Id: 'function', Arn: functionArn('fn'), Input: '{"fixed":true}' },
    ]);

    await expect(events.send(new DeleteRuleCommand({ Name: 'with-targets' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    const removed = await events.send(
      new RemoveTargetsCommand({ Rule: 'with-targets', Ids: ['function', 'ghost'] }),
    );
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    const after = await events.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
    expect(after.Targets?.map((target) => target.Id)).toEqual(['queue']);
    await events.send(new DeleteRuleCommand({ Name: 'with-targets', Force: true }));
    await events.send(new DeleteRuleCommand({ Name: 'with-targets' }));
    await expect(events.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      events.send(
        new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 'q', Arn: queueArn('tq') }] }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('PutEvents and delivery', () => {
  test('a matching event reaches an SQS target as the full EventBridge event', async () => {
    await createQueue('plain-target');
    await busWithRule('plain-bus', [{ Id: 'queue', Arn: queueArn('plain-target') }]);
    const response = await putAndDrain(entry('plain-bus'));
    expect(response.FailedEntryCount).toBe(0);
    const eventId = response.Entries?.[0]?.EventId;
    expect(eventId).toEqual(expect.any(String));

    const [message, ...more] = await receive('plain-target');
    expect(more).toEqual([]);
    const event = JSON.parse(message?.Body ?? '') as Record<string, unknown>;
    expect(Object.keys(event)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(event).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'event.stored',
      source: 'herald.test',
      account: '000000000000',
      time: '2024-05-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::herald-uploads'],
      detail: { eventId: 'e-1', tenant: 'acme' },
    });
  });

  test('an InputTransformer target receives the rendered template', async () => {
    await createQueue('shaped-target');
    const ruleArn = await busWithRule('shaped-bus', [
      {
        Id: 'shaped',
        Arn: queueArn('shaped-target'),
        InputTransformer: {
          InputPathsMap: { tenant: '$.detail.tenant', type: '$.detail-type' },
          InputTemplate: '{"tenant": <tenant>, "text": "<type> for <tenant>", "rule": <aws.events.rule-arn>}',
        },
      },
    ]);
    await putAndDrain(entry('shaped-bus'));
    expect(await bodies('shaped-target')).toEqual([
      { tenant: 'acme', text: 'event.stored for acme', rule: ruleArn },
    ]);
  });

  test('an event matching no rule, or only a disabled rule, is delivered nowhere', async () => {
    await createQueue('quiet-target');
    await busWithRule('quiet-bus', [{ Id: 'queue', Arn: queueArn('quiet-target') }], {
      source: ['herald.test'],
      detail: { tenant: ['globex'] },
    });
    const response = await putAndDrain(entry('quiet-bus'), entry('quiet-bus', { Source: 'other.source' }));
    expect(response.FailedEntryCount).toBe(0);
    expect(await receive('quiet-target')).toEqual([]);

    await createQueue('disabled-target');
    await busWithRule(
      'disabled-bus',
      [{ Id: 'queue', Arn: queueArn('disabled-target') }],
      undefined,
      'DISABLED',
    );
    await putAndDrain(entry('disabled-bus'));
    expect(await receive('disabled-target')).toEqual([]);

    // Enabling it again (PutRule replaces the rule but keeps its targets) starts delivery.
    await events.send(
      new PutRuleCommand({
        Name: 'disabled-bus-rule',
        EventBusName: 'disabled-bus',
        EventPattern: '{"source":["herald.test"]}',
      }),
    );
    await putAndDrain(entry('disabled-bus'));
    expect(await receive('disabled-target')).toHaveLength(1);
  });

  test('bad entries fail one by one next to good ones', async () => {
    await createQueue('mixed-target');
    await busWithRule('mixed-bus', [{ Id: 'queue', Arn: queueArn('mixed-target') }]);
    const response = await putAndDrain(
      entry('mixed-bus'),
      entry('mixed-bus', { Source: undefined }),
      entry('mixed-bus', { Detail: '[1, 2]' }),
      entry('mixed-bus', { Detail: JSON.stringify({ second: true }) }),
    );
    expect(response.FailedEntryCount).toBe(2);
    expect(response.Entries).toEqual([
      { EventId: expect.any(String) },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { EventId: expect.any(String) },
    ]);
    const delivered = (await bodies('mixed-target')) as Array<{ id: string }>;
    expect(delivered.map((event) => event.id).sort()).toEqual(
      [response.Entries?.[0]?.EventId, response.Entries?.[3]?.EventId].sort(),
    );
  });

  test('more than 10 entries fail the whole call', async () => {
    const entries = Array.from({ length: 11 }, () => entry('default'));
    await expect(events.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10'),
    });
  });

  test('a Lambda target is invoked asynchronously with the event', async () => {
    invocations.length = 0;
    await busWithRule('function-bus', [{ Id: 'fn', Arn: functionArn('herald-local-consume') }]);
    const response = await putAndDrain(entry('function-bus'));
    expect(invocations).toEqual([
      {
        functionName: 'herald-local-consume',
        payload: expect.objectContaining({
          id: response.Entries?.[0]?.EventId,
          source: 'herald.test',
          detail: { eventId: 'e-1', tenant: 'acme' },
        }),
      },
    ]);
  });

  test('a failing function is retried, then dead-lettered when retries run out', async () => {
    await createQueue('fn-dlq');
    const ruleArn = await busWithRule('retry-bus', [
      {
        Id: 'flaky',
        Arn: functionArn('flaky'),
        DeadLetterConfig: { Arn: queueArn('fn-dlq') },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    ]);
    invocations.length = 0;
    let failuresLeft = 2;
    invokeAsync = async () => {
      if (failuresLeft-- > 0) throw new Error('throttled');
    };
    await putAndDrain(entry('retry-bus'));
    expect(invocations).toHaveLength(3);
    expect(await receive('fn-dlq')).toEqual([]);

    invocations.length = 0;
    invokeAsync = () => Promise.reject(new Error('still down'));
    const response = await putAndDrain(entry('retry-bus'));
    expect(invocations).toHaveLength(3);
    const [dead] = await receive('fn-dlq');
    expect(JSON.parse(dead?.Body ?? '')).toMatchObject({ id: response.Entries?.[0]?.EventId });
    const attribute = (name: string) => dead?.MessageAttributes?.[name]?.StringValue;
    expect(attribute('RULE_ARN')).toBe(ruleArn);
    expect(attribute('TARGET_ARN')).toBe(functionArn('flaky'));
    expect(attribute('ERROR_CODE')).toBe('SDK_CLIENT_ERROR');
    expect(attribute('ERROR_MESSAGE')).toContain('still down');
    expect(attribute('RETRY_ATTEMPTS')).toBe('2');
    expect(attribute('EXHAUSTED_RETRY_CONDITION')).toBe('MaximumRetryAttempts');
    invokeAsync = async () => undefined;
  });

  test('a target whose queue does not exist sends the event to its dead-letter queue', async () => {
    await createQueue('missing-dlq');
    const ruleArn = await busWithRule('missing-bus', [
      { Id: 'gone', Arn: queueArn('no-such-queue'), DeadLetterConfig: { Arn: queueArn('missing-dlq') } },
    ]);
    const response = await putAndDrain(entry('missing-bus'));
    const dead = await receive('missing-dlq');
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.Body ?? '')).toMatchObject({
      id: response.Entries?.[0]?.EventId,
      detail: { eventId: 'e-1', tenant: 'acme' },
    });
    expect(dead[0]?.MessageAttributes).toMatchObject({
      RULE_ARN: { StringValue: ruleArn },
      TARGET_ARN: { StringValue: queueArn('no-such-queue') },
      ERROR_CODE: { StringValue: 'NO_RESOURCE' },
      // A missing resource is not retried.
      RETRY_ATTEMPTS: { StringValue: '0' },
    });
  });

  test('without a dead-letter queue a failed event is dropped with a log line naming rule, target and event', async () => {
    const ruleArn = await busWithRule('drop-bus', [{ Id: 'gone', Arn: queueArn('also-missing') }]);
    const response = await putAndDrain(entry('drop-bus'));
    const eventId = response.Entries?.[0]?.EventId ?? '';
    const line = logs.find((text) => text.includes(eventId));
    expect(line).toContain('DROPPED');
    expect(line).toContain(ruleArn);
    expect(line).toContain('gone');
    expect(line).toContain('NO_RESOURCE');
  });
});

describe('the JSON protocol', () => {
  test('unknown operations and malformed bodies get AWS-shaped errors with a request id', async () => {
    const call = (target: string, body: string) =>
      fetch(bridge.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      });
    const unknown = await call('AWSEvents.StartReplay', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(unknown.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await unknown.json()).toEqual({
      __type: 'UnknownOperationException',
      message: expect.any(String),
    });
    const malformed = await call('AWSEvents.PutRule', '{"Name": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ __type: 'SerializationException' });
  });
});

describe('EventBus with a scripted transport', () => {
  function scriptedBus(sendMessage: DeliveryTransport['sendMessage'], log: string[] = []) {
    return new EventBus({
      transport: { sendMessage },
      account: '000000000000',
      region: 'us-east-1',
      log: (line) => log.push(line),
      retry: { maxRetries: 3, baseDelayMs: 1 },
    });
  }

  function putOne(bus: EventBus) {
    bus.putRule({ name: 'r', eventPattern: { source: ['s'] } });
    expect(
      bus.putTargets('r', undefined, [{ id: 't', arn: queueArn('q'), deadLetterArn: queueArn('dlq') }]),
    ).toEqual([]);
    return bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });
  }

  test('delivery starts only after PutEvents has answered', async () => {
    const sent: string[] = [];
    const bus = scriptedBus(async (arn) => void sent.push(arn));
    putOne(bus);
    expect(sent).toEqual([]);
    await bus.drained();
    expect(sent).toEqual([queueArn('q')]);
  });

  test('retries are capped locally even when the target allows AWS’s 185', async () => {
    const sent: string[] = [];
    const bus = scriptedBus(async (arn) => {
      sent.push(arn);
      if (arn === queueArn('q')) throw new DeliveryError('ERROR_FROM_TARGET', 'busy', true);
    });
    putOne(bus);
    await bus.drained();
    expect(sent).toEqual([queueArn('q'), queueArn('q'), queueArn('q'), queueArn('q'), queueArn('dlq')]);
  });

  test('close() ends pending retries as logged drops', async () => {
    const log: string[] = [];
    const bus = new EventBus({
      transport: { sendMessage: () => Promise.reject(new Error('down')) },
      account: '000000000000',
      region: 'us-east-1',
      log: (line) => log.push(line),
      retry: { baseDelayMs: 60_000 },
    });
    putOne(bus);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await bus.close();
    expect(log).toEqual([expect.stringContaining('the local event bus stopped')]);
  });
});
