/**
 * The pipeline under faults: events sent through POST /v1/events while AWS calls fail, invocations
 * crash and stream batches fail, then what came out: lost, stored twice, delivered twice. Prints the
 * duplicate-delivery rate, the faults injected (per attempt, and what the SDK's retries did not
 * absorb) and the time it took.
 *
 *   npx tsx scripts/bench/faults.ts [--events 2000] [--upload 200] [--upload-files 4]
 *        [--faults aws=0.05,crash=0.01,stream=0.02,seed=42] [--timeout 900] [--settle 400]
 *
 * --upload: how many of the events travel in NDJSON uploads (S3, in --upload-files files) instead of
 * POST /v1/events.
 * --settle: seconds to wait, once all is delivered, for every queue to drain, so that late duplicates
 * (a crashed delivery batch comes back after its queue's 180 s visibility timeout) are counted.
 *
 * --faults defaults to HERALD_FAULTS, else the rates above. Everything runs on this one machine, so the
 * times compare builds of Herald with each other, not with AWS.
 */
import { parseArgs } from 'node:util';
import { formatFaultCounts } from '@herald/local-cloud';
import { formatPipelineReport, runPipelineUnderFaults } from '../../test/faults/support/pipeline';
import { startBenchCloud } from './lib/cloud';
import { figure } from './lib/figures';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    faults: {
      type: 'string',
      default: process.env.HERALD_FAULTS ?? 'aws=0.05,crash=0.01,stream=0.02,seed=42',
    },
    timeout: { type: 'string', default: '900' },
    settle: { type: 'string', default: '400' },
    upload: { type: 'string', default: '200' },
    'upload-files': { type: 'string', default: '4' },
  },
});

const cloud = await startBenchCloud({ faults: args.faults });

try {
  const report = await runPipelineUnderFaults(cloud, {
    events: Number(args.events),
    timeoutMs: Number(args.timeout) * 1000,
    uploadEvents: Number(args.upload),
    uploadFiles: Number(args['upload-files']),
    settle: { queues: 'all', timeoutMs: Number(args.settle) * 1000 },
    log: (line) => console.log(`  ${line}`),
  });
  console.log(formatPipelineReport(report));
  const { stored, delivered, timingsMs } = report;
  figure({
    figure: `accepted events lost under faults (${args.faults})`,
    value: stored.missing.length + delivered.missing.length,
    unit: 'events',
    baseline: { value: 0, label: 'nothing accepted is lost' },
  });
  figure({ figure: 'accepted events stored twice', value: stored.twice.length, unit: 'events' });
  figure({ figure: 'duplicate-delivery rate under faults', value: 100 * delivered.duplicateRate, unit: '%' });
  figure({
    figure: `all ${report.producer.accepted} accepted events delivered after`,
    value: timingsMs.delivered / 1000,
    unit: 's',
  });
  if (report.faults) console.log(formatFaultCounts(report.faults));
} finally {
  await cloud.stop();
}
