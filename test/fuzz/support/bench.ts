/**
 * The whole fuzz suite as one run that reports instead of asserting (scripts/bench/fuzz.ts): the
 * route properties with their cases per second, the producers' and subscribers' outcomes, the
 * queue consumers, the uploads, and the services' logs. Returns every finding as text.
 */
import { consumerLeftovers, runConsumerFuzz, runUploadFuzz, shortenVisibility } from './consumer-run';
import { Ledger } from './ledger';
import { LogWatch, summariseFindings } from './logs';
import { producerOutcome, strandedLetters, subscriberHalfWritten, WebhookCollector } from './outcomes';
import { runRouteProperties } from './properties';
import { ROUTES } from './routes';
import { fuzzSettings, patienceMs } from './settings';
import { consumerTenant, makeWorld, newRun } from './world';

export async function runFuzzBench(log: (line: string) => void): Promise<string[]> {
  const settings = fuzzSettings();
  const run = newRun();
  const logs = await LogWatch.start();
  const webhooks = new WebhookCollector(`fz-${run}`);
  webhooks.start();
  const findings: string[] = [];
  try {
    log(
      `seed ${settings.seed}, ${settings.runs} cases per route, ${settings.messages} messages per consumer`,
    );
    const world = await makeWorld(run);
    const ledger = new Ledger();
    for (const tenant of ['producer', 'producerNeighbour'] as const)
      for (const seed of world.seeds[tenant]) ledger.record(tenant, seed.id, seed.data);

    const started = performance.now();
    const reports = await runRouteProperties(ROUTES, world, ledger, settings);
    const seconds = (performance.now() - started) / 1000;
    const total = reports.reduce((sum, r) => sum + r.cases, 0);
    log(`\nroutes: ${total} cases in ${seconds.toFixed(0)} s, ${(total / seconds).toFixed(1)} cases/s`);
    for (const r of reports)
      log(
        `  ${r.route.padEnd(66)} ${String(r.cases).padStart(6)} cases ${(r.cases / (r.ms / 1000)).toFixed(1).padStart(6)}/s`,
      );
    for (const r of reports.filter((report) => report.failure))
      findings.push(
        `${r.route}: ${r.failure!.why}\n  (seed ${r.failure!.seed}, path ${r.failure!.path})\n${r.failure!.request}`,
      );

    for (const tenant of ['producer', 'producerNeighbour'] as const) {
      const outcome = await producerOutcome(world, ledger, webhooks, tenant, 300_000);
      log(`${tenant}: ${outcome.accepted} events accepted`);
      for (const [what, ids] of Object.entries(outcome))
        if (Array.isArray(ids) && ids.length > 0)
          findings.push(`${tenant} ${what}: ${ids.join(', ').slice(0, 2000)}`);
    }
    for (const tenant of [world.subscriber, world.subscriberNeighbour]) {
      const half = await subscriberHalfWritten(tenant, webhooks);
      if (half.length > 0)
        findings.push(`${tenant.id} half-written deliveries: ${half.join(', ').slice(0, 2000)}`);
    }

    for (const letter of await strandedLetters(`fz-${run}`)) findings.push(`dead letter: ${letter}`);

    const target = { ...(await consumerTenant(run)), run };
    const restore = await shortenVisibility();
    try {
      const consumersStarted = performance.now();
      const { verdicts, summary, sent } = await runConsumerFuzz(settings, target, webhooks, logs);
      log(
        `\nconsumers: ${sent.length} messages in ${((performance.now() - consumersStarted) / 1000).toFixed(0)} s\n${summary}`,
      );
      for (const v of verdicts)
        for (const what of ['notDead', 'dead', 'undelivered', 'unrefused'] as const)
          if (v[what].length > 0) findings.push(`${v.consumer} ${what}:\n  ${v[what].join('\n  ')}`);
      const uploads = await runUploadFuzz(settings, target);
      log(`uploads: ${uploads.length} files of 50 fuzzed lines`);
      for (const u of uploads)
        if (u.problems.length > 0) findings.push(`upload ${u.id}: ${u.problems.join('\n  ')}`);
      const leftovers = await consumerLeftovers(target, uploads, webhooks, patienceMs(settings));
      for (const [what, ids] of Object.entries(leftovers))
        if (ids.length > 0) findings.push(`consumers' tenant ${what}: ${ids.join(', ').slice(0, 2000)}`);
    } finally {
      await restore();
    }
    findings.push(...summariseFindings(await logs.unhandled()).map((line) => `log: ${line}`));
    for (const line of summariseFindings(await logs.timeouts()))
      log(`Lambda timeout (not a finding by itself): ${line}`);
    return findings;
  } finally {
    webhooks.stop();
  }
}
