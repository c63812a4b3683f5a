// Reading a packaged template: the errors say what to do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { loadTemplate, serviceStackName } from '../../src/cfn/load';

const dir = mkdtempSync(join(tmpdir(), 'herald-cfn-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('loadTemplate', () => {
  test('reads a template', async () => {
    const path = file('ok.json', JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }));
    await expect(loadTemplate(path)).resolves.toEqual({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
  });

  test('a missing file says to run npm run package', async () => {
    await expect(loadTemplate(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json does not exist: run `npm run package`/,
    );
  });

  test('broken JSON and a file that is not a template are named', async () => {
    await expect(loadTemplate(file('broken.json', '{'))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(loadTemplate(file('empty.json', '{"Resources":{}}'))).rejects.toThrow(
      'a template needs at least one resource',
    );
    await expect(loadTemplate(file('untyped.json', '{"Resources":{"Q":{}}}'))).rejects.toThrow(
      'Resources.Q: every resource needs a Type',
    );
    await expect(
      loadTemplate(
        file(
          'sam.json',
          '{"Transform":"AWS::Serverless-2016-10-31","Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}',
        ),
      ),
    ).rejects.toThrow('Transform: template transforms are not expanded by the local cloud');
  });
});

test('stack names are <service>-<stage> as serverless names them', () => {
  expect(serviceStackName('processing')).toBe('herald-processing-local');
  expect(serviceStackName('ingest', 'dev')).toBe('herald-ingest-dev');
});
