import { describe, expect, test } from '@jest/globals';
import { parseLine, splitLines, type ParsedLine, type RawLine } from '../src/ndjson';
import validateLine from '../src/schemas/upload-line.validator.generated';

async function* chunked(content: Buffer | string, size: number) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  for (let start = 0; start < bytes.length; start += size)
    yield new Uint8Array(bytes.subarray(start, start + size));
}

async function lines(content: Buffer | string, max = 64, chunkSize = 5): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const line of splitLines(chunked(content, chunkSize), max)) out.push(line);
  return out;
}

const text = (line: RawLine) => (line.tooLong ? `<${line.length} bytes>` : line.bytes.toString('utf8'));

async function parse(content: Buffer | string, max = 1024): Promise<ParsedLine[]> {
  return (await lines(content, max)).map((raw) => parseLine(raw, validateLine, max));
}

describe('splitLines', () => {
  test.each([1, 2, 3, 7, 64, 4096])('the same lines whatever the chunk size (%i)', async (size) => {
    const out = await lines('{"a":1}\n\n  \n{"b":2}\n', 64, size);
    expect(out.map(text)).toEqual(['{"a":1}', '', '  ', '{"b":2}']);
    expect(out.map((l) => l.number)).toEqual([1, 2, 3, 4]);
  });

  test('a last line without a newline is a line; a trailing newline adds none', async () => {
    expect((await lines('a\nb')).map(text)).toEqual(['a', 'b']);
    expect((await lines('a\nb\n')).map(text)).toEqual(['a', 'b']);
    expect(await lines('')).toEqual([]);
    expect((await lines('\n')).map(text)).toEqual(['']);
  });

  test('CRLF endings: the CR stays for the parser, and does not count against the limit', async () => {
    const out = await lines('1234\r\n12345\r\n', 4, 3);
    expect(out[0]).toMatchObject({ tooLong: false });
    expect(text(out[0]!)).toBe('1234\r');
    expect(out[1]).toEqual({ number: 2, tooLong: true, length: 5 });
  });

  test('a line over the limit is reported with its length and not kept, and the next line is intact', async () => {
    const long = 'x'.repeat(1000);
    const out = await lines(`ok\n${long}\nafter\n${long}`, 10, 64);
    expect(out.map(text)).toEqual(['ok', '<1000 bytes>', 'after', '<1000 bytes>']);
    expect(out.map((l) => l.number)).toEqual([1, 2, 3, 4]);
  });

  test('a multi-byte character split across chunks comes out whole', async () => {
    const out = await lines('{"name":"Zoë 😀"}\n', 64, 1);
    expect(text(out[0]!)).toBe('{"name":"Zoë 😀"}');
  });
});

describe('parseLine', () => {
  test('a valid event', async () => {
    expect(await parse('{"type":"order.created","data":{"total":5},"id":"o-1"}')).toEqual([
      { line: 1, kind: 'event', event: { type: 'order.created', data: { total: 5 }, id: 'o-1' } },
    ]);
  });

  test('blank lines (empty, spaces, tabs, a lone CR) are blank, not rejected', async () => {
    expect((await parse('\n   \n\t\n\r\n')).map((l) => l.kind)).toEqual(['blank', 'blank', 'blank', 'blank']);
  });

  test('CRLF files parse like LF files', async () => {
    const out = await parse('{"type":"a.b","data":1}\r\n{"type":"a.c","data":2}\r\n');
    expect(out.map((l) => l.kind)).toEqual(['event', 'event']);
  });

  test('a UTF-8 byte order mark at the start of the file is ignored, but only there', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const line = Buffer.from('{"type":"a.b","data":1}\n');
    const out = await parse(Buffer.concat([bom, line, bom, line]));
    expect(out[0]).toMatchObject({ kind: 'event' });
    expect(out[1]).toEqual({ line: 2, kind: 'rejected', reason: 'is not valid JSON' });
  });

  test('invalid JSON is rejected without quoting the line', async () => {
    const out = await parse('{"type":"a.b","data":"secret-value"\n[1,2\nnot json');
    expect(out).toEqual([
      { line: 1, kind: 'rejected', reason: 'is not valid JSON' },
      { line: 2, kind: 'rejected', reason: 'is not valid JSON' },
      { line: 3, kind: 'rejected', reason: 'is not valid JSON' },
    ]);
  });

  test('invalid UTF-8 is rejected as such', async () => {
    const out = await parse(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    expect(out).toEqual([{ line: 1, kind: 'rejected', reason: 'is not valid UTF-8' }]);
  });

  test.each([
    ['a bad type', '{"type":"Order Created","data":{}}', '/type'],
    ['no data', '{"type":"order.created"}', '/data'],
    ['an unknown member', '{"type":"order.created","data":{},"tenantid":"other"}', '/tenantid'],
    ['a bad time', '{"type":"order.created","data":{},"time":"yesterday"}', '/time'],
    ['an id with a slash', '{"type":"order.created","data":{},"id":"a/b"}', '/id'],
    ['not an object', '[{"type":"order.created","data":{}}]', '/'],
    ['a batch', '{"events":[{"type":"order.created","data":{}}]}', '/events'],
  ])('an invalid event (%s) is rejected naming where', async (_name, line, path) => {
    const [out] = await parse(line);
    expect(out).toMatchObject({ line: 1, kind: 'rejected' });
    expect((out as { reason: string }).reason).toMatch(new RegExp(`^is not a valid event: .*${path}`));
  });

  test('a rejection never echoes the values of the line', async () => {
    const [out] = await parse('{"type":"Secret Value Here","data":{}}');
    expect(JSON.stringify(out)).not.toContain('Secret Value Here');
  });

  test('an oversized line is rejected naming the limit', async () => {
    const out = await parse(`{"type":"a.b","data":"${'x'.repeat(100)}"}\n{"type":"a.b","data":1}`, 50);
    expect(out).toEqual([
      { line: 1, kind: 'rejected', reason: 'is longer than 50 bytes' },
      { line: 2, kind: 'event', event: { type: 'a.b', data: 1 } },
    ]);
  });
});
