// What the local cloud keeps between starts in .local-cloud/: made once, read back after, the same for
// processes that start at once; a file that is not what it should be is refused, not replaced.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parsePrivateKey } from '@herald/shared/signing';
import { loadOrCreateEnvelopeKey } from '../src/envelope-key';
import { readOrMakeJsonFile } from '../src/kept-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-kept-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isCounter = (value: unknown) => {
  if (typeof (value as { n?: unknown })?.n !== 'number') throw new Error('not a counter');
  return value as { n: number };
};

describe('readOrMakeJsonFile', () => {
  test('makes the value once, in a file only its user reads, and reads it back after', async () => {
    const file = join(dir, 'state', 'value.json');
    let made = 0;
    const make = () => ({ n: ++made });
    expect(await readOrMakeJsonFile(file, isCounter, make)).toEqual({ value: { n: 1 }, made: true });
    expect(await readOrMakeJsonFile(file, isCounter, make)).toEqual({ value: { n: 1 }, made: false });
    expect(made).toBe(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'state'))).mode & 0o777).toBe(0o700);
  });

  test('processes that start at once all get the one value written', async () => {
    const file = join(dir, 'value.json');
    let made = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => readOrMakeJsonFile(file, isCounter, async () => ({ n: ++made }))),
    );
    const written = JSON.parse(await readFile(file, 'utf8')) as { n: number };
    expect(results.map((result) => result.value)).toEqual(Array(8).fill(written));
    expect(results.filter((result) => result.made)).toHaveLength(1);
  });

  test('a file that is not JSON, or not what check takes, is refused with its name', async () => {
    const file = join(dir, 'value.json');
    await writeFile(file, '{"n":');
    await expect(readOrMakeJsonFile(file, isCounter, () => ({ n: 1 }))).rejects.toThrow(
      `${file} is not valid JSON; delete it to make a new one`,
    );
    await writeFile(file, '{"n":"one"}');
    await expect(readOrMakeJsonFile(file, isCounter, () => ({ n: 1 }))).rejects.toThrow('not a counter');
    expect(await readFile(file, 'utf8')).toBe('{"n":"one"}');
  });
});

describe('loadOrCreateEnvelopeKey', () => {
  test('the same key pair on every start, its public half without the private member', async () => {
    const file = join(dir, 'envelope-signing-key.json');
    const first = await loadOrCreateEnvelopeKey(file);
    const second = await loadOrCreateEnvelopeKey(file);
    expect(second).toEqual(first);
    expect(parsePrivateKey(await readFile(file, 'utf8'))).toEqual(first.privateJwk);
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(first.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: first.privateJwk.x });
    expect(first.publicJwk.kid).toBe(first.privateJwk.kid);
  });

  test('a file holding a public key only is refused', async () => {
    const file = join(dir, 'envelope-signing-key.json');
    const { publicJwk } = await loadOrCreateEnvelopeKey(join(dir, 'other.json'));
    await writeFile(file, JSON.stringify(publicJwk));
    await expect(loadOrCreateEnvelopeKey(file)).rejects.toThrow(/it is a public key, not a signing key/);
  });
});
