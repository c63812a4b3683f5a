/**
 * Property-based fuzzing of every HTTP route of the four services on the local cloud (fast-check,
 * fixed seed, FUZZ_RUNS cases per route, 200 by default): odd Unicode, huge and tiny numbers, deep
 * nesting, odd times, member names, headers, content types, cursors, malformed and oversized
 * bodies, tokens of every wrong kind, other tenants' ids. Every answer is a 2xx or a 4xx problem,
 * never a 5xx; no answer echoes a secret; then every event a producer was told was accepted is
 * stored exactly once and delivered with its data, nothing is left half-written, and the services
 * logged no unhandled failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Ledger } from './support/ledger';
import { LogWatch, summariseFindings } from './support/logs';
import {
  producerOutcome,
  strandedLetters,
  subscriberHalfWritten,
  WebhookCollector,
} from './support/outcomes';
import { runRouteProperties, type RouteReport } from './support/properties';
import { ROUTES, routeName } from './support/routes';
import { fuzzSettings } from './support/settings';
import { makeWorld, newRun, type FuzzWorld } from './support/world';

const settings = fuzzSettings();
const run = newRun();
const ledger = new Ledger();
const webhooks = new WebhookCollector(`fz-${run}`);
let world: FuzzWorld;
let logs: LogWatch;
let reports: RouteReport[] = [];

beforeAll(async () => {
  logs = await LogWatch.start();
  webhooks.start();
  world = await makeWorld(run);
  for (const tenant of ['producer', 'producerNeighbour'] as const)
    for (const seed of world.seeds[tenant]) ledger.record(tenant, seed.id, seed.data);
}, 300_000);

afterAll(() => webhooks.stop());

function templateRoutes(): string[] {
  return (['ingest', 'processing', 'notifications', 'tenants'] as const).flatMap((service) => {
    const file = join(
      process.cwd(),
      'services',
      service,
      '.serverless',
      'cloudformation-template-update-stack.json',
    );
    const template = JSON.parse(readFileSync(file, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: { RouteKey?: string } }>;
    };
    return Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
      .map((resource) => `${service} ${resource.Properties!.RouteKey!}`);
  });
}

function summary(all: RouteReport[]): string {
  const rows = all.map(
    (r) =>
      `${r.route.padEnd(66)} ${String(r.cases).padStart(6)} ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${Object.entries(
        r.statuses,
      )
        .map(([status, n]) => `${status}:${n}`)
        .join(' ')}${r.gateway ? `  (gateway ${r.gateway})` : ''}`,
  );
  return [`seed ${settings.seed}, ${settings.runs} runs per route`, ...rows].join('\n');
}

describe('fuzzing every HTTP route', () => {
  test('the table covers exactly the routes of the packaged templates', () => {
    const table = ROUTES.map(routeName).sort();
    expect(table).toEqual(templateRoutes().sort());
  });

  test('every answer is a 2xx or a 4xx problem, never a 5xx, and echoes no secret', async () => {
    reports = await runRouteProperties(ROUTES, world, ledger, settings);
    console.log(summary(reports));
    const failures = reports
      .filter((r) => r.failure)
      .map(
        (r) =>
          `${r.route}: ${r.failure!.why}\n  seed ${r.failure!.seed}, path ${r.failure!.path}\n${r.failure!.request}`,
      );
    expect(failures).toEqual([]);
    for (const report of reports)
      expect([report.route, report.cases >= settings.runs]).toEqual([report.route, true]);
  }, 900_000);

  test('every accepted event is stored once and delivered with its data; nothing refused is stored or half-written', async () => {
    for (const tenant of ['producer', 'producerNeighbour'] as const) {
      const outcome = await producerOutcome(world, ledger, webhooks, tenant, 180_000);
      expect(outcome).toEqual({
        tenant,
        accepted: ledger.ids(tenant).size,
        missing: [],
        notAccepted: [],
        undelivered: [],
        wrongData: [],
        unverified: [],
        unpublished: [],
        halfWritten: [],
      });
    }
  }, 600_000);

  test('no delivery record is left without its task after replays, redeliveries, pauses and changes', async () => {
    expect(await subscriberHalfWritten(world.subscriber, webhooks)).toEqual([]);
    expect(await subscriberHalfWritten(world.subscriberNeighbour, webhooks)).toEqual([]);
  }, 300_000);

  test('nothing the requests started ended in a dead-letter queue', async () => {
    expect(await strandedLetters(`fz-${run}`)).toEqual([]);
  }, 120_000);

  test('the services logged no unhandled rejection, exception or crashed batch', async () => {
    const timeouts = await logs.timeouts();
    // Not failures in themselves (see support/logs.ts), but worth seeing.
    if (timeouts.length > 0)
      console.log(
        `Lambda timeouts (cold starts on a loaded machine?):\n${summariseFindings(timeouts).join('\n')}`,
      );
    expect(summariseFindings(await logs.unhandled())).toEqual([]);
  });
});
