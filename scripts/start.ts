/**
 * npm start: the whole of Herald on this machine. Ctrl-C stops everything it started. What the local
 * cloud reports while it runs (a service's process that died, its restart) is printed as it happens.
 *
 *   HERALD_PORTS=auto npm start          free ports instead of the defaults
 *   HERALD_PORT_INGEST_HTTP=5000 npm start   one port changed (see packages/local-cloud/README.md)
 */
import { KNOWN_SCOPES, startLocalCloud, type LocalCloud } from '@herald/local-cloud';

const started = Date.now();
const say = (line: string) => console.log(`[local-cloud] ${line}`);

let cloud: LocalCloud | undefined;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  await cloud?.stop();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// `herald listen` receives webhooks on this port (HERALD_LISTEN_PORT for both), so the local
// cloud lets deliveries go to it beside its own receiver's.
const listenPort = Number(process.env.HERALD_LISTEN_PORT?.trim() || 4210);
if (!Number.isInteger(listenPort) || listenPort < 1 || listenPort > 65535) {
  console.error(
    `HERALD_LISTEN_PORT must be a port number, not ${JSON.stringify(process.env.HERALD_LISTEN_PORT)}`,
  );
  process.exit(1);
}

try {
  cloud = await startLocalCloud({
    ports: process.env.HERALD_PORTS === 'auto' ? 'auto' : 'fixed',
    webhookPorts: [listenPort],
    watchSources: true,
    log: say,
  });
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const token = await cloud.identity.issueToken({ tenant: 'demo', scopes: [...KNOWN_SCOPES] });
const { endpoints } = cloud;
// The console is built beside the rest of the start-up; a failed build leaves everything else running.
const consoleLine = cloud.console.available
  ? `${endpoints.console}  (sign in as demo)`
  : `unavailable: ${cloud.console.reason}`;
console.log(`
Herald is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).

  console         ${consoleLine}
  ingest          ${endpoints.services.ingest}        POST /v1/events
  processing      ${endpoints.services.processing}
  notifications   ${endpoints.services.notifications}        GET /v1/subscriptions
  API reference   ${endpoints.services.ingest}/docs   (every response checked against it: HERALD_CONTRACT=${cloud.contract.mode()})
  JWKS            ${endpoints.jwksUrl}
  webhooks        ${endpoints.webhooks}   (receiver: POST /<name>, GET /_requests)
                  npx herald listen --forward-to <your URL>   (receives on port ${listenPort})
  AWS emulators   SQS/S3 ${endpoints.aws.sqs}  DynamoDB ${endpoints.aws.dynamodb}  SES ${endpoints.aws.ses}
                  EventBridge ${endpoints.aws.eventbridge}  Secrets Manager ${endpoints.aws.secretsmanager}
                  KMS ${endpoints.aws.kms}  SSM ${endpoints.aws.ssm}
  logs            ${cloud.logDir}/<service>.log
                  (a service whose process dies is reported here and restarted; its URL answers 503 meanwhile;
                  a changed source is packaged again and its service reloaded)

Development token (tenant "demo", every scope):

  export HERALD_TOKEN=${token}

  curl -s -X POST ${endpoints.services.ingest}/v1/events -H "authorization: Bearer $HERALD_TOKEN" \\
    -H 'content-type: application/json' -d '{"type":"order.created","data":{"total":42}}'

Then: npx herald --help (the CLI reads HERALD_TOKEN).
More tokens: npm run -s token -- --tenant <t> --scope <s>...   Ctrl-C stops everything.
`);
