// One table per comparison operator. Patterns and events come from the EventBridge user guide ("Comparison
// operators", "Content filtering") and the event-ruler README where the guide gives no event; each table has
// matching and non-matching rows.
import { describe, expect, test } from '@jest/globals';
import { matchesPattern } from '../src';
import { rulerEvent, withDetail } from './fixtures';

type Row = [name: string, pattern: Record<string, unknown>, event: Record<string, unknown>, matches: boolean];

function table(rows: Row[]): void {
  test.each(rows)('%s', (_name, pattern, event, matches) => {
    expect(matchesPattern(pattern, event)).toBe(matches);
  });
}

describe('prefix', () => {
  const time = { time: [{ prefix: '2017-10-02' }] };
  const service = { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } };
  table([
    ['"time" starting 2017-10-02', time, rulerEvent, true],
    ['another day', time, { ...rulerEvent, time: '2017-10-03T16:24:49Z' }, false],
    ['the whole value is the prefix', { source: [{ prefix: 'aws.ec2' }] }, rulerEvent, true],
    ['not a string', { detail: { 'c-count': [{ prefix: '5' }] } }, rulerEvent, false],
    ['case matters', { source: [{ prefix: 'AWS.' }] }, rulerEvent, false],
    ['empty prefix matches any string', { source: [{ prefix: '' }] }, rulerEvent, true],
    ['ignore case: EventBridge', service, withDetail({ service: 'EventBridge' }), true],
    ['ignore case: EVENTBRIDGE', service, withDetail({ service: 'EVENTBRIDGE' }), true],
    ['ignore case: eventbridge', service, withDetail({ service: 'eventbridge' }), true],
    ['ignore case: prefix elsewhere', service, withDetail({ service: 'Amazon EventBridge' }), false],
  ]);
});

describe('suffix', () => {
  const png = { detail: { FileName: [{ suffix: '.png' }] } };
  const pngAnyCase = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
  table([
    ['image.png', png, withDetail({ FileName: 'image.png' }), true],
    ['image.PNG is not .png', png, withDetail({ FileName: 'image.PNG' }), false],
    ['image.jpg', png, withDetail({ FileName: 'image.jpg' }), false],
    ['suffix of a source', { source: [{ suffix: 'ec2' }] }, rulerEvent, true],
    ['ignore case: image.PNG', pngAnyCase, withDetail({ FileName: 'image.PNG' }), true],
    ['ignore case: image.Png', pngAnyCase, withDetail({ FileName: 'image.Png' }), true],
    ['ignore case: image.jpg', pngAnyCase, withDetail({ FileName: 'image.jpg' }), false],
  ]);
});

describe('equals-ignore-case', () => {
  const alice = { detail: { name: [{ 'equals-ignore-case': 'alice' }] } };
  table([
    ['Alice', alice, withDetail({ name: 'Alice' }), true],
    ['ALICE', alice, withDetail({ name: 'ALICE' }), true],
    ['Alicia', alice, withDetail({ name: 'Alicia' }), false],
    ['source EC2', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, rulerEvent, true],
    [
      'a number is not a string',
      { detail: { 'c-count': [{ 'equals-ignore-case': '5' }] } },
      rulerEvent,
      false,
    ],
  ]);
});

describe('anything-but', () => {
  const notInitializing = { detail: { state: [{ 'anything-but': 'initializing' }] } };
  const notStoppedOrOverloaded = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
  const notRoundLimits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
  const notInit = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
  const notTxt = { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } };
  const notStoppedAnyCase = {
    detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] },
  };
  const notLib = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
  const notLibOrBin = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } };
  table([
    ['running is not initializing', notInitializing, rulerEvent, true],
    ['initializing', notInitializing, withDetail({ state: 'initializing' }), false],
    ['a missing field is not "anything"', notInitializing, withDetail({}), false],
    ['a number is anything but a string', notInitializing, withDetail({ state: 5 }), true],
    ['null is anything but a string', notInitializing, withDetail({ state: null }), true],
    [
      'an array with another value',
      notInitializing,
      withDetail({ state: ['initializing', 'running'] }),
      true,
    ],
    ['an array of only the excluded value', notInitializing, withDetail({ state: ['initializing'] }), false],
    [
      'x-limit 123 excluded',
      { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      withDetail({ 'x-limit': 123 }),
      false,
    ],
    ['x-limit 301.8 is not 123', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, rulerEvent, true],
    [
      'the string "123" is not the number',
      { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      withDetail({ 'x-limit': '123' }),
      true,
    ],
    ['list: running', notStoppedOrOverloaded, rulerEvent, true],
    ['list: overloaded', notStoppedOrOverloaded, withDetail({ state: 'overloaded' }), false],
    ['numbers: 301.8', notRoundLimits, rulerEvent, true],
    ['numbers: 3.0e2 is 300', notRoundLimits, JSON.parse('{"detail": {"x-limit": 3.0e2}}'), false],
    ['prefix: initializing', notInit, withDetail({ state: 'initializing' }), false],
    ['prefix: running', notInit, rulerEvent, true],
    ['suffix: notes.txt', notTxt, withDetail({ FileName: 'notes.txt' }), false],
    ['suffix: image.png', notTxt, withDetail({ FileName: 'image.png' }), true],
    ['ignore case: STOPPED', notStoppedAnyCase, withDetail({ state: 'STOPPED' }), false],
    ['ignore case: overloaded', notStoppedAnyCase, withDetail({ state: 'overloaded' }), false],
    ['ignore case: running', notStoppedAnyCase, rulerEvent, true],
    ['wildcard: /usr/lib/x.so', notLib, withDetail({ FilePath: '/usr/lib/x.so' }), false],
    ['wildcard: /usr/bin/x', notLib, withDetail({ FilePath: '/usr/bin/x' }), true],
    ['wildcard list: /usr/bin/x', notLibOrBin, withDetail({ FilePath: '/usr/bin/x' }), false],
    ['wildcard list: /etc/x', notLibOrBin, withDetail({ FilePath: '/etc/x' }), true],
  ]);
});

