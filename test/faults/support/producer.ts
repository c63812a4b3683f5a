/**
 * A producer as the ingest README asks one to behave, under faults: batches through POST /v1/events,
 * each retried until every event in it is accepted.
 *
 * Half the batches name their events' ids and send no Idempotency-Key: a 207 is answered by sending
 * the failed events alone again (with the ids the 207 gave them). The other half let ingest choose
 * the ids and send an Idempotency-Key: a 207 or a 5xx is answered by sending the same request with the
 * same key, which must come back with the same ids. Either way, an event is accepted once an answer
 * says so, and the id it was accepted under is the one it must be stored under.
 */

export interface ProducedEvent {
  seq: number;
  /** The id ingest accepted the event under. */
  id: string;
}

export interface ProducerReport {
  accepted: Map<number, string>;
  /** Events whose every retry failed (the producer gave up). */
  abandoned: number[];
  requests: number;
  /** Answers by status, retries included (0: the request itself failed). */
  statuses: Record<number, number>;
  /** Accepted under another id than an earlier answer gave: ingest's idempotency broken. */
  idChanges: Array<{ seq: number; first: string; then: string }>;
}

export interface ProducerOptions {
  ingestUrl: string;
  token: string;
  /** Tells this run's events from any other's. */
  run: string;
  events: number;
  batchSize: number;
  concurrency: number;
  /** Attempts per request before giving up on its events. */
  maxAttempts?: number;
}

interface EventInput {
  id?: string;
  type: string;
  data: { seq: number; run: string };
}

type Answer = { status: number; body: Record<string, unknown> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function produce(options: ProducerOptions): Promise<ProducerReport> {
  const report: ProducerReport = {
    accepted: new Map(),
    abandoned: [],
    requests: 0,
    statuses: {},
    idChanges: [],
  };
  const maxAttempts = options.maxAttempts ?? 25;

  function accept(seq: number, id: string): void {
    const first = report.accepted.get(seq);
    if (first !== undefined && first !== id) report.idChanges.push({ seq, first, then: id });
    if (first === undefined) report.accepted.set(seq, id);
  }

  async function post(events: EventInput[], key: string | undefined): Promise<Answer> {
    report.requests += 1;
    try {
      const response = await fetch(`${options.ingestUrl}/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify({ events }),
      });
      const text = await response.text();
      report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        // A gateway's error page: retried like any 5xx.
      }
      return { status: response.status, body };
    } catch {
      report.statuses[0] = (report.statuses[0] ?? 0) + 1;
      return { status: 0, body: {} };
    }
  }

  const backoff = (attempt: number) => sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));

  /** Ids named by the producer, no key: a 207's failed events are sent again alone. */
  async function sendNamed(events: EventInput[]): Promise<void> {
    let pending = events;
    for (let attempt = 0; pending.length > 0 && attempt < maxAttempts; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const answer = await post(pending, undefined);
      if (answer.status === 202) {
        for (const event of pending) accept(event.data.seq, event.id!);
        return;
      }
      if (answer.status === 207) {
        const items = answer.body.events as Array<{ id: string; status: string }>;
        const failed = new Set(items.filter((item) => item.status !== 'accepted').map((item) => item.id));
        for (const event of pending) if (!failed.has(event.id!)) accept(event.data.seq, event.id!);
        pending = pending.filter((event) => failed.has(event.id!));
        continue;
      }
      if (answer.status !== 0 && answer.status < 500)
        throw new Error(`ingest refused a batch: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    report.abandoned.push(...pending.map((event) => event.data.seq));
  }

  /** Ids chosen by ingest, an Idempotency-Key: the same request is sent again until all are accepted. */
  async function sendKeyed(events: EventInput[], key: string): Promise<void> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const answer = await post(events, key);
      if (answer.status === 202 || answer.status === 207) {
        const ids = answer.body.ids as string[];
        const items = (answer.body.events as Array<{ status: string }> | undefined) ?? [];
        events.forEach((event, i) => {
          if (answer.status === 202 || items[i]?.status === 'accepted') accept(event.data.seq, ids[i]!);
        });
        if (answer.status === 202) return;
        continue;
      }
      if (answer.status !== 0 && answer.status < 500)
        throw new Error(`ingest refused a batch: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    report.abandoned.push(
      ...events.map((event) => event.data.seq).filter((seq) => !report.accepted.has(seq)),
    );
  }

  const batches: Array<() => Promise<void>> = [];
  for (let start = 0, n = 0; start < options.events; start += options.batchSize, n++) {
    const seqs = Array.from(
      { length: Math.min(options.batchSize, options.events - start) },
      (_, i) => start + i,
    );
    const named = n % 2 === 0;
    const events = seqs.map((seq): EventInput => ({
      ...(named ? { id: `${options.run}-${seq}` } : {}),
      type: 'fault.checked',
      data: { seq, run: options.run },
    }));
    batches.push(() => (named ? sendNamed(events) : sendKeyed(events, `${options.run}-batch-${n}`)));
  }
  const workers = Array.from({ length: options.concurrency }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await batch();
  });
  await Promise.all(workers);
  return report;
}
