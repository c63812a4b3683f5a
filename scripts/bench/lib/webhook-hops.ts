/**
 * Where a webhook's time goes between ingest's 202 and the attempt's record, read from the log lines
 * the services write anyway (each function's, with its time to the millisecond), for the events of
 * one phase: ingest's `Request completed` (the 202, by correlation id), consume's `Event stored`,
 * dispatch's `Event fanned out` (after its tasks were queued) and deliver's `Delivery attempt` (after
 * the attempt was recorded, with the receiver's HTTP exchange as `durationMs`). One event a request:
 * a request's correlation id names its one event.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile } from './stats';

interface LogLine {
  message?: string;
  timestamp?: string;
  correlation_id?: string;
  eventId?: string;
  route?: string;
  durationMs?: number;
}

/**
 * Calls `each` with every JSON log line of a service's log that holds one of `markers` (a cheap test
 * before parsing: the logs hold tens of MB of other lines).
 */
async function readLines(
  file: string,
  markers: readonly string[],
  each: (line: LogLine) => void,
): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const text of lines) {
    if (!text.startsWith('{') || !markers.some((marker) => text.includes(marker))) continue;
    try {
      each(JSON.parse(text) as LogLine);
    } catch {
      // A line cut short (the process died writing it): not an event's.
    }
  }
}

export interface Hop {
  name: string;
  /** Milliseconds, one per event that went the whole way. */
  values: number[];
}

/**
 * The hops of each of `eventIds` that reached an attempt, from `<logDir>/<service>.log`.
 * Only events whose every step is in the logs count (an event refused or still on its way is left out).
 */
export async function webhookHops(logDir: string, eventIds: ReadonlySet<string>): Promise<Hop[]> {
  const time = (line: LogLine) => Date.parse(line.timestamp ?? '');
  const answered = new Map<string, number>();
  const stored = new Map<string, number>();
  const eventOf = new Map<string, string>();
  const fannedOut = new Map<string, number>();
  const attempted = new Map<string, { at: number; httpMs: number }>();
  await readLines(join(logDir, 'ingest.log'), ['"Request completed"'], (line) => {
    if (line.message === 'Request completed' && line.route === 'POST /v1/events' && line.correlation_id)
      answered.set(line.correlation_id, time(line));
  });
  await readLines(join(logDir, 'processing.log'), ['"Event stored"'], (line) => {
    if (line.message !== 'Event stored' || !line.eventId || !eventIds.has(line.eventId)) return;
    stored.set(line.eventId, time(line));
    if (line.correlation_id) eventOf.set(line.correlation_id, line.eventId);
  });
  // One pass: the notifications log is the largest. Its deliver lines name the event by correlation id
  // alone, which processing's lines, read above, tied to the event.
  await readLines(join(logDir, 'notifications.log'), ['"Event fanned out"', '"Delivery attempt"'], (line) => {
    if (line.message === 'Event fanned out' && line.eventId && eventIds.has(line.eventId)) {
      if (!fannedOut.has(line.eventId)) fannedOut.set(line.eventId, time(line));
      return;
    }
    const eventId = line.correlation_id ? eventOf.get(line.correlation_id) : undefined;
    if (line.message === 'Delivery attempt' && eventId && !attempted.has(eventId))
      attempted.set(eventId, { at: time(line), httpMs: line.durationMs ?? Number.NaN });
  });
  const hops: Hop[] = [
    { name: '202 → stored (consume)', values: [] },
    { name: 'stored → fanned out (stream read, publish, bus, dispatch)', values: [] },
    { name: 'fanned out → attempt recorded (deliver)', values: [] },
    { name: 'of which the receiver’s HTTP exchange', values: [] },
    { name: '202 → attempt recorded', values: [] },
  ];
  for (const [correlationId, eventId] of eventOf) {
    const accepted = answered.get(correlationId);
    const storedAt = stored.get(eventId);
    const fannedAt = fannedOut.get(eventId);
    const attempt = attempted.get(eventId);
    if (accepted === undefined || storedAt === undefined || fannedAt === undefined || !attempt) continue;
    [
      storedAt - accepted,
      fannedAt - storedAt,
      attempt.at - fannedAt,
      attempt.httpMs,
      attempt.at - accepted,
    ].forEach((value, index) => hops[index]!.values.push(value));
  }
  return hops;
}

/** The hops as lines to print: p50, p90 and p99 of each. */
export function describeHops(hops: readonly Hop[]): string {
  const events = hops[0]?.values.length ?? 0;
  if (events === 0) return '  where a webhook’s time goes: no event found in the services’ logs';
  const width = Math.max(...hops.map((hop) => hop.name.length));
  const ms = (value: number) => `${Math.round(value)}`.padStart(5);
  return [
    `  where a webhook’s time goes (the services’ log lines, ${events} events; ms, p50 / p90 / p99):`,
    ...hops.map(
      (hop) =>
        `    ${hop.name.padEnd(width)}  ${ms(percentile(hop.values, 50))} ${ms(percentile(hop.values, 90))} ${ms(percentile(hop.values, 99))}`,
    ),
  ].join('\n');
}
