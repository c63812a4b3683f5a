/**
 * Lambda CPU milliseconds per event, in process against the emulators: ingest's acceptEvents (one
 * event a request, then batches of 100), processing's consume and publish, notifications' dispatch
 * and deliver, each beside a floor measured in the same run (parse + verify + sign of the same
 * envelope, shared/src/signing).
 *
 *   npx tsx scripts/bench/cpu.ts [--events 1000] [--profile DIR]
 *       --events: acceptEvents single requests (the other functions get amounts in proportion);
 *       --profile: a V8 CPU profile of each function's process, <DIR>/<function>.cpuprofile
 *   npm run bench -- cpu
 *
 * How:
 *  - The three services are packaged afresh into a directory of this run's (`serverless package
 *    --stage local`), and each function runs from its own zip's bundle: the minified .mjs Lambda
 *    would run, with the same SDK copies and tree shaking, not the TypeScript sources (which tsx
 *    would compile with other settings and which import more than the bundle keeps).
 *  - The local cloud (lib/cloud.ts) runs the emulators; each function runs in a child process of its
 *    own (lib/cpu-child.ts) with its environment from the packaged template, made to point at this
 *    cloud as the local cloud does for serverless-offline (issuer, JWKS, envelope keys, webhook
 *    port) plus the cloud's awsEnv, and the production log level (INFO; the local stage logs DEBUG).
 *    The child's process.cpuUsage() then holds the function's work only: request building, SigV4,
 *    TLS-free HTTP to the emulators, response parsing, logging, and Herald's own code.
 *  - Events are real: API Gateway v2 events with a token from the local identity provider; consume
 *    gets the SQS messages acceptEvents queued (they go to a queue of this bench's, so the running
 *    pipeline does not take them); publish gets INSERT stream records of those envelopes; dispatch
 *    gets EventBridge events (as the rule delivers them to its queue) of a tenant with one webhook
 *    subscription, and queues its tasks to a queue of this bench's, from which deliver gets them;
 *    deliver sends each webhook to the local cloud's receiver.
 *
 * The machine's CPU is not Lambda's: at 512 MB a function gets about a third of a vCPU, so
 * wall-clock per event there is roughly three times these CPU figures. The ratio to the floor is
 * what carries over.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { createEnvelopeSigner } from '@herald/shared/signing';
import type { UnsignedEnvelope } from '@herald/shared/contracts';
import { clientConfig, repositoryRoot, type LocalCloud } from '@herald/local-cloud';
import { toStoredEvent } from '../../services/processing/src/events-table';
import { insertRecord } from '../../services/processing/test/support/stream-records';
import { startBenchCloud } from './lib/cloud';
import type { CpuInputs, CpuJob, CpuResult } from './lib/cpu-child';
import { figure } from './lib/figures';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '1000' }, profile: { type: 'string' } },
});
const SINGLES = Number(args.events);
const scale = SINGLES / 1000;
const at = (n: number) => Math.max(1, Math.round(n * scale));

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const work = mkdtempSync(join(tmpdir(), 'herald-bench-cpu-'));
const run = promisify(execFile);

/** Packages a service into this run's directory, so other packaging cannot change what is measured. */
async function packageService(service: string): Promise<string> {
  const out = join(work, service);
  await run(
    join(repositoryRoot, 'node_modules', '.bin', 'serverless'),
    ['package', '--stage', 'local', '--package', out],
    { cwd: join(repositoryRoot, 'services', service), maxBuffer: 64 * 1024 * 1024 },
  );
  return out;
}

interface FunctionResource {
  Type: string;
  Properties: { Handler: string; Environment?: { Variables?: Record<string, string> } };
}

