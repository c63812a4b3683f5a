import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { describeHops, webhookHops } from '../bench/lib/webhook-hops';

/** A log line as the services' Powertools loggers write it, at `ms` milliseconds past a fixed minute. */
const line = (ms: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    timestamp: new Date(Date.UTC(2026, 11, 3, 15, 0, 0, ms)).toISOString(),
    service: 'x',
    ...fields,
  });

/** One event's way through the logs: 202 at `at`, stored 30 ms later, fanned out 250, attempted 370. */
function eventLines(id: string, correlation: string, at: number) {
  return {
    ingest: line(at, {
      message: 'Request completed',
      route: 'POST /v1/events',
      status: 202,
      correlation_id: correlation,
    }),
    processing: line(at + 30, { message: 'Event stored', eventId: id, correlation_id: correlation }),
    fanned: line(at + 280, { message: 'Event fanned out', eventId: id, correlation_id: correlation }),
    attempt: line(at + 400, { message: 'Delivery attempt', durationMs: 15, correlation_id: correlation }),
  };
}

describe('webhookHops', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-hops-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (service: string, lines: string[]) =>
    writeFileSync(join(dir, `${service}.log`), [...lines, ''].join('\n'));

  it("measures each hop of the phase's events from their log lines, and only theirs", async () => {
    const a = eventLines('p1-a', 'c-a', 0);
    const b = eventLines('p1-b', 'c-b', 1000);
    const other = eventLines('warm-1', 'c-w', 2000);
    write('ingest', [
      'Starting Offline at stage local', // serverless-offline's own lines are not JSON
      a.ingest,
      b.ingest,
      other.ingest,
      line(5, { message: 'Request completed', route: 'GET /v1/events', correlation_id: 'c-a' }),
    ]);
    write('processing', [a.processing, b.processing, other.processing, '{"level":"INFO","messa']);
    write('notifications', [
      a.fanned,
      // A second fan-out of the same event (a retried batch) does not move the first.
      line(900, { message: 'Event fanned out', eventId: 'p1-a' }),
      b.fanned,
      other.fanned,
      a.attempt,
      b.attempt,
      other.attempt,
    ]);
    const hops = await webhookHops(dir, new Set(['p1-a', 'p1-b']));
    expect(hops.map((hop) => [hop.name, hop.values])).toEqual([
      ['202 → stored (consume)', [30, 30]],
      ['stored → fanned out (stream read, publish, bus, dispatch)', [250, 250]],
      ['fanned out → attempt recorded (deliver)', [120, 120]],
      ['of which the receiver’s HTTP exchange', [15, 15]],
      ['202 → attempt recorded', [400, 400]],
    ]);
    expect(describeHops(hops)).toMatch(/2 events.*\n.*202 → stored \(consume\)\s+30\s+30\s+30/);
  });

  it('leaves out an event that has not reached an attempt yet', async () => {
    const a = eventLines('p1-a', 'c-a', 0);
    const b = eventLines('p1-b', 'c-b', 0);
    write('ingest', [a.ingest, b.ingest]);
    write('processing', [a.processing, b.processing]);
    write('notifications', [a.fanned, b.fanned, a.attempt]);
    const hops = await webhookHops(dir, new Set(['p1-a', 'p1-b']));
    expect(hops[0]!.values).toHaveLength(1);
    expect(describeHops(await webhookHops(dir, new Set(['p1-z'])))).toMatch(/no event found/);
  });
});
