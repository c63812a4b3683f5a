/**
 * The local cloud's own costs: time from start to ready (programmatic and `npm start` to its banner),
 * memory of the whole stack, and the latency of one event through a queue mapping.
 */
import { spawn } from 'node:child_process';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { clientConfig, startLocalCloud } from '@herald/local-cloud';
import { figure } from './lib/figures';
import { treeRssMiB } from './lib/process-tree';
import { percentile, summary } from './lib/stats';

async function npmStartToBanner(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, HERALD_PORTS: 'auto' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  while (!out.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null) throw new Error(`npm start failed:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const elapsed = performance.now() - started;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
  return elapsed;
}

const bannerMs = await npmStartToBanner();

const t0 = performance.now();
const cloud = await startLocalCloud({
  ports: 'auto',
  reusePackages: true,
  logDir: '.local-cloud/bench-logs',
  // Responses stream unread, as before contract checks, unless HERALD_CONTRACT asks for them.
  ...(process.env.HERALD_CONTRACT ? {} : { contract: 'off' as const }),
});
const readyMs = performance.now() - t0;
const rss = treeRssMiB(process.pid);
// The serverless-offline processes running when the memory was read: one per service started.
const offlineProcesses = Object.values(cloud.status()).filter((service) => service.pid !== undefined).length;

// One event through the inbound queue mapping into processing's consume function: the time from
// SendMessage to the moment the function stamped `storedAt` (handler start + verify + one write).
const secrets = new SecretsManagerClient(clientConfig(cloud.endpoints.aws.secretsmanager));
const privateJwk = (
  await secrets.send(new GetSecretValueCommand({ SecretId: 'herald/local/ingest/envelope-signing-key' }))
).SecretString!;
const signer = createEnvelopeSigner(privateJwk);
const sqs = new SQSClient({ ...clientConfig(cloud.endpoints.aws.sqs), useQueueUrlAsEndpoint: false });
const db = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(cloud.endpoints.aws.dynamodb)));
const latencies: number[] = [];
for (let i = 0; i < 30; i++) {
  const id = `bench-${Date.now()}-${i}`;
  const envelope = signer.sign({
    specversion: '1.0',
    id,
    source: '/bench',
    type: 'bench.sent',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { i },
    tenantid: 'bench',
    correlationid: id,
  });
  const sent = Date.now();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: cloud.outputs.processing.InboundQueueUrl,
      MessageBody: JSON.stringify(envelope),
    }),
  );
  for (;;) {
    const item = (
      await db.send(
        new GetCommand({
          TableName: 'herald-local-processing-events',
          Key: { pk: 'TENANT#bench', sk: `EVENT#${id}` },
        }),
      )
    ).Item;
    if (item) {
      latencies.push(Date.parse(item.storedAt as string) - sent);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
await cloud.stop();

console.log(
  `npm start → banner:                 ${(bannerMs / 1000).toFixed(1)} s (packages every service first)`,
);
console.log(
  `startLocalCloud() → ready:           ${(readyMs / 1000).toFixed(1)} s (templates already packaged)`,
);
console.log(
  `memory of the whole stack (RSS):     ${rss.toFixed(0)} MiB (this process, DynamoDB Local, ${offlineProcesses} serverless-offline)`,
);
console.log(`queue mapping, send → stored (n=30): ${summary(latencies)}`);
console.log(`  first (cold) ${latencies[0]} ms; warm p50 ${percentile(latencies.slice(1), 50)} ms`);

figure({
  figure: 'npm start → banner',
  value: bannerMs / 1000,
  unit: 's',
  baseline: { value: 15, label: 'budget' },
});
figure({ figure: 'startLocalCloud() → ready (templates packaged)', value: readyMs / 1000, unit: 's' });
figure({
  figure: 'whole stack RSS, idle',
  value: rss,
  unit: 'MiB',
  baseline: { value: 1536, label: 'budget under load' },
});
figure({
  figure: 'queue mapping send → stored, warm p50',
  value: percentile(latencies.slice(1), 50),
  unit: 'ms',
});