/** A function's bundle (unzipped here) and its environment from the packaged template. */
async function lambdaFunction(packaged: string, name: string) {
  const template = JSON.parse(
    readFileSync(join(packaged, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as { Resources: Record<string, FunctionResource> };
  const logicalId = `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not in ${packaged}`);
  const dir = join(work, 'functions', name);
  mkdirSync(dir, { recursive: true });
  await run('unzip', ['-qo', join(packaged, `${name}.zip`), '-d', dir]);
  const handlerFile = resource.Properties.Handler.replace(/\.[^.]+$/, '.mjs');
  const { NODE_OPTIONS: _sourceMaps, ...variables } = resource.Properties.Environment?.Variables ?? {};
  return { bundle: join(dir, handlerFile), variables };
}

/** Messages as an SQS event source mapping hands them to a function. */
function toSqsEvent(messages: readonly Message[], queueArn: string, awsRegion: string): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body ?? '',
      attributes: message.Attributes as unknown as SQSEvent['Records'][number]['attributes'],
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            dataType: value.DataType!,
            ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion,
    })),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const packaged = Object.fromEntries(
  await Promise.all(
    (['ingest', 'processing', 'notifications'] as const).map(async (s) => [s, await packageService(s)]),
  ),
) as Record<'ingest' | 'processing' | 'notifications', string>;
console.log(
  `packaged the three services into ${work}; each function runs from its zip's bundle (the .mjs Lambda ` +
    `runs, not the TypeScript sources), in a process of its own, with its template's environment and log level INFO`,
);

