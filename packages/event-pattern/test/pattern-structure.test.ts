// How patterns combine: nesting, AND/OR, arrays in events, $or, and null/empty values, with the user guide's
// examples.
import { describe, expect, test } from '@jest/globals';
import { compilePattern, matchesPattern } from '../src';
import { autoScalingEvent, ec2Event, rulerEvent, withDetail } from './fixtures';

type Row = [name: string, pattern: Record<string, unknown>, event: Record<string, unknown>, matches: boolean];

function table(rows: Row[]): void {
  test.each(rows)('%s', (_name, pattern, event, matches) => {
    expect(matchesPattern(pattern, event)).toBe(matches);
  });
}

describe('nested fields and AND', () => {
  const terminated = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };
  const macie = {
    source: ['aws.macie'],
    'detail-type': ['Macie Alert'],
    detail: { 'risk-score': [80], trigger: { risk: [8] } },
  };
  const macieEvent = {
    source: 'aws.macie',
    'detail-type': 'Macie Alert',
    detail: {
      tags: ['Custom_Alert', 'Insider'],
      'risk-score': 80,
      trigger: { 'alert-type': 'basic', risk: 8 },
    },
  };
  table([
    ['the EC2 termination pattern', terminated, ec2Event, true],
    ['every field must match', terminated, { ...ec2Event, detail: { state: 'running' } }, false],
    ['a field the event lacks', { ...terminated, region: ['us-east-1'] }, ec2Event, false],
    ['two levels deep (Macie)', macie, macieEvent, true],
    [
      'two levels deep, wrong risk',
      macie,
      { ...macieEvent, detail: { ...macieEvent.detail, trigger: { risk: 9 } } },
      false,
    ],
    ['a pattern leaf against an event object', { detail: ['terminated'] }, ec2Event, false],
    [
      'a pattern object against an event leaf',
      { detail: { state: { name: ['terminated'] } } },
      ec2Event,
      false,
    ],
    ['a pattern object against a missing field', { detail: { missing: { name: ['x'] } } }, ec2Event, false],
    ['the README complex example', complexPattern(), rulerEvent, true],
    [
      'the complex example, c-count out of range',
      complexPattern(),
      withDetail({ ...rulerEvent.detail, 'c-count': 6 }),
      false,
    ],
  ]);
});

function complexPattern(): Record<string, unknown> {
  return {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };
}

describe('null and empty strings', () => {
  table([
    ['[""] matches an empty string', { detail: { eventVersion: [''] } }, autoScalingEvent, true],
    ['[null] matches null', { detail: { responseElements: [null] } }, autoScalingEvent, true],
    ['[null] does not match an empty string', { detail: { eventVersion: [null] } }, autoScalingEvent, false],
    ['[""] does not match null', { detail: { responseElements: [''] } }, autoScalingEvent, false],
    ['[null] does not match a missing field', { detail: { lastName: [null] } }, autoScalingEvent, false],
    ['the documented Auto Scaling pattern', autoScalingPattern(), autoScalingEvent, true],
  ]);
});

function autoScalingPattern(): Record<string, unknown> {
  return {
    source: ['aws.autoscaling'],
    'detail-type': ['EC2 Instance Launch Successful'],
    detail: { responseElements: [null] },
  };
}

