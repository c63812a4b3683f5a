import { afterEach, describe, expect, test } from '@jest/globals';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { JsonLogger } from '../src/json-logger';
import { captureLogs, lambdaContext } from '../src/testing/http';

// The lines must stay the ones Powertools Logger wrote: it logs the same calls beside JsonLogger.
type Line = Record<string, unknown>;
const redactSecret = (key: string, value: unknown) => (key === 'secret' ? '[REDACTED]' : value);

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  delete process.env._X_AMZN_TRACE_ID;
});

function linesOf(run: (logger: JsonLogger) => void, make: () => JsonLogger): Line[] {
  const logs = captureLogs();
  restore = logs.restore;
  try {
    run(make());
  } finally {
    logs.restore();
  }
  return logs.lines().map(({ timestamp, ...line }) => {
    expect(timestamp).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    return line;
  });
}

function both(
  run: (logger: JsonLogger) => void,
  options = { serviceName: 'svc', jsonReplacerFn: redactSecret },
) {
  const ours = linesOf(run, () => new JsonLogger(options));
  const theirs = linesOf(run, () => new PowertoolsLogger(options) as unknown as JsonLogger);
  return { ours, theirs };
}

describe('JsonLogger writes the lines Powertools Logger wrote', () => {
  test('levels, messages, extra objects, strings and errors, with keys in the same order', () => {
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    // Made once, so both loggers print the same stack.
    const cause = new Error('inner');
    const error = Object.assign(new Error('outer', { cause }), { code: 'E_X' });
    const { ours, theirs } = both((logger) => {
      logger.debug('not written at INFO');
      logger.info('plain');
      logger.info('with fields', { a: 1, nested: { b: [1, 2] }, empty: '', none: null }, 'a string');
      logger.error('failed', error);
      logger.warn({ message: 'object input', c: true, secret: 's3' }, { big: 10n });
      logger.critical('critical');
      logger.info('reserved', { level: 'x', service: 'y', kept: 1 });
    });
    expect(ours.map((line) => Object.keys(line))).toEqual(theirs.map((line) => Object.keys(line)));
    expect(ours).toEqual(theirs);
    expect(ours.length).toBe(8);
  });

  test('context, temporary and persistent keys, reset, child loggers and circular values', () => {
    const { ours, theirs } = both((logger) => {
      logger.addContext(lambdaContext());
      logger.appendKeys({ correlation_id: 'c-1', secret: 'hidden' });
      logger.appendPersistentKeys({ region: 'eu' });
      const circular: Record<string, unknown> = { name: 'loop' };
      circular.self = circular;
      logger.info('first', { circular });
      logger.resetKeys();
      logger.info('after reset');
      logger.addContext({ ...lambdaContext(), awsRequestId: 'second' });
      logger.appendKeys({ tenant: 't' });
      const child = logger.createChild({ persistentKeys: { message_id: 'm-1' } });
      child.info('from the child');
      logger.setLogLevel('DEBUG');
      logger.debug('debug now');
    });
    expect(ours).toEqual(theirs);
    expect(ours).toHaveLength(4);
  });

  test('cold_start is true on the first invocation of an on-demand container only', () => {
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    try {
      const { ours, theirs } = both((logger) => {
        for (const awsRequestId of ['first', 'second']) {
          logger.addContext({ ...lambdaContext(), awsRequestId });
          logger.info(awsRequestId);
        }
      });
      expect(ours).toEqual(theirs);
      expect(ours.map((line) => line.cold_start)).toEqual([true, false]);
    } finally {
      delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    }
  });

  test('POWERTOOLS_LOG_LEVEL sets the level, AWS_LAMBDA_LOG_LEVEL overrides it and setLogLevel', () => {
    const saved = { ...process.env };
    try {
      process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
      expect(both((logger) => logger.info('hidden')).ours).toEqual([]);
      process.env.AWS_LAMBDA_LOG_LEVEL = 'DEBUG';
      const { ours, theirs } = both((logger) => {
        logger.setLogLevel('ERROR');
        logger.debug('shown');
      });
      expect(ours).toEqual(theirs);
      expect(ours).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });
});
