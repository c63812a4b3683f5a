/**
 * The subscription form's content filter, custom headers and timeout: what the user typed, turned
 * into what POST and PATCH /v1/subscriptions take, and what a subscription shows of them. Secret
 * header values are write-only: the API answers `{ secret: true }` for them, so the form can keep,
 * replace or remove one but never show it.
 */

/** A filter is an EventBridge event pattern: a JSON object. */
export type ContentFilter = Record<string, unknown>;

/** The headers as the API shows them: a value, or `{ secret: true }` for a secret one. */
export type ShownHeaders = Record<string, string | { secret: true }>;

/** What create takes: a value, or a secret one with its value. */
export type NewHeaders = Record<string, string | { value: string; secret: true }>;

/** What PATCH takes: names given replace those headers, null removes one, `{ secret: true }` keeps one. */
export type HeadersChange = Record<string, string | { value?: string; secret: true } | null>;

export type FilterText = { ok: true; filter: ContentFilter | undefined } | { ok: false; message: string };

/** The Filter field's text: empty is no filter; anything else must be a JSON object. */
export function parseFilter(text: string): FilterText {
  if (text.trim() === '') return { ok: true, filter: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'must be a JSON object (an event pattern), such as {"data": {...}}' };
  return { ok: true, filter: value as ContentFilter };
}

/** A filter as the form and the subscription's page show it: indented JSON, or '' for none. */
export function formatFilter(filter: ContentFilter | undefined): string {
  return filter === undefined ? '' : JSON.stringify(filter, null, 2);
}

/**
 * The filter a PATCH sends: the typed one, null when the field was cleared of a filter the
 * subscription had, nothing when there was none and is none.
 */
export function filterChange(
  had: ContentFilter | undefined,
  typed: ContentFilter | undefined,
): { filter?: ContentFilter | null } {
  if (typed !== undefined) return { filter: typed };
  return had === undefined ? {} : { filter: null };
}

/** One row of the Custom headers field. */
export interface HeaderRow {
  /** Stable across edits, for rendering. */
  key: string;
  name: string;
  value: string;
  secret: boolean;
  /**
   * A secret header the subscription already has (its value unknown to the console): kept as it is
   * unless `replace` is set, then `value` is its new value.
   */
  stored?: { replace: boolean };
}

let rowCount = 0;
export const newRowKey = () => `header-${++rowCount}`;

export function emptyRow(): HeaderRow {
  return { key: newRowKey(), name: '', value: '', secret: false };
}

/** The rows that stand for a subscription's headers (names as stored: lower case). */
export function rowsOfHeaders(headers: ShownHeaders | undefined): HeaderRow[] {
  return Object.entries(headers ?? {}).map(([name, value]) =>
    typeof value === 'string'
      ? { key: newRowKey(), name, value, secret: false }
      : { key: newRowKey(), name, value: '', secret: true, stored: { replace: false } },
  );
}

/** Rows the user left empty are not headers. */
const filled = (rows: readonly HeaderRow[]) =>
  rows.filter((row) => row.name.trim() !== '' || row.value !== '' || row.stored);

/**
 * What is wrong with the rows before anything is sent (the API checks names and values itself):
 * a value without a name, a name given twice (names do not differ by case), a secret without a value.
 */
export function headerRowProblems(rows: readonly HeaderRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of filled(rows)) {
    const name = row.name.trim().toLowerCase();
    if (name === '') {
      problems.push('a header value has no name');
      continue;
    }
    if (seen.has(name)) problems.push(`${name}: given twice`);
    seen.add(name);
    if (row.secret && row.value === '' && (!row.stored || row.stored.replace))
      problems.push(`${name}: a secret header needs its value`);
  }
  return problems;
}

/** The headers a new subscription is created with, or undefined for none. */
export function headersForCreate(rows: readonly HeaderRow[]): NewHeaders | undefined {
  const headers: NewHeaders = {};
  for (const row of filled(rows)) {
    const name = row.name.trim();
    headers[name] = row.secret ? { value: row.value, secret: true } : row.value;
  }
  return Object.keys(headers).length === 0 ? undefined : headers;
}

/**
 * The PATCH of headers that turns `had` into the rows (a merge: names left out stay, so a removed
 * one is sent as null), or undefined when nothing changed. A kept secret is not sent at all.
 */
export function headersChange(
  had: ShownHeaders | undefined,
  rows: readonly HeaderRow[],
): HeadersChange | undefined {
  const change: HeadersChange = {};
  const kept = new Set<string>();
  for (const row of filled(rows)) {
    const name = row.name.trim().toLowerCase();
    kept.add(name);
    const before = had?.[name];
    if (row.stored && !row.stored.replace) continue;
    if (row.secret) change[name] = { value: row.value, secret: true };
    else if (before !== row.value) change[name] = row.value;
  }
  for (const name of Object.keys(had ?? {})) if (!kept.has(name)) change[name] = null;
  return Object.keys(change).length === 0 ? undefined : change;
}

/** A header's value as a page shows it: a secret one never. */
export function shownHeaderValue(value: string | { secret: true }): string {
  return typeof value === 'string' ? value : 'secret (set)';
}

export type TimeoutText = { ok: true; seconds: number | undefined } | { ok: false; message: string };

/** The Timeout (seconds) field: empty is the stage's default; else a whole number of seconds, 1 or more. */
export function parseTimeout(text: string): TimeoutText {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, seconds: undefined };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1)
    return { ok: false, message: 'must be a whole number of seconds, 1 or more' };
  return { ok: true, seconds: Number(trimmed) };
}

/** The timeout a PATCH sends: the typed one, null to go back to the default, nothing when unchanged. */
export function timeoutChange(
  had: number | undefined,
  typed: number | undefined,
): { timeoutSeconds?: number | null } {
  if (typed === had) return {};
  return { timeoutSeconds: typed ?? null };
}

/** The preview's summary line, "1 of 2 recent events match", and what the test read. */
export function matchSummary(test: { matched: readonly unknown[]; examined: number; truncated: boolean }): {
  summary: string;
  truncated?: string;
} {
  return {
    summary: `${test.matched.length} of ${test.examined} recent events match`,
    ...(test.truncated
      ? { truncated: `Only the newest ${test.examined} stored events were read; older ones were not tried.` }
      : {}),
  };
}

/**
 * Herald's own events about the tenant's subscriptions and uploads. They are opt-in: `*` and
 * prefixes never match them, so the form offers them as choices of their own.
 */
export const OPERATIONAL_EVENT_TYPES = [
  'herald.delivery.failed',
  'herald.subscription.disabled',
  'herald.subscription.recovered',
  'herald.upload.completed',
] as const;

const isOperational = (type: string) => (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(type);

/** A subscription's event types as the form shows them: the typed ones, and the operational ones chosen. */
export function splitEventTypes(types: readonly string[]): { typed: string[]; operational: string[] } {
  return {
    typed: types.filter((type) => !isOperational(type)),
    operational: types.filter(isOperational),
  };
}

/** The event types sent: the typed ones, then the operational ones chosen (each once). */
export function joinEventTypes(typed: readonly string[], operational: readonly string[]): string[] {
  return [...new Set([...typed, ...OPERATIONAL_EVENT_TYPES.filter((type) => operational.includes(type))])];
}

/** Where a test connection's error points (`/destination/roleArn`), as the form labels it. */
export function destinationPart(pointer: string): string {
  if (pointer.endsWith('/roleArn')) return 'Role ARN';
  if (pointer.endsWith('/arn')) return 'Destination ARN';
  return pointer;
}
