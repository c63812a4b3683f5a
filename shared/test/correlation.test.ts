import { describe, expect, test } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import { CORRELATION_ATTRIBUTE, correlationOf } from '../src/correlation';

const withAttributes = (messageAttributes: SQSRecord['messageAttributes'] | undefined) =>
  ({ messageId: 'm-1', body: '{}', messageAttributes }) as unknown as SQSRecord;

describe('correlationOf', () => {
  test('reads the correlationid attribute whatever the case of its name', () => {
    expect(CORRELATION_ATTRIBUTE).toBe('correlationid');
    expect(correlationOf(withAttributes({ correlationid: { dataType: 'String', stringValue: 'a' } }))).toBe(
      'a',
    );
    expect(correlationOf(withAttributes({ CorrelationId: { dataType: 'String', stringValue: 'b' } }))).toBe(
      'b',
    );
  });

  test('is undefined without the attribute, or without attributes at all', () => {
    expect(
      correlationOf(withAttributes({ other: { dataType: 'String', stringValue: 'x' } })),
    ).toBeUndefined();
    expect(correlationOf(withAttributes(undefined))).toBeUndefined();
  });
});
