/**
 * The fuzz suite as a long run: every HTTP route's property with many more cases than CI's 200
 * (and another seed, if asked), then every queue consumer, on a local cloud of its own. Prints
 * cases per second by route and every finding (a 5xx, an answer that is no problem, an echoed
 * secret, a lost or half-written event, an unhandled failure in the logs); never fails on them.
 *
 *   npx tsx scripts/bench/fuzz.ts [--runs 5000] [--seed 20261130] [--messages 1000]
 *   npm run bench -- fuzz
 *
 * The same modules as test/fuzz/*.int.test.ts, so a finding here reproduces there with
 * FUZZ_SEED and FUZZ_RUNS.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchCloud } from './lib/cloud';
import { figure } from './lib/figures';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '20261130' },
    messages: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
  },
});
process.env.FUZZ_RUNS = args.runs;
process.env.FUZZ_SEED = args.seed;
process.env.FUZZ_MESSAGES = args.messages;
process.env.FUZZ_CONCURRENCY = args.concurrency;

const logDir = join(process.cwd(), '.local-cloud', 'bench-logs', 'fuzz');
const cloud = await startBenchCloud({ logDir });
// What test/setup/global-setup.mjs hands the integration tests, so the suite's modules find this cloud.
process.env.HERALD_LOCAL_CLOUD = JSON.stringify({
  endpoints: cloud.endpoints,
  outputs: cloud.outputs,
  awsEnv: cloud.awsEnv,
  ports: cloud.ports,
  identityKeyDir: cloud.identity.keyDir,
  envelopeSigningKey: cloud.envelopeSigningKey,
});
process.env.FUZZ_LOG_DIR = logDir;

try {
  const { runFuzzBench } = await import('../../test/fuzz/support/bench');
  let casesPerSecond: number | undefined;
  const findings = await runFuzzBench((line) => {
    // The routes' summary line: "routes: 12000 cases in 300 s, 40.0 cases/s".
    const rate = /^\s*routes: .* ([\d.]+) cases\/s/.exec(line);
    if (rate) casesPerSecond = Number(rate[1]);
    console.log(line);
  });
  if (casesPerSecond !== undefined)
    figure({
      figure: 'fuzz HTTP cases per second',
      value: casesPerSecond,
      unit: 'cases/s',
      higherIsBetter: true,
    });
  figure({
    figure: `fuzz findings (${args.runs} cases per route, seed ${args.seed})`,
    value: findings.length,
    unit: 'findings',
    baseline: { value: 0, label: 'none expected' },
  });
  console.log(
    findings.length === 0 ? '\nno findings' : `\n${findings.length} finding(s):\n\n${findings.join('\n\n')}`,
  );
} finally {
  await cloud.stop();
}
