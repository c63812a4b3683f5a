import { describe, expect, test } from '@jest/globals';
import { HeraldProblem } from '@herald/client';
import { formatProblem, progressBar, table } from '../src/format';
import { parseEvents } from '../src/input';
import { UsageError } from '../src/exit-codes';

describe('formatting', () => {
  test('a table aligns its columns under upper-case headers and shows a missing value as -', () => {
    const rows = [
      { id: 'sub_1', status: 'active' },
      { id: 'sub_22', status: undefined },
    ];
    expect(
      table(rows, [
        { header: 'id', value: (row) => row.id },
        { header: 'status', value: (row) => row.status },
      ]),
    ).toBe('ID      STATUS\nsub_1   active\nsub_22  -');
  });

  test('a problem is its title, status, detail and each field’s error, and no stack', () => {
    const problem = new HeraldProblem({
      type: 'https://herald.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'The request breaks its schema',
      errors: [{ pointer: '/body/eventTypes/0', message: 'must be a type' }],
    });
    expect(formatProblem(problem)).toBe(
      'Error: Validation failed (422)\n  The request breaks its schema\n  /body/eventTypes/0: must be a type',
    );
  });

  test('a progress bar fills with the bytes sent', () => {
    expect(progressBar(0, 2048, 10)).toBe('[----------]   0% 0 KiB/2 KiB');
    expect(progressBar(1024, 2048, 10)).toBe('[#####-----]  50% 1 KiB/2 KiB');
    expect(progressBar(3 * 1024 * 1024, 3 * 1024 * 1024, 10)).toBe('[##########] 100% 3.0 MiB/3.0 MiB');
  });
});

describe('events to send', () => {
  test('one object, an array, or NDJSON lines', () => {
    expect(parseEvents('{"type":"a.b"}', 'x')).toEqual([{ type: 'a.b' }]);
    expect(parseEvents('[{"type":"a.b"},{"type":"c.d"}]', 'x')).toHaveLength(2);
    expect(parseEvents('{"type":"a.b"}\n\n{"type":"c.d"}\n', 'x')).toEqual([
      { type: 'a.b' },
      { type: 'c.d' },
    ]);
  });

  test('what is not JSON objects is a usage error naming where', () => {
    expect(() => parseEvents('{"type":"a.b"}\nnope', 'events.ndjson')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('events.ndjson line 2 is not JSON') }),
    );
    expect(() => parseEvents('[1]', 'argument 1')).toThrow(
      new UsageError('argument 1 item 0 is not a JSON object'),
    );
    expect(() => parseEvents('  ', 'stdin')).toThrow(new UsageError('stdin holds no event'));
  });
});