describe('numeric', () => {
  const documented = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  const count = (range: unknown[]): Record<string, unknown> => ({
    detail: { 'c-count': [{ numeric: range }] },
  });
  table([
    ['the documented example', documented, rulerEvent, true],
    ['c-count 0 is not > 0', documented, withDetail({ ...rulerEvent.detail, 'c-count': 0 }), false],
    ['d-count 10 is not < 10', documented, withDetail({ ...rulerEvent.detail, 'd-count': 10 }), false],
    [
      'x-limit written 3.018e2',
      documented,
      JSON.parse(JSON.stringify(rulerEvent).replace('301.8', '3.018e2')),
      true,
    ],
    ['x-limit as a string', documented, withDetail({ ...rulerEvent.detail, 'x-limit': '301.8' }), false],
    ['= 300 matches 3.0e2', count(['=', 300]), JSON.parse('{"detail": {"c-count": 3.0e2}}'), true],
    ['= 300 matches 300.0', count(['=', 300]), JSON.parse('{"detail": {"c-count": 300.0}}'), true],
    ['>= includes the bound', count(['>=', 5]), rulerEvent, true],
    ['> excludes the bound', count(['>', 5]), rulerEvent, false],
    ['<= includes the bound', count(['<=', 5]), rulerEvent, true],
    ['< excludes the bound', count(['<', 5]), rulerEvent, false],
    ['closed range low end', count(['>=', 5, '<', 6]), rulerEvent, true],
    ['open range high end', count(['>', 4, '<', 5]), rulerEvent, false],
    ['negative numbers', count(['>', -10, '<', -1]), withDetail({ 'c-count': -5.5 }), true],
    ['six decimals are precise', count(['>', 0.000001]), withDetail({ 'c-count': 0.000002 }), true],
    ['0.1 + 0.2 style drift does not apply', count(['=', 0.3]), withDetail({ 'c-count': 0.3 }), true],
    ['beyond 5e9 is not numeric', count(['>', 0]), withDetail({ 'c-count': 6e9 }), false],
    ['-5e9 is the lowest comparable', count(['<', 0]), withDetail({ 'c-count': -5e9 }), true],
    ['more than six decimals is not numeric', count(['>', 0]), withDetail({ 'c-count': 0.0000001 }), false],
    ['booleans are not numbers', count(['>', 0]), withDetail({ 'c-count': true }), false],
    ['an array with one number in range', count(['<', 2]), withDetail({ 'c-count': [5, 1] }), true],
    ['exact number value, not numeric operator', { detail: { 'c-count': [5] } }, rulerEvent, true],
    ['exact number does not match its string', { detail: { 'c-count': ['5'] } }, rulerEvent, false],
  ]);
});

