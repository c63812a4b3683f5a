// Target input shaping. The InputTransformer rows are the "Input transform examples" table of the EventBridge
// user guide (event, InputPathsMap, template and expected output as published) plus the API reference example.
import { describe, expect, test } from '@jest/globals';
import { evaluateJsonPath, JsonPathSyntaxError, parseJsonPath } from '../../src/eventbridge/json-path';
import type { TargetInput } from '../../src/eventbridge/targets';
import {
  shapeTargetInput,
  TargetInputValidationError,
  validateTargetInput,
} from '../../src/eventbridge/targets';

/** "Input transformation": the event every documented template example is applied to. */
const transformerEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};

const context = {
  ruleName: 'example',
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ingestionTime: '2015-11-11T21:29:55Z',
};

const documentedPaths = {
  timestamp: '$.time',
  instance: '$.detail.instance-id',
  state: '$.detail.state',
};

function transform(template: string, paths: Record<string, string> = documentedPaths): string {
  return shapeTargetInput(
    { InputTransformer: { InputPathsMap: paths, InputTemplate: template } },
    transformerEvent,
    context,
  );
}

describe('InputTransformer: the documented examples', () => {
  test.each<[string, string, string]>([
    ['simple string', '"instance <instance> is in <state>"', '"instance i-0123456789 is in RUNNING"'],
    [
      'string with escaped quotes',
      '"instance \\"<instance>\\" is in <state>"',
      '"instance \\"i-0123456789\\" is in RUNNING"',
    ],
    [
      'simple JSON',
      '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      '{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}',
    ],
    [
      'JSON with strings and variables',
      '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
      '{\n "instance" : "i-0123456789",\n "state": "RUNNING",\n "instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"\n}',
    ],
    [
      'JSON with a mix of variables and static information',
      '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}',
      '{\n  "instance" : "i-0123456789",\n  "state": [ 9, "RUNNING", true ],\n  "Transformed" : "Yes"\n}',
    ],
    ['reserved variables in a string', '"<aws.events.rule-name> triggered"', '"example triggered"'],
  ])('%s', (_name, template, output) => {
    expect(transform(template)).toBe(output);
  });

  test('reserved variables in JSON', () => {
    const output = transform(
      '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n' +
        '  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event>\n}',
    );
    const { detail: _detail, ...withoutDetail } = transformerEvent;
    expect(JSON.parse(output)).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
      ruleName: 'example',
      originalEvent: withoutDetail,
    });
  });

  test('the API reference example: the same variable in and out of quotes', () => {
    const paths = { instance: '$.detail.instance-id', status: '$.detail.state' };
    expect(
      transform('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}', paths),
    ).toBe('{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \\"RUNNING\\""}');
  });
});

