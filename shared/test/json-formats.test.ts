import { describe, expect, test } from '@jest/globals';
import ajvFormats from 'ajv-formats/dist/formats.js';
import { isDateTime, isUri } from '../src/json-formats';

type Check = (text: string) => boolean;
/** ajv-formats' full check of a format: a function, or an object holding it as `validate`. */
function fullFormat(name: string): Check {
  const format = (ajvFormats as { fullFormats: Record<string, Check | { validate: Check }> }).fullFormats[
    name
  ]!;
  return typeof format === 'function' ? format : format.validate;
}
const reference = fullFormat('date-time');

describe('isDateTime', () => {
  const samples = [
    '2026-11-30T16:38:52Z',
    '2026-11-30T16:38:52.123456Z',
    '2026-11-30t16:38:52z',
    '2026-11-30 16:38:52+01:00',
    '2026-11-30T16:38:52+0100',
    '2026-11-30T16:38:52+01',
    '2026-11-30T16:38:52',
    '2026-11-30',
    '2024-02-29T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-11-30T24:00:00Z',
    '2026-11-30T23:60:00Z',
    '2016-12-31T23:59:60Z',
    '2016-12-31T18:59:60-05:00',
    '2016-12-31T23:59:60+01:00',
    '2016-12-31T22:59:60Z',
    '2026-11-30T16:38:52+24:00',
    '2026-11-30T16:38:52+01:60',
    '2026-11-30TT16:38:52Z',
    '2026-11-30T16:38:52Z ',
    '',
    'not a date',
    '２０２６-11-30T16:38:52Z',
  ];

  test.each(samples)('%j: as ajv-formats full date-time judges it', (text) => {
    expect(isDateTime(text)).toBe(reference(text));
  });

  test('the samples hold both answers', () => {
    expect(samples.filter(isDateTime).length).toBeGreaterThan(5);
    expect(samples.filter((text) => !isDateTime(text)).length).toBeGreaterThan(5);
  });
});

describe('isUri', () => {
  const samples = [
    'https://example.com/x',
    'https://exports.s3.amazonaws.com/tenant/part-1.ndjson?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900',
    'http://127.0.0.1:4566/bucket/key',
    'http://[::1]:8080/path',
    'http://[v1.fe]/',
    'mailto:ops@example.com',
    'urn:isbn:0451450523',
    'file:///etc/passwd',
    'https://user:pass@example.com:443/a/b#frag',
    'example.com/x',
    '/relative/path',
    'https://exa mple.com/',
    'https://example.com/%zz',
    'https://example.com/ä',
    'http://[::1/',
    '1http://example.com',
    'https:',
    'nocolonorslash',
    '',
  ];

  test.each(samples)('%j: as ajv-formats full uri judges it', (text) => {
    expect(isUri(text)).toBe(fullFormat('uri')(text));
  });

  test('the samples hold both answers', () => {
    expect(samples.filter(isUri).length).toBeGreaterThan(5);
    expect(samples.filter((text) => !isUri(text)).length).toBeGreaterThan(5);
  });
});
