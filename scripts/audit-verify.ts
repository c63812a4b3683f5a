/**
 * Checks a tenant's audit chain in the audit table, for an operator:
 *
 *   npm run -s audit:verify -- --stage <stage> --tenant <id> [--head <hash>] [--json]
 *
 * It reads the stage's audit table (`herald-<stage>-tenants-audit`) with the caller's own AWS
 * credentials (the SDK's default chain and region; the table's reader needs dynamodb:Query on it and
 * kms:Decrypt through DynamoDB on the tenants key), walks the tenant's chain oldest first with the
 * service's verifier (services/tenants/src/audit/verify.ts) and prints the chain's status, or its
 * first broken link: the sequence number, the entry's id and why. `--head` is a hash the tenant kept
 * from an earlier `GET /v1/audit` answer: the chain must still hold it. Stage `local` reads the
 * running local cloud's DynamoDB (port 8000, or HERALD_PORT_DYNAMODB; `--endpoint` for another).
 *
 * Exit code: 0 the chain verifies, 1 it is broken (or the kept head is not in it), 2 the command
 * could not run (usage, credentials, no table).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig, DEFAULT_PORTS } from '@herald/local-cloud/client';
import { DynamoAuditLog } from '../services/tenants/src/adapters/dynamo-audit-log';
import type { ChainedEntry } from '../services/tenants/src/audit/chain';
import type { AuditLog } from '../services/tenants/src/audit/ports';
import { verifyChain, type BrokenLinkReason, type ChainVerdict } from '../services/tenants/src/audit/verify';

const USAGE = `Usage: npm run -s audit:verify -- --stage <stage> --tenant <id> [--head <hash>]
                                [--table <name>] [--endpoint <url>] [--json]

  --stage     the stage whose audit table is read (local: the running local cloud)
  --tenant    the tenant whose chain is checked
  --head      a hash kept from an earlier GET /v1/audit: the chain must still hold it
  --table     the audit table (default herald-<stage>-tenants-audit)
  --endpoint  DynamoDB's endpoint (default: AWS's for the region; local: http://localhost:8000)
  --json      the verdict as JSON

Exit code: 0 the chain verifies, 1 it is broken, 2 the check could not run.`;

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STAGE = /^[a-z][a-z0-9-]{0,31}$/;
const HASH = /^[0-9a-f]{64}$/;

/** What each broken link means, for the person reading the report. */
export const REASONS: Record<BrokenLinkReason, string> = {
  'entry-altered': "the entry's members are not those its id was made from (changed after it was recorded)",
  'wrong-tenant': 'the entry belongs to another tenant (moved or copied into this chain)',
  'hash-mismatch': 'its hash is not the hash of its previous hash, sequence number and entry',
  'link-mismatch':
    'its previous hash is not the hash of the entry before it (an entry replaced or reordered)',
  'sequence-gap': 'a sequence number is missing or out of order (an entry removed or moved)',
};

export interface VerifyReport {
  tenantId: string;
  verdict: ChainVerdict;
  /** The kept head asked about, and whether the chain holds it. */
  keptHead?: { hash: string; found: boolean };
  ok: boolean;
}

/** Walks the tenant's chain once, checking it and looking for a kept head on the way. */
export async function verifyTenantAudit(
  log: Pick<AuditLog, 'walk'>,
  tenantId: string,
  keptHead?: string,
): Promise<VerifyReport> {
  let found = false;
  async function* watched(): AsyncIterable<ChainedEntry> {
    for await (const link of log.walk(tenantId)) {
      if (link.hash === keptHead) found = true;
      yield link;
    }
  }
  const verdict = await verifyChain(tenantId, watched());
  const head = keptHead === undefined ? undefined : { hash: keptHead, found };
  return {
    tenantId,
    verdict,
    ...(head ? { keptHead: head } : {}),
    ok: verdict.ok && (head?.found ?? true),
  };
}

export function describeReport(report: VerifyReport): string {
  const { verdict, tenantId } = report;
  const lines: string[] = [];
  if (verdict.ok) {
    lines.push(
      verdict.entries === 0
        ? `ok: tenant ${tenantId} has no audit entries`
        : `ok: tenant ${tenantId}'s chain verifies: ${verdict.entries} entries, seq ${verdict.firstSeq} to ${verdict.lastSeq}`,
    );
    if (verdict.headHash) lines.push(`head: ${verdict.headHash}`);
    if (verdict.firstSeq !== undefined && verdict.firstSeq > 1)
      lines.push(`(entries before seq ${verdict.firstSeq} have expired with the tenant's retention)`);
  } else {
    lines.push(
      `BROKEN: tenant ${tenantId}'s chain breaks at seq ${verdict.brokenAt}` +
        `${verdict.entryId ? ` (entry ${verdict.entryId})` : ''}: ${verdict.reason}`,
      `  ${REASONS[verdict.reason]}`,
      `  ${verdict.entries} entries before it verify`,
    );
  }
  if (report.keptHead) {
    lines.push(
      report.keptHead.found
        ? `kept head ${report.keptHead.hash} is in the chain`
        : `NOT FOUND: kept head ${report.keptHead.hash} is not in the chain (rewritten, or expired with retention)`,
    );
  }
  return lines.join('\n');
}

function fail(message: string): never {
  console.error(`audit:verify: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        stage: { type: 'string' },
        tenant: { type: 'string' },
        head: { type: 'string' },
        table: { type: 'string' },
        endpoint: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!parsed.stage || !STAGE.test(parsed.stage)) fail('--stage names a stage (local, dev, prod...)');
  if (!parsed.tenant || !TENANT_ID.test(parsed.tenant)) fail('--tenant names a tenant id');
  if (parsed.head !== undefined && !HASH.test(parsed.head)) fail('--head is a hash of 64 hex digits');
  return { ...parsed, stage: parsed.stage, tenant: parsed.tenant };
}

function client(stage: string, endpoint: string | undefined): DynamoDBDocumentClient {
  if (stage === 'local') {
    const port = process.env.HERALD_PORT_DYNAMODB ?? String(DEFAULT_PORTS.dynamodb);
    return DynamoDBDocumentClient.from(
      new DynamoDBClient(clientConfig(endpoint ?? `http://localhost:${port}`)),
    );
  }
  // The caller's credentials and region, as every AWS CLI and SDK finds them.
  return DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}));
}

async function main(): Promise<void> {
  const args = options();
  const table = args.table ?? `herald-${args.stage}-tenants-audit`;
  const log = new DynamoAuditLog(client(args.stage, args.endpoint), table);
  let report: VerifyReport;
  try {
    report = await verifyTenantAudit(log, args.tenant, args.head);
  } catch (error) {
    const { name, message } = error as Error;
    console.error(`audit:verify: could not read ${table}: ${name}: ${message}`);
    process.exit(2);
  }
  console.log(
    args.json ? JSON.stringify({ table, ...report }, null, 2) : `${table}\n${describeReport(report)}`,
  );
  process.exit(report.ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
