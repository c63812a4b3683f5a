/** How answers look on a terminal: tables, problems, progress. --json output bypasses all of it. */
import type { HeraldNetworkError, HeraldProblem } from '@herald/client';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
}

/** Rows as aligned columns under their headers; an empty value is shown as `-`. */
export function table<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '-')));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index]!)))
      .join('  ');
  return [line(columns.map((column) => column.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** An object's fields one per line, `name: value`, nested values as JSON. */
export function fields(record: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(record).map((key) => key.length));
  return Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      return `${`${key}:`.padEnd(width + 1)} ${shown}`;
    })
    .join('\n');
}

/** A problem as a person reads it: its title and status, its detail, each field's error. */
export function formatProblem(problem: HeraldProblem): string {
  const lines = [`Error: ${problem.title} (${problem.status})`];
  if (problem.detail) lines.push(`  ${problem.detail}`);
  for (const { pointer, message } of problem.errors ?? []) lines.push(`  ${pointer || '/'}: ${message}`);
  if (problem.retryAfterSeconds !== undefined) lines.push(`  retry after ${problem.retryAfterSeconds} s`);
  if (problem.correlationId) lines.push(`  correlation id: ${problem.correlationId}`);
  return lines.join('\n');
}

export function formatNetworkError(error: HeraldNetworkError): string {
  // fetch's own error says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is its cause.
  const inner = error.cause instanceof Error ? error.cause.cause : undefined;
  const reason = inner instanceof Error ? inner.message : '';
  return `Error: ${error.message}${reason ? ` (${reason})` : ''}\n  Is Herald running there? Locally: npm start`;
}

const MIB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

/** One frame of a progress bar, e.g. `[########------------] 40% 4.0/10.0 MiB`. */
export function progressBar(sent: number, total: number, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, sent / total);
  const done = Math.round(ratio * width);
  return `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${size(sent)}/${size(total)}`;
}