const cloud: LocalCloud = await startBenchCloud({ logDir: join('.local-cloud', 'bench-logs', 'cpu') });
const results: Array<{ result: CpuResult; label: string }> = [];
const notes: string[] = [];
try {
  const sqs = new SQSClient({ ...clientConfig(cloud.endpoints.aws.sqs), useQueueUrlAsEndpoint: false });
  const queue = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '600' } })))
      .QueueUrl!;
  const benchInbound = await queue('herald-local-bench-cpu-inbound');
  const benchDelivery = await queue('herald-local-bench-cpu-delivery');
  const arnOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes!.QueueArn!;
  const inboundArn = await arnOf(cloud.outputs.processing.InboundQueueUrl!);
  const deliveryArn = await arnOf(cloud.outputs.notifications.DeliveryQueueUrl!);

  const signingKey = cloud.envelopeSigningKey;
  const { d: _private, ...publicJwk } = signingKey;
  /** What the local cloud gives serverless-offline as params, for a function's own environment. */
  const localParams = (variables: Record<string, string>): Record<string, string> => ({
    ...variables,
    ...cloud.awsEnv,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AUTH_ISSUER: cloud.endpoints.issuer,
    AUTH_JWKS_URL: cloud.endpoints.jwksUrl,
    ...('ENVELOPE_PUBLIC_KEYS' in variables && {
      ENVELOPE_PUBLIC_KEYS: JSON.stringify({ keys: [publicJwk] }),
    }),
    ...('WEBHOOK_ALLOWED_PORTS' in variables && { WEBHOOK_ALLOWED_PORTS: `443,${cloud.ports.webhooks}` }),
  });

  const data = {
    orderId: 'ord_42',
    customer: { id: 'cus_7', email: 'someone@example.com' },
    lines: [
      { sku: 'SKU-1', quantity: 2, price: 19.99 },
      { sku: 'SKU-2', quantity: 1, price: 5.5 },
    ],
    total: 45.48,
    currency: 'EUR',
  };
  const floorEnvelope = (tenant: string): UnsignedEnvelope => ({
    specversion: '1.0',
    id: `01FLOOR${Date.now()}`,
    source: '/herald/ingest',
    type: 'order.created',
    subject: 'orders/42',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    tenantid: tenant,
    correlationid: 'floor',
  });

  /** Runs one function's child and keeps its result. */
  async function measure(
    label: string,
    fn: { bundle: string; variables: Record<string, string> },
    inputs: CpuInputs,
    warm: number,
    extra: { env?: Record<string, string>; minIntervalMs?: number; tenant: string },
  ): Promise<CpuResult> {
    const name = label.replace(/[^a-z0-9]+/gi, '-');
    const job: CpuJob = {
      name,
      bundle: fn.bundle,
      env: { ...localParams(fn.variables), ...extra.env },
      inputs: join(work, `${name}.inputs.json`),
      warm,
      ...(extra.minIntervalMs === undefined ? {} : { minIntervalMs: extra.minIntervalMs }),
      signingKey,
      floorEnvelope: floorEnvelope(extra.tenant),
      out: join(work, `${name}.result.json`),
    };
    writeFileSync(job.inputs, JSON.stringify(inputs));
    const jobFile = join(work, `${name}.job.json`);
    writeFileSync(jobFile, JSON.stringify(job));
    const child = spawn(
      process.execPath,
      [
        // --profile DIR: a V8 CPU profile of each function's process (open it in Chrome's DevTools).
        ...(args.profile
          ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`, `--cpu-prof-name=${name}.cpuprofile`]
          : []),
        '--import',
        'tsx',
        join(repositoryRoot, 'scripts/bench/lib/cpu-child.ts'),
        jobFile,
      ],
      {
        cwd: repositoryRoot,
        stdio: 'inherit',
      },
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`${label}: its process exited with ${code}`);
    const result = JSON.parse(readFileSync(job.out, 'utf8')) as CpuResult;
    results.push({ result, label });
    const perEvent = result.cpuMicros / result.events / 1000;
    console.log(
      `${label}: ${result.invocations} invocations, ${result.events} events in ${(result.wallMs / 1000).toFixed(1)} s; ` +
        `${perEvent.toFixed(3)} ms CPU/event, floor ${(result.floorMicrosPerEvent / 1000).toFixed(3)} ms` +
        (result.failures > 0 ? `; ${result.failures} invocations failed, e.g. ${result.failureSample}` : ''),
    );
    return result;
  }

  /** Receives `count` messages from a queue (or what arrives within a minute). */
  async function receive(url: string, count: number): Promise<Message[]> {
    const messages: Message[] = [];
    const deadline = Date.now() + 60_000;
    while (messages.length < count && Date.now() < deadline) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      messages.push(...(got.Messages ?? []));
    }
    return messages.slice(0, count);
  }
  const batches = <T>(items: readonly T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

  // ingest acceptEvents: API Gateway v2 events carrying a real token.
  const tenant = 'cpu-bench';
  const token = await cloud.identity.issueToken({ tenant, scopes: ['events:write'] });
  const apiEvent = (body: string, i: number): APIGatewayProxyEventV2 => ({
    version: '2.0',
    routeKey: 'POST /v1/events',
    rawPath: '/v1/events',
    rawQueryString: '',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      host: 'api.herald.example',
      'x-forwarded-for': '203.0.113.7',
    },
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'bench',
      domainName: 'api.herald.example',
      domainPrefix: 'api',
      http: {
        method: 'POST',
        path: '/v1/events',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'bench',
      },
      requestId: `req-${i}`,
      routeKey: 'POST /v1/events',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  });
  const businessEvent = (i: number) => ({ type: 'order.created', subject: `orders/${i}`, data });
  const accept = await lambdaFunction(packaged.ingest, 'acceptEvents');
  const acceptEnv = { INBOUND_QUEUE_URL: benchInbound };
  const singles = Array.from({ length: SINGLES + 100 }, (_, i) =>
    apiEvent(JSON.stringify(businessEvent(i)), i),
  );
  await measure(
    'ingest acceptEvents, one event a request',
    accept,
    { events: singles, eventsPerInvocation: singles.map(() => 1) },
    100,
    { env: acceptEnv, tenant },
  );
  const hundreds = Array.from({ length: at(20) + 3 }, (_, b) =>
    apiEvent(
      JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => businessEvent(b * 100 + i)) }),
      b,
    ),
  );
  await measure(
    'ingest acceptEvents, batches of 100',
    accept,
    { events: hundreds, eventsPerInvocation: hundreds.map(() => 100) },
    3,
    { env: acceptEnv, tenant },
  );

  // processing consume: the envelopes acceptEvents queued, as the inbound mapping hands them over.
  const consumeBatches = at(150) + 20;
  const queued = await receive(benchInbound, consumeBatches * 10);
  const consumeEvents = batches(queued, 10).map((messages) => toSqsEvent(messages, inboundArn, REGION));
  await measure(
    'processing consume (batches of 10)',
    await lambdaFunction(packaged.processing, 'consume'),
    { events: consumeEvents, eventsPerInvocation: consumeEvents.map((e) => e.Records.length) },
    20,
    { tenant },
  );

  // processing publish: INSERT records of those envelopes, as the events table's stream gives them.
  const now = new Date();
  const records = queued.map((message, index) =>
    insertRecord(
      toStoredEvent(JSON.parse(message.Body!) as never, message.Body!, now, now, 7),
      String(1e20 + index),
    ),
  );
  const publishEvents = batches(records, 100).map((Records) => ({ Records }));
  await measure(
    'processing publish (stream batches of 100)',
    await lambdaFunction(packaged.processing, 'publish'),
    { events: publishEvents, eventsPerInvocation: publishEvents.map((e) => e.Records.length) },
    2,
    { tenant },
  );

  // notifications dispatch: events of a tenant with one webhook subscription, as the rule queues them.
  const subscriber = 'cpu-bench-sub';
  const subscriptionToken = await cloud.identity.issueToken({
    tenant: subscriber,
    scopes: ['subscriptions:write'],
  });
  const created = await fetch(`${cloud.endpoints.services.notifications}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${subscriptionToken}`, 'content-type': 'application/json' },
    // The stage's highest rate: deliver below is paced under it, so no task waits for the limiter.
    body: JSON.stringify({
      url: `${cloud.endpoints.webhooks}/cpu-bench`,
      eventTypes: ['order.*'],
      rateLimit: 500,
    }),
  });
  if (created.status !== 201) throw new Error(`subscription: ${created.status} ${await created.text()}`);
  const { secret } = (await created.json()) as { secret: string };
  await fetch(`${cloud.endpoints.webhooks}/_endpoints/cpu-bench`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret }),
  });
  const signer = createEnvelopeSigner(signingKey);
  const dispatchCount = (at(50) + 10) * 10;
  const busEvents = Array.from({ length: dispatchCount }, (_, i) => {
    const envelope = signer.sign({
      ...floorEnvelope(subscriber),
      id: `01CPU${Date.now()}${String(i).padStart(6, '0')}`,
      subject: `orders/${i}`,
      correlationid: `cpu-${i}`,
    });
    const message: Message = {
      MessageId: `cpu-dispatch-${i}`,
      ReceiptHandle: `cpu-dispatch-${i}`,
      Body: JSON.stringify({
        version: '0',
        id: `bus-${i}`,
        'detail-type': 'event.stored',
        source: 'herald.processing',
        account: ACCOUNT,
        time: envelope.time,
        region: REGION,
        resources: [],
        detail: envelope,
      }),
      Attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDAEVENTBRIDGE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
    };
    return message;
  });
  const dispatchEvents = batches(busEvents, 10).map((messages) =>
    toSqsEvent(messages, `arn:aws:sqs:${REGION}:${ACCOUNT}:herald-local-notifications-dispatch`, REGION),
  );
  await measure(
    'notifications dispatch (batches of 10, one subscription an event)',
    await lambdaFunction(packaged.notifications, 'dispatch'),
    { events: dispatchEvents, eventsPerInvocation: dispatchEvents.map((e) => e.Records.length) },
    10,
    { env: { DELIVERY_QUEUE_URL: benchDelivery }, tenant: subscriber },
  );

  // notifications deliver: the tasks dispatch queued, each webhook to the local receiver.
  await fetch(`${cloud.endpoints.webhooks}/_requests`, { method: 'DELETE' });
  const tasks = await receive(benchDelivery, dispatchCount);
  const deliverEvents = batches(tasks, 10).map((messages) => toSqsEvent(messages, deliveryArn, REGION));
  const deliver = await measure(
    'notifications deliver (batches of 10, one webhook a task)',
    await lambdaFunction(packaged.notifications, 'deliver'),
    { events: deliverEvents, eventsPerInvocation: deliverEvents.map((e) => e.Records.length) },
    10,
    // 10 tasks every 40 ms: 250 webhooks/s, half the subscription's rate limit.
    { minIntervalMs: 40, tenant: subscriber },
  );
  await sleep(500);
  const received = (await (
    await fetch(`${cloud.endpoints.webhooks}/_requests?endpoint=cpu-bench`)
  ).json()) as unknown[];
  notes.push(
    `deliver: ${tasks.length} tasks given (${deliver.events} measured), ${received.length} webhooks reached the receiver`,
  );
} catch (error) {
  // What was measured before the failure is still printed below.
  console.log(`stopped early: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cloud.stop();
  rmSync(work, { recursive: true, force: true });
}

console.log(
  '\nLambda CPU per event (user + system, this machine), beside parse + verify + sign of one envelope:',
);
for (const { result, label } of results) {
  const value = result.cpuMicros / result.events / 1000;
  const floor = result.floorMicrosPerEvent / 1000;
  console.log(
    `  ${label.padEnd(68)} ${value.toFixed(3).padStart(7)} ms   floor ${floor.toFixed(3)} ms   ${(value / floor).toFixed(1)}x`,
  );
  figure({
    figure: `Lambda CPU per event: ${label}`,
    value,
    unit: 'ms',
    baseline: { value: floor, label: 'parse + verify + sign' },
  });
}
for (const note of notes) console.log(note);
