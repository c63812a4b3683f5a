import { describe, expect, test } from '@jest/globals';
import { dashboardFacts, dashboardWidgets, jsonWithIntrinsics } from '../src/dashboard';

/** What CloudFormation would make of the body, with each intrinsic replaced by a stand-in value. */
function resolve(body: ReturnType<typeof jsonWithIntrinsics>): unknown {
  if (typeof body === 'string') return JSON.parse(body);
  const [, parts] = body['Fn::Join'];
  return JSON.parse(
    parts.map((part) => (typeof part === 'string' ? part : `<${Object.keys(part as object)[0]}>`)).join(''),
  );
}

describe('jsonWithIntrinsics', () => {
  test('plain JSON text when nothing needs the stack', () => {
    expect(jsonWithIntrinsics({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
  });

  test('an Fn::Join that puts each intrinsic’s value where it stands, inside its quotes', () => {
    const body = jsonWithIntrinsics({
      region: { Ref: 'AWS::Region' },
      q: ['x', { 'Fn::GetAtt': ['Q', 'QueueName'] }],
    });
    expect(body).toEqual({
      'Fn::Join': [
        '',
        ['{"region":"', { Ref: 'AWS::Region' }, '","q":["x","', { 'Fn::GetAtt': ['Q', 'QueueName'] }, '"]}'],
      ],
    });
    expect(resolve(body)).toEqual({
      region: '<Ref>',
      q: ['x', '<Fn::GetAtt>'],
    });
  });
});

describe('dashboardWidgets', () => {
  const resources = {
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
    WorkQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
    WorkDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
    WorkLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
    WorkErrorsAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
  };

  test('facts from the template: dead-letter queues apart from the queues that hold work', () => {
    expect(dashboardFacts(resources, new Set(['WorkDeadLetterQueue']))).toEqual({
      httpApi: 'HttpApi',
      queues: ['WorkQueue'],
      deadLetterQueues: ['WorkDeadLetterQueue'],
      functions: ['WorkLambdaFunction'],
      alarms: ['WorkErrorsAlarm'],
    });
  });

  test('requests, 4xx/5xx, queues, dead letters, the declared graphs, functions, then every alarm', () => {
    const widgets = dashboardWidgets(dashboardFacts(resources, new Set(['WorkDeadLetterQueue'])), [
      { title: 'Work done', metrics: [['Herald', 'WorkDone', 'service', 'svc']], stat: 'Sum' },
    ]);
    const titles = widgets.map((w) => (w.properties as { title: string }).title);
    expect(titles).toEqual([
      'HTTP requests (per minute)',
      'HTTP 4xx and 5xx (per minute)',
      'Queue depth (visible messages)',
      'Age of the oldest message (s)',
      'Dead-letter queue depth',
      'Work done',
      'Function errors',
      'Function throttles',
      'Alarms',
    ]);
    expect(widgets.slice(0, 3).map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [12, 0],
      [0, 6],
    ]);
    expect(widgets.at(-1)).toMatchObject({
      type: 'alarm',
      y: 24,
      width: 24,
      properties: { alarms: [{ 'Fn::GetAtt': ['WorkErrorsAlarm', 'Arn'] }] },
    });
  });
});
