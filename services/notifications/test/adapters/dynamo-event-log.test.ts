/**
 * The event log keeps each envelope as its JSON text, so every envelope processing stored can be
 * fanned out, replayed and delivered, and verifies again when read; items written before, as maps,
 * are still read.
 */
import { describe, expect, test } from '@jest/globals';
import { envelopeOfItem, envelopeText } from '../../src/adapters/dynamo-event-log';
import { envelopeKeys } from '../support/memory';

const { sign, verifier } = envelopeKeys();

/** Data a DynamoDB map refuses or changes: a number beyond its range, 40 levels, `__proto__`. */
function oddData(): unknown {
  let deep: unknown = 'leaf';
  for (let level = 0; level < 40; level++) deep = { level: deep };
  return JSON.parse(
    `{"tiny":1.5e-300,"huge":1.7e308,"deep":${JSON.stringify(deep)},"__proto__":{"polluted":true},"text":"😀\\uffff"}`,
  );
}

describe('envelopes in the event log', () => {
  test('are kept as text and read back as the envelope that was signed, still verifying', () => {
    const envelope = sign({ data: oddData() });
    const stored = envelopeText(envelope);
    expect(typeof stored).toBe('string');
    const read = envelopeOfItem(stored)!;
    expect(verifier.verify(read)).toEqual(envelope);
    expect(Object.hasOwn(read.data as object, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test('an item written as a map, before, is read as it is', () => {
    const envelope = sign();
    expect(envelopeOfItem(structuredClone(envelope))).toEqual(envelope);
    expect(verifier.verify(envelopeOfItem(structuredClone(envelope)))).toEqual(envelope);
  });

  test('no item, no envelope', () => {
    expect(envelopeOfItem(undefined)).toBeUndefined();
  });
});
