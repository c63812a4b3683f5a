import { describe, expect, test } from '@jest/globals';
import type { CatalogEntry } from '../../src/dead-letters/catalog';
import {
  bodyPreview,
  PREVIEW_CHARS,
  reasonOf,
  redact,
  REDACTED,
  viewOf,
} from '../../src/dead-letters/letters';
import type { DeadLetter } from '../../src/dead-letters/ports';

const letter = (body: string, attributes: Record<string, string> = {}): DeadLetter => ({
  messageId: 'm-1',
  receipt: 'r-1',
  body,
  attributes,
});
const noSource: Pick<CatalogEntry, 'source'> = {};
const fromInbound: Pick<CatalogEntry, 'source'> = {
  source: { name: 'inbound', url: 'u', arn: 'a', maxReceiveCount: 3 },
};

describe('reasonOf', () => {
  test('a queue fed by a redrive policy: the receive limit it exceeded, whatever the body says', () => {
    expect(reasonOf(letter('{"reason":"dispatch"}'), fromInbound)).toBe(
      'exceeded maxReceiveCount 3 on inbound',
    );
    expect(reasonOf(letter('{}'), { source: { name: 'q', url: 'u', arn: 'a' } })).toBe(
      "dead-lettered by q's redrive policy",
    );
  });

  test('EventBridge dead letters: its error code, message and exhausted condition', () => {
    expect(
      reasonOf(
        letter('{}', {
          ERROR_CODE: 'SDK_CLIENT_ERROR',
          ERROR_MESSAGE: 'queue refused it',
          EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        }),
        noSource,
      ),
    ).toBe('SDK_CLIENT_ERROR: queue refused it (MaximumRetryAttempts)');
    expect(reasonOf(letter('{}', { ERROR_CODE: 'NO_PERMISSIONS' }), noSource)).toBe('NO_PERMISSIONS');
  });

  test('Lambda’s record of a stream batch, and a producer’s own reason', () => {
    const record = { requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: {} };
    expect(reasonOf(letter(JSON.stringify(record)), noSource)).toBe(
      'stream batch dead-lettered by Lambda: RetryAttemptsExhausted',
    );
    expect(reasonOf(letter('{"reason":"rejected-by-bus","errorCode":"MalformedDetail"}'), noSource)).toBe(
      'rejected-by-bus (MalformedDetail)',
    );
    expect(reasonOf(letter('{"reason":"too-large"}'), noSource)).toBe('too-large');
    expect(reasonOf(letter('plain text'), noSource)).toBe('not recorded');
  });
});

describe('bodyPreview', () => {
  test('hides values under secret-looking names at any depth, keeps the rest', () => {
    const body = {
      id: 'evt-1',
      signature: 'c2lnbmF0dXJl',
      signaturekeyid: 'ingest-2026-11',
      data: { password: 'hunter2', nested: [{ apiKey: 'k' }, { client_secret: 's' }], note: 'ok' },
      headers: { Authorization: 'Bearer x', Cookie: 'c' },
      privateKey: { d: 'x' },
      token: 't',
    };
    expect(JSON.parse(bodyPreview(JSON.stringify(body)).bodyPreview)).toEqual({
      id: 'evt-1',
      signature: REDACTED,
      signaturekeyid: 'ingest-2026-11',
      data: { password: REDACTED, nested: [{ apiKey: REDACTED }, { client_secret: REDACTED }], note: 'ok' },
      headers: { Authorization: REDACTED, Cookie: REDACTED },
      privateKey: REDACTED,
      token: REDACTED,
    });
  });

  test('URLs lose their credentials and query, keep where they point', () => {
    expect(redact('https://user:pass@hooks.example.com/h?token=abc')).toBe(
      `https://hooks.example.com/h?${REDACTED}`,
    );
    expect(redact('https://hooks.example.com/h')).toBe('https://hooks.example.com/h');
    expect(redact('not a url ?x=1')).toBe('not a url ?x=1');
  });

  test('long bodies are cut; free text is never shown', () => {
    const long = bodyPreview(JSON.stringify({ data: 'x'.repeat(5000) }));
    expect(long.truncated).toBe(true);
    expect(long.bodyPreview).toHaveLength(PREVIEW_CHARS);
    expect(bodyPreview('password=hunter2')).toEqual({
      bodyPreview: '[not JSON: 16 bytes]',
      truncated: false,
    });
  });
});

describe('viewOf', () => {
  test('names the message, its age, receives, reason and correlation id', () => {
    const view = viewOf(
      {
        ...letter('{"a":1}', { correlationid: 'corr-9' }),
        sentAt: new Date('2026-01-01T00:00:00.000Z'),
        receiveCount: 4,
      },
      fromInbound,
      new Date('2026-01-01T00:01:30.500Z'),
    );
    expect(view).toEqual({
      messageId: 'm-1',
      sentAt: '2026-01-01T00:00:00.000Z',
      ageSeconds: 90,
      receiveCount: 4,
      reason: 'exceeded maxReceiveCount 3 on inbound',
      correlationId: 'corr-9',
      bodyBytes: 7,
      bodyPreview: '{"a":1}',
      truncated: false,
    });
  });
});
