/**
 * The whole pipeline under faults, on a local cloud of its own (the shared one must stay fault-free
 * for the other tests): AWS calls of every kind the functions make fail at 5% of attempts (throttling
 * and 5xx in each service's protocol, some after the call was applied, batches failed by entry),
 * event-source invocations crash after part of their batch, stream batches fail, and the subscriber
 * refuses one webhook every ten seconds. Events go in through POST /v1/events and NDJSON uploads,
 * sent by a producer that retries as the ingest README says. Every event accepted must be stored
 * exactly once, under the id it was accepted with, and delivered at least once; the duplicate-delivery
 * rate is printed.
 *
 * CI sends 400 events (the pipeline's pollers run one batch at a time on this machine; 2,000 take
 * several minutes more) at a higher crash rate, so the smaller run still sees crashes of several
 * functions. The same run with 2,000 events at the rates is `npm run bench -- faults`.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { faultsOf, formatFaultCounts, startLocalCloud, type LocalCloud } from '@herald/local-cloud';
import { formatPipelineReport, runPipelineUnderFaults } from './support/pipeline';

const EVENTS = 400;
const UPLOADED = 100;
// Herald calls S3 twice per upload (the producer's PUT, onUpload's GetObject) and KMS once per
// delivery container (secrets are cached): too few calls for 5% to be sure to hit. Under seed 1167
// the first S3 attempt and the first KMS attempt after set-up fail, so those services see faults too.
const SEED = 1167;
// Stream batches and invocations are few now that batches are shared (about 45 publish batches and 220
// invocations a run): at 2% a run saw no stream failure about two times in five. At 15% and 3%, a run
// without either is about one in a thousand.
const FAULTS = `aws=0.05,crash=0.03,stream=0.15,seed=${SEED}`;

let cloud: LocalCloud | undefined;

beforeAll(async () => {
  cloud = await startLocalCloud({
    ports: 'auto',
    // Jest's global setup packaged the services moments ago.
    reusePackages: true,
    logDir: '.local-cloud/fault-test-logs',
    faults: FAULTS,
  });
}, 300_000);

afterAll(() => cloud?.stop(), 120_000);

describe('the pipeline under faults', () => {
  test('stores every accepted event exactly once and delivers it at least once', async () => {
    const report = await runPipelineUnderFaults(cloud!, {
      events: EVENTS,
      uploadEvents: UPLOADED,
      uploadFiles: 4,
      timeoutMs: 480_000,
      settle: { queues: 'inbound', timeoutMs: 60_000 },
    });
    const faults = report.faults!;
    console.log(`faults ${FAULTS}\n${formatPipelineReport(report)}\n${formatFaultCounts(faults)}`);

    // The producer got every event accepted, each under one id.
    expect(report.producer.abandoned).toEqual([]);
    expect(report.producer.accepted).toBe(EVENTS);
    expect(report.producer.idChanges).toEqual([]);
    // Nothing lost, nothing stored twice.
    expect(report.stored.missing).toEqual([]);
    expect(report.stored.twice).toEqual([]);
    expect(report.stored.otherId).toEqual([]);
    expect(report.stored.once).toBe(EVENTS);
    expect(report.delivered.missing).toEqual([]);
    expect(report.delivered.unverified).toBe(0);
    expect(report.deadLetters).toEqual({});

    // The faults were there: each kind of AWS call failed at about its rate, and invocations crashed.
    for (const service of ['sqs', 'dynamodb', 'events', 'kms', 's3'] as const) {
      const counts = faults.aws[service];
      expect(counts.attempts).toBeGreaterThan(0);
      expect(faultsOf(counts)).toBeGreaterThan(0);
    }
    const dynamodb = faults.aws.dynamodb;
    expect(faultsOf(dynamodb) / dynamodb.attempts).toBeGreaterThan(0.03);
    const invocations = Object.values(faults.functions);
    expect(invocations.reduce((n, f) => n + f.crashes, 0)).toBeGreaterThan(0);
    expect(invocations.reduce((n, f) => n + f.streamFailures, 0)).toBeGreaterThan(0);
  }, 900_000);
});
