/**
 * What the local cloud makes once and keeps between its starts, in the gitignored `.local-cloud/`
 * (its signing keys): read from its file, or made and written there on first use. Safe when two
 * processes start at once (the local cloud and the token CLI, two test runs): the file appears
 * complete or not at all (written aside, then hard-linked into place), and whoever loses the race
 * reads the winner's.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface Kept<T> {
  value: T;
  /** True when this call made it (nothing was on disk). */
  made: boolean;
}

/**
 * The JSON value in `file`, as `check` takes it (throwing for a value it refuses), or, when there is
 * no file, the value `make` gives, written there (readable by this user only).
 */
export async function readOrMakeJsonFile<T>(
  file: string,
  check: (value: unknown) => T,
  make: () => T | Promise<T>,
): Promise<Kept<T>> {
  const existing = await readJsonFile(file, check);
  if (existing !== undefined) return { value: existing, made: false };

  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const value = await make();
  const temporary = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readJsonFile(file, check);
    if (winner !== undefined) return { value: winner, made: false };
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return { value, made: true };
}

async function readJsonFile<T>(file: string, check: (value: unknown) => T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to make a new one`);
  }
  return check(parsed);
}
