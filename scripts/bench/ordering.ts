/**
 * What per-subject ordering costs in throughput, on the local cloud: the same events (N subjects x M
 * events each, numbered as processing numbers them) published on the bus for a tenant whose one
 * webhook subscription is ordered by subject, and for a tenant whose subscription is not; deliveries
 * per second from the first publish to the last webhook, each. An ordered subject delivers one
 * event at a time (the next goes when the one before is recorded), so with few subjects the ordered
 * figure is bound by one subject's round trip; with many, subjects run side by side. Also checks
 * that every ordered subject arrived in sequence, and counts the webhooks beyond one per event (a
 * moment after the last arrived, so that late copies count).
 *
 *   npx tsx scripts/bench/ordering.ts [--subjects 10] [--events 10]
 *
 * Events go straight onto the bus (as processing's publish puts them, with `sequence` and
 * `previoustime`), so the figures are notifications' alone. One machine, one poller per queue: the
 * figures compare builds of Herald with each other, not with AWS.
 */
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { clientConfig } from '@herald/local-cloud';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { startBenchCloud } from './lib/cloud';
import { figure } from './lib/figures';
import { heraldClient, type SubscriptionRequest } from './lib/herald';

const { values: args } = parseArgs({
  options: {
    subjects: { type: 'string', default: '10' },
    events: { type: 'string', default: '10' },
  },
});
const subjects = Number(args.subjects);
const perSubject = Number(args.events);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cloud = await startBenchCloud();

try {
  const herald = await heraldClient(cloud);
  const receiver = cloud.endpoints.webhooks;
  const signer = createEnvelopeSigner(cloud.envelopeSigningKey);
  const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));

  type Received = { endpoint: string; time: string; json?: { id: string; subject?: string } };
  const requests = async (): Promise<Received[]> =>
    (await (await fetch(`${receiver}/_requests`)).json()) as Received[];

  async function subscribe(tenant: string, endpoint: string, ordered: boolean) {
    const request = {
      url: `${receiver}/${endpoint}`,
      eventTypes: ['bench.*'],
      rateLimit: 500,
      ...(ordered ? { ordering: 'subject' } : {}),
    } as SubscriptionRequest;
    const { secret } = await herald.subscribe(tenant, request);
    await fetch(`${receiver}/_endpoints/${endpoint}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret }),
    });
  }

  /** Publishes every subject's events in sequence, subjects interleaved, ten to a PutEvents call. */
  async function publish(tenant: string, label: string): Promise<number> {
    const entries = [];
    const previous = new Map<string, string>();
    for (let n = 1; n <= perSubject; n++)
      for (let s = 0; s < subjects; s++) {
        const subject = `subject-${s}`;
        const envelope = signer.sign({
          specversion: '1.0',
          id: `${label}-${s}-${n}-${ulid()}`,
          source: '/herald/ingest',
          type: 'bench.ordered',
          time: new Date().toISOString(),
          subject,
          datacontenttype: 'application/json',
          data: { n },
          tenantid: tenant,
          correlationid: `${label}-${s}-${n}`,
        });
        const before = previous.get(subject);
        previous.set(subject, new Date().toISOString());
        entries.push({
          EventBusName: 'herald-local',
          Source: 'herald.processing',
          DetailType: 'event.stored',
          Detail: JSON.stringify({ ...envelope, sequence: n, ...(before ? { previoustime: before } : {}) }),
        });
      }
    const t0 = Date.now();
    for (let i = 0; i < entries.length; i += 10)
      await bus.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    return t0;
  }

  async function measure(label: string, ordered: boolean) {
    const tenant = `bench-${label}`;
    const endpoint = `${label}-${ulid().toLowerCase()}`;
    await subscribe(tenant, endpoint, ordered);
    // Subscriptions are read at dispatch: one second later, the new one is there for every event.
    await sleep(1000);
    const t0 = await publish(tenant, label);
    const total = subjects * perSubject;
    const deadline = Date.now() + 600_000;
    let mine: Received[] = [];
    while (Date.now() < deadline) {
      mine = (await requests()).filter((r) => r.endpoint === endpoint);
      if (mine.length >= total) break;
      await sleep(200);
    }
    const done = Math.max(...mine.map((r) => Date.parse(r.time))) - t0;
    const perSecond = (mine.length * 1000) / done;
    // A copy of an event may arrive after the last one did: a moment more, then every webhook counts.
    await sleep(3000);
    mine = (await requests()).filter((r) => r.endpoint === endpoint);
    const copies = mine.length - new Set(mine.map((r) => r.json?.id)).size;
    // In sequence per subject: each subject's numbers arrive rising.
    const bySubject = new Map<string, number[]>();
    for (const r of mine) {
      const [, s, n] = (r.json?.id ?? '').split('-');
      bySubject.set(s!, [...(bySubject.get(s!) ?? []), Number(n)]);
    }
    const outOfOrder = [...bySubject.values()].filter((ns) =>
      ns.some((n, i) => i > 0 && n < ns[i - 1]!),
    ).length;
    console.log(
      `  ${ordered ? 'ordered  ' : 'unordered'}: ${mine.length}/${total} deliveries in ${(done / 1000).toFixed(1)} s = ${perSecond.toFixed(1)}/s; ` +
        `${copies} events delivered more than once; ${outOfOrder} of ${bySubject.size} subjects arrived out of sequence`,
    );
    return { perSecond, outOfOrder, copies };
  }

  console.log(
    `ordering: ${subjects} subjects x ${perSubject} events each, one webhook subscription a tenant`,
  );
  const unordered = await measure('unordered', false);
  const ordered = await measure('ordered', true);
  figure({
    figure: `deliveries per second, ${subjects} subjects x ${perSubject} events, subscription ordered by subject`,
    value: ordered.perSecond,
    unit: 'deliveries/s',
    baseline: { value: unordered.perSecond, label: 'the same events, unordered' },
    higherIsBetter: true,
  });
  figure({
    figure: `webhooks beyond one per event, ${subjects} subjects x ${perSubject} events, ordered subscription`,
    value: ordered.copies,
    unit: 'webhooks',
    baseline: { value: unordered.copies, label: 'the same events, unordered' },
  });
  figure({
    figure: `subjects delivered out of sequence, ${subjects} subjects, ordered subscription`,
    value: ordered.outOfOrder,
    unit: 'subjects',
    baseline: { value: 0, label: 'none' },
  });
} finally {
  await cloud.stop();
}
