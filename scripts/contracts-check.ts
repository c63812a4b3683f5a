/**
 * Holds every cross-service contract (shared/src/contracts/registry.ts) to its last released
 * snapshot (contracts/released/), failing on a change that breaks a consumer of the previous
 * release or a new consumer reading messages already sent (rules in scripts/lib/contract-compat.ts
 * and the README's "Releasing a service").
 *
 *   npm run contracts:check              check (CI)
 *   npm run contracts:release            make the snapshots the current schemas, deliberately: once the
 *                                        services that produce and consume a changed contract are released
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contracts } from '@herald/shared/contracts/registry';
import { checkContracts, describeReport, RELEASED_DIR, releaseContracts } from './lib/contract-snapshots';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv.includes('--release') || process.argv.includes('--update')) {
  const { written, removed } = await releaseContracts(root, contracts);
  for (const file of written) console.log(`wrote ${RELEASED_DIR}/${file}`);
  for (const file of removed) console.log(`removed ${RELEASED_DIR}/${file}`);
  if (written.length + removed.length === 0) console.log('the released contracts are the current ones');
} else {
  const result = await checkContracts(root, contracts);
  for (const report of result.reports) for (const line of describeReport(report)) console.log(line);
  for (const orphan of result.orphans) {
    console.log(
      `✗ ${RELEASED_DIR}/${orphan} is no longer in the registry: consumers of the previous release still read ` +
        'it. Keep producing it beside its successor until they have moved, then run npm run contracts:release',
    );
  }
  if (!result.ok) {
    console.log(
      '\nA breaking change: keep the released contract and add the change compatibly, or release a new major ' +
        '(see README, "Releasing a service").',
    );
    process.exitCode = 1;
  }
}
