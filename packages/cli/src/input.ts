/** Events to send, from arguments, a file or stdin: a JSON object, a JSON array, or NDJSON lines. */
import type { EventInput } from '@herald/client';
import { UsageError } from './exit-codes';

/** The events a text holds: one object, an array of them, or one object per line (blank lines skipped). */
export function parseEvents(text: string, origin: string): EventInput[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`${origin} holds no event`);
  try {
    return asEvents(JSON.parse(trimmed), origin);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  return trimmed.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    try {
      return asEvents(JSON.parse(line), `${origin} line ${index + 1}`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${origin} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
  });
}

function asEvents(value: unknown, origin: string): EventInput[] {
  const events = Array.isArray(value) ? value : [value];
  events.forEach((event, index) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      throw new UsageError(`${origin}${Array.isArray(value) ? ` item ${index}` : ''} is not a JSON object`);
  });
  return events as EventInput[];
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** `a,b c` → ['a', 'b', 'c']: repeated flags and comma- or space-separated lists alike. */
export function list(values: string | string[] | boolean | undefined): string[] {
  if (values === undefined || typeof values === 'boolean') return [];
  return [values]
    .flat()
    .flatMap((value) => value.split(/[\s,]+/))
    .filter(Boolean);
}

export function positiveInteger(
  value: string | boolean | string[] | undefined,
  flag: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value))
    throw new UsageError(`--${flag} must be a whole number above 0, not ${JSON.stringify(value)}`);
  return Number(value);
}
