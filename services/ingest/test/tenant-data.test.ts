import { describe, expect, test } from '@jest/globals';
import { fileHasSubject, uploadIdOf } from '../src/tenant-data';

describe("ingest's tenant data", () => {
  test('a file names a subject when one of its events has it, whatever the other lines', () => {
    const file = [
      '{"type":"a.b","subject":"users/1"}',
      'not json users/2',
      '',
      '{"type":"a.b","subject":"users/3"}',
    ].join('\n');
    expect(fileHasSubject(file, 'users/1')).toBe(true);
    expect(fileHasSubject(file, 'users/3')).toBe(true);
    // A line that is no event names nothing; nor does a subject that only contains the text.
    expect(fileHasSubject(file, 'users/2')).toBe(false);
    expect(fileHasSubject(file, 'users/')).toBe(false);
    expect(fileHasSubject('{"type":"a.b","subject":"\\u0075sers/9"}', 'users/9')).toBe(true);
  });

  test('an upload id is read from its object key', () => {
    expect(uploadIdOf('uploads/acme/01JABC.ndjson')).toBe('01JABC');
  });
});