describe('arrays in events', () => {
  const resources = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  const resourcesEvent = {
    resources: [
      'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
    ],
  };
  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };
  const nestedEmployees = {
    employees: [
      [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
      [{ firstName: 'Peter', lastName: 'Jones' }],
    ],
  };
  table([
    ['the intersection is not empty', resources, resourcesEvent, true],
    [
      'the intersection is empty',
      resources,
      { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-0'] },
      false,
    ],
    ['an empty array has no values', { resources: ['x'] }, { resources: [] }, false],
    [
      'a value among tags',
      { detail: { tags: ['Insider'] } },
      { detail: { tags: ['Custom_Alert', 'Insider'] } },
      true,
    ],
    ['objects in an array: one element', { employees: { firstName: ['Anna'] } }, employees, true],
    [
      'two fields from one element',
      { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      employees,
      true,
    ],
    [
      'two fields from different elements',
      { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      employees,
      false,
    ],
    ['arrays of arrays', { employees: { firstName: ['Peter'] } }, nestedEmployees, true],
    [
      'arrays of arrays, different elements',
      { employees: { firstName: ['Anna'], lastName: ['Doe'] } },
      nestedEmployees,
      false,
    ],
    [
      'fields outside the array combine with any element',
      { source: ['hr'], employees: { firstName: ['Peter'], lastName: ['Jones'] } },
      { source: 'hr', ...employees },
      true,
    ],
    [
      'exists false is judged against the chosen element',
      { employees: { middleName: [{ exists: false }], lastName: ['Jones'] } },
      { employees: [{ lastName: 'Doe', middleName: 'Q' }, { lastName: 'Jones' }] },
      true,
    ],
    [
      'exists false alone sees every element',
      { employees: { middleName: [{ exists: false }] } },
      { employees: [{ lastName: 'Doe', middleName: 'Q' }, { lastName: 'Jones' }] },
      false,
    ],
  ]);
});

describe('$or', () => {
  const metrics = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  };
  const counts = {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  };
  const parallel = {
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
  };
  const nested = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization', 'ReadLatency'] },
      {
        metricType: ['MetricType'],
        namespace: ['AWS/EC2', 'AWS/ES'],
        $or: [{ metricId: [1234] }, { spaceId: [1000] }],
      },
      { scope: ['Service'] },
    ],
  };
  const cloudwatch = (fields: Record<string, unknown>): Record<string, unknown> => ({
    source: 'aws.cloudwatch',
    ...fields,
  });
  table([
    ['source and the first alternative', metrics, cloudwatch({ metricName: 'ReadLatency' }), true],
    ['source and the second alternative', metrics, cloudwatch({ namespace: 'AWS/ES' }), true],
    ['source and neither alternative', metrics, cloudwatch({ metricName: 'Other' }), false],
    ['an alternative without the source', metrics, { source: 'aws.ec2', metricName: 'ReadLatency' }, false],
    ['inside detail: c-count', counts, withDetail({ 'c-count': 3 }), true],
    ['inside detail: x-limit', counts, withDetail({ 'x-limit': 301.8 }), true],
    ['inside detail: none', counts, withDetail({ 'c-count': 9, 'd-count': 11 }), false],
    [
      'parallel $or: both satisfied',
      parallel,
      { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
      true,
    ],
    ['parallel $or: one satisfied', parallel, { namespace: 'AWS/EC2', detail: { source: 'other' } }, false],
    [
      'nested $or: inner first',
      nested,
      cloudwatch({ metricType: 'MetricType', namespace: 'AWS/EC2', metricId: 1234 }),
      true,
    ],
    [
      'nested $or: inner second',
      nested,
      cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }),
      true,
    ],
    [
      'nested $or: inner missing',
      nested,
      cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES' }),
      false,
    ],
    ['nested $or: another alternative', nested, cloudwatch({ scope: 'Service' }), true],
  ]);
});

describe('compilePattern', () => {
  test('a compiled pattern is reusable across events', () => {
    const matches = compilePattern({ detail: { state: ['terminated', 'running'] } });
    expect(matches(ec2Event)).toBe(true);
    expect(matches(rulerEvent)).toBe(true);
    expect(matches(autoScalingEvent)).toBe(false);
  });

  test('something that is not an object never matches', () => {
    const matches = compilePattern({ source: [{ exists: false }] });
    expect(matches(null)).toBe(false);
    expect(matches([ec2Event])).toBe(false);
  });
});

describe('events nested thousands deep', () => {
  // A bus may be handed any JSON detail; matching one must not overflow the call stack.
  const deep = (depth: number, open: string, close: string, leaf: string) =>
    JSON.parse(
      `{"source":"herald.processing","detail":{"data":${open.repeat(depth)}${leaf}${close.repeat(depth)}}}`,
    ) as Record<string, unknown>;

  test.each([
    ['arrays', deep(20_000, '[', ']', '"x"')],
    ['objects', deep(20_000, '{"a":', '}', '"x"')],
  ])('%s: a pattern on other fields matches', (_name, event) => {
    expect(matchesPattern({ source: ['herald.processing'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['elsewhere'] }, event)).toBe(false);
  });

  test('a leaf at the bottom of deep arrays is still found', () => {
    const event = deep(5_000, '[', ']', '"bottom"');
    expect(matchesPattern({ detail: { data: ['bottom'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { data: ['top'] } }, event)).toBe(false);
  });
});
