/**
 * Looks into a service's dead-letter queues and sends their messages back, through the service's
 * operator routes (GET/POST /v1/operator/dead-letters…, scope operator:dead-letters):
 *
 *   npm run -s dlq -- list    --service notifications
 *   npm run -s dlq -- peek    --service notifications --queue dispatch [--sample 10]
 *   npm run -s dlq -- redrive --service notifications --queue dispatch [--rate 50] [--wait]
 *   npm run -s dlq -- tasks   --service notifications --queue dispatch
 *
 * By default it talks to the running local cloud (its port for the service, HERALD_PORT_<SERVICE>_HTTP
 * if set) with a token it signs with the local identity provider's key. For a deployed stage give the
 * service's API URL and an operator's token: --url https://… --token … (or HERALD_TOKEN).
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_PORTS,
  defaultKeyDir,
  issueToken,
  loadOrCreateSigningKey,
  SERVICES,
  type ServiceName,
} from '@herald/local-cloud/client';

const USAGE = `Usage: npm run -s dlq -- <list|peek|redrive|tasks> --service <processing|notifications>
                        [--queue <id>] [--sample <1-10>] [--rate <1-500>] [--wait]
                        [--url <service API URL>] [--token <operator token>] [--json]

  list      every dead-letter queue of the service: counts, oldest message, how it is redriven
  peek      up to --sample messages of --queue (default 5), left where they are
  redrive   sends --queue's messages back (--rate: at most this many a second; --wait: until done)
  tasks     the redrives (message-move tasks) of --queue
  --url     the service's API (default: the local cloud's, http://localhost:<its port>)
  --token   a token with the operator:dead-letters scope (default $HERALD_TOKEN; locally, one is signed)
  --json    the routes' answers as they are`;

const PREFIX = '/v1/operator/dead-letters';
const COMMANDS = ['list', 'peek', 'redrive', 'tasks'] as const;
type Command = (typeof COMMANDS)[number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function fail(message: string): never {
  console.error(`dlq: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function options() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        service: { type: 'string' },
        queue: { type: 'string' },
        sample: { type: 'string' },
        rate: { type: 'string' },
        wait: { type: 'boolean' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const command = positionals[0] as Command | undefined;
    if (!command || !COMMANDS.includes(command) || positionals.length > 1)
      fail(`say what to do: ${COMMANDS.join(', ')}`);
    const service = values.service as ServiceName | undefined;
    if (!service || !SERVICES.includes(service)) fail(`--service is one of ${SERVICES.join(', ')}`);
    if (command !== 'list' && !values.queue) fail(`${command} needs --queue (list shows them)`);
    return { ...values, command, service };
  } catch (error) {
    return fail((error as Error).message);
  }
}

function localPort(service: ServiceName, part: 'services' | 'identity'): string {
  const name = part === 'identity' ? 'HERALD_PORT_IDENTITY' : `HERALD_PORT_${service.toUpperCase()}_HTTP`;
  const fallback = part === 'identity' ? DEFAULT_PORTS.identity : DEFAULT_PORTS.services[service].http;
  return process.env[name]?.trim() || String(fallback);
}

async function tokenFor(service: ServiceName, given: string | undefined, local: boolean): Promise<string> {
  const token = given ?? process.env.HERALD_TOKEN?.trim();
  if (token) return token;
  if (!local) fail('a deployed stage needs an operator’s token: --token or HERALD_TOKEN');
  const key = await loadOrCreateSigningKey(process.env.HERALD_IDENTITY_KEY_DIR?.trim() || defaultKeyDir());
  return issueToken(key.privateKey, key.kid, `http://localhost:${localPort(service, 'identity')}`, {
    tenant: 'operations',
    scopes: ['operator:dead-letters'],
    subject: 'dlq-cli',
    expiresIn: 900,
  });
}

async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    console.error(
      `dlq: ${base} did not answer (${(error as Error).message}); is the service (or npm start) running?`,
    );
    process.exit(1);
  }
  const text = await response.text();
  const answer = (text ? JSON.parse(text) : {}) as Json;
  if (!response.ok) {
    console.error(
      `dlq: ${method} ${path}: ${response.status} ${answer.title ?? ''}: ${answer.detail ?? text}`,
    );
    process.exit(1);
  }
  return answer;
}

const age = (seconds: number | undefined) =>
  seconds === undefined
    ? '-'
    : seconds < 120
      ? `${seconds}s`
      : seconds < 7200
        ? `${Math.floor(seconds / 60)}m`
        : `${Math.floor(seconds / 3600)}h`;

function printList(answer: Json): void {
  console.log(`${answer.service}: ${answer.deadLetterQueues.length} dead-letter queue(s)`);
  for (const queue of answer.deadLetterQueues as Json[]) {
    console.log(
      `\n  ${queue.queue}  ${queue.name}\n` +
        `    messages ${queue.approximateNumberOfMessages} (in flight ${queue.approximateNumberOfMessagesNotVisible}), ` +
        `oldest of a sample ${age(queue.oldestSampledAgeSeconds)}\n` +
        `    holds: ${queue.holds}\n    redrive: ${queue.redrive.does}`,
    );
  }
}

function printPeek(answer: Json): void {
  console.log(
    `${answer.queue} (${answer.name}): ${answer.approximateNumberOfMessages} message(s); ${answer.messages.length} shown, left in place`,
  );
  for (const message of answer.messages as Json[]) {
    console.log(
      `\n  ${message.messageId}  sent ${message.sentAt ?? '?'} (${age(message.ageSeconds)} ago), received ${message.receiveCount ?? '?'}×` +
        `${message.correlationId ? `, correlation ${message.correlationId}` : ''}\n` +
        `    why: ${message.reason}\n    ${message.bodyPreview}${message.truncated ? ' …' : ''}`,
    );
  }
}

function printTasks(answer: Json): void {
  if (answer.note) console.log(`${answer.queue}: ${answer.note}`);
  for (const task of answer.tasks as Json[])
    console.log(
      `${task.status.padEnd(10)} started ${task.startedAt ?? '?'}: moved ${task.approximateNumberOfMessagesMoved}` +
        `${task.approximateNumberOfMessagesToMove !== undefined ? ` of ${task.approximateNumberOfMessagesToMove}` : ''}` +
        `${task.failureReason ? ` (${task.failureReason})` : ''}${task.taskHandle ? `\n           handle ${task.taskHandle}` : ''}`,
    );
  if (!answer.note && answer.tasks.length === 0) console.log(`${answer.queue}: no redrive yet`);
}

function printRedrive(answer: Json): void {
  if (answer.kind === 'move') {
    console.log(`${answer.queue}: moving back to ${answer.destinationArn} (task ${answer.taskHandle})`);
    return;
  }
  console.log(
    `${answer.queue}: ${answer.resent} sent back, ${answer.kept.length} kept, ` +
      `${answer.approximateNumberOfMessagesRemaining} left${answer.finished ? '' : ' (this pass stopped early: run again)'}`,
  );
  for (const kept of answer.kept as Json[]) console.log(`  kept ${kept.messageId}: ${kept.reason}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const args = options();
  const local = args.url === undefined;
  const base = (args.url ?? `http://localhost:${localPort(args.service, 'services')}`).replace(/\/+$/, '');
  const token = await tokenFor(args.service, args.token, local);
  const queuePath = `${PREFIX}/${encodeURIComponent(args.queue ?? '')}`;
  const show = (answer: Json, print: (answer: Json) => void) =>
    args.json ? console.log(JSON.stringify(answer, null, 2)) : print(answer);

  switch (args.command) {
    case 'list':
      return show(await call(base, token, 'GET', PREFIX), printList);
    case 'peek':
      return show(await call(base, token, 'GET', `${queuePath}?sample=${args.sample ?? 5}`), printPeek);
    case 'tasks':
      return show(await call(base, token, 'GET', `${queuePath}/redrive`), printTasks);
    case 'redrive': {
      const body = args.rate === undefined ? undefined : { maxMessagesPerSecond: Number(args.rate) };
      for (;;) {
        const answer = await call(base, token, 'POST', `${queuePath}/redrive`, body);
        show(answer, printRedrive);
        if (!args.wait) return;
        if (answer.kind === 'move') return waitForMove(base, token, queuePath, args.json === true);
        // A resend pass that ran out of time goes on where it stopped, as long as it gets anywhere.
        if (answer.finished || answer.resent === 0) return;
      }
    }
  }
}

async function waitForMove(base: string, token: string, queuePath: string, json: boolean): Promise<void> {
  for (;;) {
    await sleep(2000);
    const answer = await call(base, token, 'GET', `${queuePath}/redrive`);
    const [latest] = answer.tasks as Json[];
    if (latest && latest.status !== 'RUNNING' && latest.status !== 'CANCELLING') {
      if (json) console.log(JSON.stringify(latest, null, 2));
      else printTasks({ ...answer, tasks: [latest] });
      return;
    }
  }
}

main().catch((error: unknown) => {
  console.error(`dlq: ${(error as Error).message}`);
  process.exit(1);
});
