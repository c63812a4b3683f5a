import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { queueSafeJson, toQueueBody } from '../../src/aws/queue-body';
import { DEFAULT_MAX_MESSAGE_BYTES, messageBytes, sendMessages } from '../../src/aws/sqs-send';
import type { UnsignedEnvelope } from '../../src/contracts';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '../../src/signing';
import { queued, startSqs, type TestSqs } from '../../src/testing/sqs';

/** What SQS takes (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF), as the emulator checks it. */
// eslint-disable-next-line no-control-regex -- the rule is about control characters
const SQS_REFUSES = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/;

/** Strings SQS or its emulator refuse raw: noncharacters, emoji, a lone surrogate of each kind. */
const odd = ['\uFFFE', '\uFFFF', '😀', '𝄞 clef', 'a\uD800b', '\uDC00', 'é and ü', '\u2028\u2029'];
/** The same, without lone surrogates: JCS has no form for them, so no envelope holds one. */
const signable = odd.filter((text) => !/^a\uD800b$|^\uDC00$/.test(text));

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

describe('queueSafeJson', () => {
  test('leaves ASCII and the rest of the Basic Multilingual Plane as they are', () => {
    const json = JSON.stringify({ text: 'plain é ü 中文 \uE000 \uFFFD', n: 1.5e-300 });
    expect(queueSafeJson(json)).toBe(json);
  });

  test('writes U+FFFE, U+FFFF, characters above U+FFFF and lone surrogates as JSON escapes', () => {
    expect(queueSafeJson('"\uFFFE\uFFFF"')).toBe('"\\ufffe\\uffff"');
    expect(queueSafeJson('"😀"')).toBe('"\\ud83d\\ude00"');
    expect(queueSafeJson(JSON.stringify('\uD800'))).toBe('"\\ud800"');
  });

  test('what it makes holds only characters every queue takes, and reads back as the same value', () => {
    const value = { odd, keys: Object.fromEntries(odd.map((s, i) => [s, i])), nested: [[odd.join('')]] };
    const body = toQueueBody(value);
    expect(SQS_REFUSES.test(JSON.stringify(value))).toBe(true);
    expect(SQS_REFUSES.test(body)).toBe(false);
    expect(JSON.parse(body)).toEqual(value);
  });

  test('refuses what has no JSON form', () => {
    expect(() => toQueueBody(undefined)).toThrow(TypeError);
  });
});

describe('every producer’s messages travel whatever strings they hold', () => {
  test('sendMessages sends each odd string; the emulator takes them and the value comes back', async () => {
    const { url, name } = sqs.queue({ MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });
    const messages = odd.map((text) => ({ body: JSON.stringify({ text }), correlationId: 'corr-odd' }));
    expect(await sendMessages(sqs.client, url, messages)).toEqual(odd.map((_, index) => ({ index })));
    const bodies = queued(sqs, name).map((m) => JSON.parse(m.body) as { text: string });
    expect(bodies.map((b) => b.text).sort()).toEqual([...odd].sort());
  });

  test('sizes are counted as sent: a body that fits raw but not escaped is refused, not retried', async () => {
    const { url, name } = sqs.queue({ MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });
    // 60,000 emoji: 240,000 bytes of UTF-8, 720,000 once escaped.
    const body = JSON.stringify('😀'.repeat(60_000));
    expect(Buffer.byteLength(body)).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES);
    expect(messageBytes({ body })).toBe(60_000 * 12 + 2);
    expect(await sendMessages(sqs.client, url, [{ body }])).toEqual([
      { index: 0, error: expect.objectContaining({ code: 'MessageTooLong', retryable: false }) },
    ]);
    expect(queued(sqs, name)).toEqual([]);
  });
});

describe('signatures survive the escaping', () => {
  test('an envelope with odd strings, sent through SQS and received, verifies', async () => {
    const { privateJwk, publicJwk } = generateSigningKeyPair('transport-test');
    const signer = createEnvelopeSigner(privateJwk);
    const verifier = createEnvelopeVerifier([publicJwk]);
    const unsigned: UnsignedEnvelope = {
      specversion: '1.0',
      id: 'evt-odd',
      source: '/tenants/acme',
      type: 'text.odd',
      time: '2026-11-28T10:00:00.000Z',
      subject: 'ünïcödé 😀',
      datacontenttype: 'application/json',
      data: { signable, [signable.join('|')]: '\uFFFF', tiny: 1.5e-300 },
      tenantid: 'acme',
      correlationid: 'corr-odd',
    };
    const envelope = signer.sign(unsigned);
    const { url } = sqs.queue({ MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });
    expect(await sendMessages(sqs.client, url, [{ body: JSON.stringify(envelope) }])).toEqual([{ index: 0 }]);
    const out = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const received = out.Messages?.[0]?.Body;
    expect(received).not.toBe(JSON.stringify(envelope));
    expect(verifier.verify(received)).toEqual(envelope);
  });
});