describe('InputTransformer: substitution rules', () => {
  const event = {
    ...transformerEvent,
    detail: {
      ...transformerEvent.detail,
      count: 3,
      ok: true,
      none: null,
      tags: ['a', 'b'],
      nested: { key1: 'value1' },
    },
  };
  const render = (template: string, paths: Record<string, string>): string =>
    shapeTargetInput({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, event, context);

  test.each<[string, string, Record<string, string>, string]>([
    ['a number outside quotes', '{"n": <n>}', { n: '$.detail.count' }, '{"n": 3}'],
    ['a number inside quotes', '"n=<n>"', { n: '$.detail.count' }, '"n=3"'],
    ['a boolean and null', '[<ok>, <none>]', { ok: '$.detail.ok', none: '$.detail.none' }, '[true, null]'],
    [
      'an object outside quotes keeps its JSON',
      '{"d": <d>}',
      { d: '$.detail.nested' },
      '{"d": {"key1":"value1"}}',
    ],
    [
      'an object inside quotes loses its quotes',
      '"Detail is <d>"',
      { d: '$.detail.nested' },
      '"Detail is {key1:value1}"',
    ],
    ['an array inside quotes loses its quotes', '"tags <t>"', { t: '$.detail.tags' }, '"tags [a,b]"'],
    ['an array element', '{"t": <t>}', { t: '$.detail.tags[1]' }, '{"t": "b"}'],
    ['a missing path outside quotes is null', '{"m": <m>}', { m: '$.detail.missing' }, '{"m": null}'],
    ['a missing path inside quotes is empty', '"[<m>]"', { m: '$.detail.missing' }, '"[]"'],
    [
      'an unknown placeholder is left alone',
      '"<nope> and <state>"',
      { state: '$.detail.state' },
      '"<nope> and RUNNING"',
    ],
    ['angle brackets that are not placeholders', '"a < b > c"', {}, '"a < b > c"'],
    ['a plain-text template (not JSON)', 'state: <state>', { state: '$.detail.state' }, 'state: "RUNNING"'],
  ])('%s', (_name, template, paths, output) => {
    expect(render(template, paths)).toBe(output);
  });

  test('extracted strings are inserted raw, quotes and all', () => {
    const quoted = { ...event, detail: { say: 'he said "hi"' } };
    const output = shapeTargetInput(
      { InputTransformer: { InputPathsMap: { say: '$.detail.say' }, InputTemplate: '"<say>"' } },
      quoted,
      context,
    );
    expect(output).toBe('"he said "hi""');
  });

  test('<aws.events.event.json> is the whole event, detail included', () => {
    expect(JSON.parse(render('{"e": <aws.events.event.json>}', {}))).toEqual({ e: event });
  });

  test('<aws.events.event.ingestion-time> and a derived rule ARN', () => {
    const output = shapeTargetInput(
      {
        InputTransformer: {
          InputTemplate: '{"at": <aws.events.event.ingestion-time>, "arn": <aws.events.rule-arn>}',
        },
      },
      transformerEvent,
      { ruleName: 'r1', ingestionTime: '2015-11-11T21:29:55Z' },
    );
    expect(JSON.parse(output)).toEqual({
      at: '2015-11-11T21:29:55Z',
      arn: 'arn:aws:events:us-east-1:123456789012:rule/r1',
    });
  });
});

describe('Input, InputPath and the default', () => {
  test.each<[string, TargetInput, string]>([
    ['no input option delivers the whole event', {}, JSON.stringify(transformerEvent)],
    ['Input replaces the event', { Input: '{"fixed": true}' }, '{"fixed": true}'],
    ['InputPath $ is the whole event', { InputPath: '$' }, JSON.stringify(transformerEvent)],
    ['InputPath $.detail', { InputPath: '$.detail' }, JSON.stringify(transformerEvent.detail)],
    ['InputPath of a string', { InputPath: '$.detail.state' }, '"RUNNING"'],
    [
      'InputPath with an index',
      { InputPath: '$.resources[0]' },
      '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"',
    ],
    ['InputPath with bracket notation', { InputPath: "$['detail']['instance-id']" }, '"i-0123456789"'],
    ['InputPath with a wildcard', { InputPath: '$.detail.*' }, '["i-0123456789","RUNNING"]'],
    ['InputPath that finds nothing', { InputPath: '$.detail.missing' }, 'null'],
  ])('%s', (_name, target, output) => {
    expect(shapeTargetInput(target, transformerEvent, context)).toBe(output);
  });
});

describe('validateTargetInput', () => {
  const transformer = { InputTemplate: '<x>', InputPathsMap: { x: '$.detail' } };
  test.each<[string, TargetInput, string]>([
    [
      'Input and InputPath',
      { Input: '{}', InputPath: '$' },
      'Only one of Input, InputPath, or InputTransformer',
    ],
    ['Input and InputTransformer', { Input: '{}', InputTransformer: transformer }, 'Only one of'],
    ['Input that is not JSON', { Input: 'hello' }, 'Input must be valid JSON text'],
    ['InputPath without $', { InputPath: 'detail' }, 'InputPath is not a valid JSON path'],
    ['InputPath with a filter', { InputPath: '$.a[?(@.b)]' }, 'Unsupported JSON path syntax'],
    [
      'an empty template',
      { InputTransformer: { InputTemplate: '' } },
      'InputTemplate must be between 1 and 8192',
    ],
    [
      'a reserved variable name',
      { InputTransformer: { InputTemplate: '<x>', InputPathsMap: { 'aws.events.rule-name': '$.source' } } },
      'InputPathsMap key "aws.events.rule-name"',
    ],
    [
      'a bad path in InputPathsMap',
      { InputTransformer: { InputTemplate: '<x>', InputPathsMap: { x: '.detail' } } },
      'InputPathsMap value for "x" is not a valid JSON path',
    ],
    [
      'a placeholder as an object key',
      { InputTransformer: { InputTemplate: '{<x>: 1}', InputPathsMap: { x: '$.source' } } },
      'placeholder <x> cannot be an object key',
    ],
    [
      'more than 100 variables',
      { InputTransformer: { InputTemplate: '<v0>', InputPathsMap: manyPaths(101) } },
      'InputPathsMap can have at most 100 entries',
    ],
  ])('rejects %s', (_name, target, message) => {
    expect(() => validateTargetInput(target)).toThrow(TargetInputValidationError);
    expect(() => validateTargetInput(target)).toThrow(message);
  });

  test('shapeTargetInput refuses an invalid target too', () => {
    expect(() => shapeTargetInput({ Input: '{}', InputPath: '$' }, transformerEvent, context)).toThrow(
      TargetInputValidationError,
    );
  });

  test('accepts 100 variables', () => {
    expect(() =>
      validateTargetInput({ InputTransformer: { InputTemplate: '<v0>', InputPathsMap: manyPaths(100) } }),
    ).not.toThrow();
  });
});

function manyPaths(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}`, '$.source']));
}

describe('JSON path subset', () => {
  const doc = { a: { 'b-c': [10, { d: 'x' }], 'e/f': 1, 'g.h': 2 } };
  test.each<[string, unknown]>([
    ['$', doc],
    ['$.a.b-c[0]', 10],
    ['$.a.b-c[1].d', 'x'],
    ['$.a.e/f', 1],
    ['$.a["g.h"]', 2],
    ['$.a.b-c[*]', [10, { d: 'x' }]],
    ['$.a.b-c[*].d', ['x']],
  ])('%s', (path, value) => {
    expect(evaluateJsonPath(doc, path)).toEqual({ found: true, value });
  });

  test.each(['$.missing', '$.a.b-c[5]', '$.a.b-c.d', '$.a.e/f.g'])('%s finds nothing', (path) => {
    expect(evaluateJsonPath(doc, path)).toEqual({ found: false });
  });

  test.each(['detail', '$..a', '$.a[-1]', '$.a[?(@.x)]', '$.'])('%s is rejected', (path) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathSyntaxError);
  });
});
