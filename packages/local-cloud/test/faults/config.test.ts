// HERALD_FAULTS and the `faults` option: one grammar, checked, with clear errors.
import { describe, expect, test } from '@jest/globals';
import { changeRates, describeFaults, FaultConfigError, parseFaults } from '../../src/faults/config';

describe('parseFaults', () => {
  test('no setting, or an empty one, asks for no faults', () => {
    expect(parseFaults(undefined)).toBeUndefined();
    expect(parseFaults('')).toBeUndefined();
    expect(parseFaults(' , ')).toBeUndefined();
  });

  test('aws sets every service; crash, stream and seed are their own', () => {
    expect(parseFaults('aws=0.05,crash=0.01,stream=0.02,seed=42')).toEqual({
      aws: { sqs: 0.05, dynamodb: 0.05, events: 0.05, kms: 0.05, s3: 0.05 },
      crash: 0.01,
      stream: 0.02,
      sticky: 0,
      seed: 42,
    });
  });

  test('a service named alone wins over aws, whatever the order; eventbridge is events', () => {
    const config = parseFaults('kms=0.5, aws=0.1, eventbridge=0');
    expect(config?.aws).toEqual({ sqs: 0.1, dynamodb: 0.1, events: 0, kms: 0.5, s3: 0.1 });
    expect(config).toMatchObject({ crash: 0, stream: 0, sticky: 0, seed: 1 });
  });

  test('the option takes the same settings as an object', () => {
    expect(parseFaults({ sqs: 0.2, crash: 0.01, seed: 7 })).toEqual({
      aws: { sqs: 0.2, dynamodb: 0, events: 0, kms: 0, s3: 0 },
      crash: 0.01,
      stream: 0,
      sticky: 0,
      seed: 7,
    });
    // An object, even all zeros, still starts the proxies so rates can be raised at run time.
    expect(parseFaults({})).toBeDefined();
  });

  test.each([
    ['aws=5%', /aws=5% must be a number from 0 to 1/],
    ['crash=1.5', /crash=1.5 must be a number from 0 to 1/],
    ['sqs=-0.1', /sqs=-0.1/],
    ['sqs=', /sqs= must be a number/],
    [
      'lambda=0.1',
      /unknown fault setting "lambda" \(known: aws, sqs, dynamodb, events, kms, s3, crash, stream, sticky, seed/,
    ],
    ['aws', /"aws" is not name=value/],
    ['aws=0.1,AWS=0.2', /aws is given twice/],
    ['events=0.1,eventbridge=0.2', /events is given twice/],
    ['seed=1.5', /seed=1.5 must be a whole number/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseFaults(text)).toThrow(FaultConfigError);
    expect(() => parseFaults(text)).toThrow(message);
  });

  test('describeFaults spells a configuration as HERALD_FAULTS would, and reads back the same', () => {
    const config = parseFaults('aws=0.05,dynamodb=0.1,crash=0.01,stream=0.02,sticky=0.5,seed=3')!;
    const text = describeFaults(config);
    expect(text).toBe(
      'sqs=0.05,dynamodb=0.1,events=0.05,kms=0.05,s3=0.05,crash=0.01,stream=0.02,sticky=0.5,seed=3',
    );
    expect(parseFaults(text)).toEqual(config);
  });
});

describe('changeRates', () => {
  const start = parseFaults('aws=0.05,crash=0.01,stream=0.02')!;

  test('changes only what it names', () => {
    expect(changeRates(start, { crash: 0 })).toEqual({ ...start, crash: 0, seed: undefined });
    expect(changeRates(start, 's3=0.5').aws).toEqual({ ...start.aws, s3: 0.5 });
    expect(changeRates(start, { aws: 0, crash: 0, stream: 0 })).toEqual({
      aws: { sqs: 0, dynamodb: 0, events: 0, kms: 0, s3: 0 },
      crash: 0,
      stream: 0,
      sticky: 0,
    });
  });

  test('the seed is fixed at the start', () => {
    expect(() => changeRates(start, { seed: 2 })).toThrow(/seed is fixed/);
  });
});