describe('exists', () => {
  const absent = { detail: { 'c-count': [{ exists: false }] } };
  const present = { detail: { 'c-count': [{ exists: true }] } };
  table([
    ['exists true: present', present, rulerEvent, true],
    ['exists true: missing', present, withDetail({ state: 'running' }), false],
    ['exists false: missing', absent, withDetail({ state: ['initializing', 'running'] }), true],
    ['exists false: present', absent, rulerEvent, false],
    // The guide: "also matches ... because c-count isn't a leaf node".
    [
      'exists false: an object is not a leaf',
      absent,
      withDetail({ state: 'running', 'c-count': { c1: 100 } }),
      true,
    ],
    ['exists true: an object is not a leaf', present, withDetail({ 'c-count': { c1: 100 } }), false],
    ['exists false: empty array has no values', absent, withDetail({ 'c-count': [] }), true],
    ['exists false: a null value is present', absent, withDetail({ 'c-count': null }), false],
    ['exists false: the parent is missing', absent, { source: 'x' }, true],
    ['exists false with another condition', { ...absent, source: ['aws.ec2'] }, withDetail({}), true],
    ['exists false or a value', { detail: { 'c-count': [{ exists: false }, 5] } }, rulerEvent, true],
  ]);
});

describe('wildcard', () => {
  const busArn = { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } };
  const png = { detail: { Key: [{ wildcard: 'dir/*.png' }] } };
  const key = (wildcard: string): Record<string, unknown> => ({ detail: { Key: [{ wildcard }] } });
  table([
    [
      'any account, any bus',
      busArn,
      withDetail({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }),
      true,
    ],
    [
      'another region',
      busArn,
      withDetail({ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/orders' }),
      false,
    ],
    ['* spans slashes', png, withDetail({ Key: 'dir/sub/image.png' }), true],
    ['* may be empty', png, withDetail({ Key: 'dir/.png' }), true],
    ['wrong extension', png, withDetail({ Key: 'dir/image.jpg' }), false],
    ['*Title* anywhere', key('*Title*'), withDetail({ Key: 'MyTitleHere' }), true],
    ['ends must not overlap', key('ab*ba'), withDetail({ Key: 'aba' }), false],
    ['ends with a middle', key('a*b*c'), withDetail({ Key: 'aXbYc' }), true],
    ['middle out of order', key('a*c*b'), withDetail({ Key: 'abc' }), false],
    ['lone * matches the empty string', key('*'), withDetail({ Key: '' }), true],
    ['no wildcard is an exact match', key('dir'), withDetail({ Key: 'dir2' }), false],
    ['\\* is a literal asterisk', key('a\\*b'), withDetail({ Key: 'a*b' }), true],
    ['\\* does not match other text', key('a\\*b'), withDetail({ Key: 'axb' }), false],
    ['\\\\ is a literal backslash', key('a\\\\*'), withDetail({ Key: 'a\\anything' }), true],
    ['a number is not a string', key('*'), withDetail({ Key: 5 }), false],
  ]);
});

describe('cidr', () => {
  const v4 = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
  const v6 = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/64' }] } };
  const ip = (address: unknown): Record<string, unknown> => withDetail({ sourceIPAddress: address });
  table([
    ['10.0.0.0/24 contains 10.0.0.24', v4, ip('10.0.0.24'), true],
    ['10.0.0.0/24 contains 10.0.0.255', v4, ip('10.0.0.255'), true],
    ['10.0.0.0/24 excludes 10.0.1.1', v4, ip('10.0.1.1'), false],
    ['not an address', v4, ip('10.0.0.300'), false],
    ['the README rule on source-ip', { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, rulerEvent, true],
    ['/32 is one host', { detail: { sourceIPAddress: [{ cidr: '10.0.0.7/32' }] } }, ip('10.0.0.7'), true],
    ['IPv6 inside', v6, ip('2001:db8::1'), true],
    ['IPv6 in long form', v6, ip('2001:0db8:0000:0000:0000:0000:0000:00ff'), true],
    ['IPv6 outside', v6, ip('2001:db8:0:1::1'), false],
    ['an IPv4 address against an IPv6 block', v6, ip('10.0.0.1'), false],
    [
      'a plain IP value matches any spelling',
      { detail: { sourceIPAddress: ['2001:db8::1'] } },
      ip('2001:db8:0:0:0:0:0:1'),
      true,
    ],
  ]);
});

describe('exact values', () => {
  table([
    ['string', { source: ['aws.ec2'] }, rulerEvent, true],
    ['strings are case sensitive', { source: ['AWS.EC2'] }, rulerEvent, false],
    ['any of several values', { source: ['aws.fargate', 'aws.ec2'] }, rulerEvent, true],
    ['none of several values', { source: ['aws.fargate', 'aws.s3'] }, rulerEvent, false],
    ['true', { detail: { flag: [true] } }, withDetail({ flag: true }), true],
    ['true is not "true"', { detail: { flag: [true] } }, withDetail({ flag: 'true' }), false],
    ['false', { detail: { flag: [false] } }, withDetail({ flag: false }), true],
    ['a number value', { detail: { 'd-count': [3] } }, rulerEvent, true],
  ]);
});
