// The IAM gateway with the real AWS SDK clients of every service Herald's functions call, signing with
// functions' own credentials, in front of a stand-in emulator that records what reaches it and answers
// each operation as the service would. The authorizer is the test's own: it denies what a test says.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DeleteMessageCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { REGION } from '../../src/aws';
import { parseFaults } from '../../src/faults/config';
import { FaultPlan } from '../../src/faults/plan';
import {
  credentialsEnv,
  functionAccessKeyId,
  functionClientConfig,
  FUNCTION_SECRET_ACCESS_KEY,
} from '../../src/iam/credentials';
import {
  parseIamMode,
  startIamGateway,
  startIamGateways,
  type Authorization,
  type Authorizer,
  type GatewayCall,
  type GatewayService,
  type IamGateway,
  type IamMode,
} from '../../src/iam/gateway';
import { GatewayLedger } from '../../src/iam/gateway-ledger';

const ACCEPT = 'herald-ingest-local-acceptEvents';
const CONSUME = 'herald-processing-local-consume';

// ---- the stand-in emulator: records each request, answers each operation with a minimal success

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
const received: Received[] = [];

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function answerFor(req: Received): { status: number; type: string; body: string } {
  const target = header(req.headers, 'x-amz-target') ?? '';
  const json = (version: string, body: object) => ({
    status: 200,
    type: `application/x-amz-json-${version}`,
    body: JSON.stringify(body),
  });
  if (target.startsWith('DynamoDB_')) return json('1.0', {});
  if (target.startsWith('AmazonSQS.'))
    return json(
      '1.0',
      target.endsWith('GetQueueAttributes') ? { Attributes: { VisibilityTimeout: '30' } } : {},
    );
  if (target.startsWith('AWSEvents.'))
    return json('1.1', { FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  if (target === 'TrentService.Encrypt')
    return json('1.1', { CiphertextBlob: Buffer.from('sealed').toString('base64'), KeyId: 'key' });
  if (target === 'TrentService.Decrypt')
    return json('1.1', { Plaintext: Buffer.from('open').toString('base64'), KeyId: 'key' });
  if (target.startsWith('secretsmanager.'))
    return json('1.1', {
      ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s-AbCdEf',
      Name: 's',
      SecretString: 'shh',
    });
  if (req.url.startsWith('/v2/email/outbound-emails'))
    return { status: 200, type: 'application/json', body: JSON.stringify({ MessageId: 'mail-1' }) };
  // S3: an object's bytes, or an empty success.
  if (req.method === 'GET') return { status: 200, type: 'text/plain', body: 'object bytes' };
  return { status: 200, type: 'application/xml', body: '' };
}

let emulator: Server;
let emulatorEndpoint: string;

beforeAll(async () => {
  emulator = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const got = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(got);
      const answer = answerFor(got);
      res.writeHead(answer.status, { 'content-type': answer.type, etag: '"etag"' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', resolve));
  const address = emulator.address();
  emulatorEndpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => emulator.close(resolve));
});

// ---- the test's authorizer: denies the operations in `deny`, allows the rest with one statement

function operationOf(service: GatewayService, call: GatewayCall): string {
  const target = header(call.headers, 'x-amz-target');
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  if (service === 'ses') return 'SendEmail';
  return { GET: 'GetObject', PUT: 'PutObject', HEAD: 'HeadObject' }[call.method] ?? call.method;
}

const ACTION_PREFIX: Record<GatewayService, string> = {
  sqs: 'sqs',
  sns: 'sns',
  dynamodb: 'dynamodb',
  events: 'events',
  kms: 'kms',
  s3: 's3',
  secretsmanager: 'secretsmanager',
  ses: 'ses',
  ssm: 'ssm',
};

class TestAuthorizer implements Authorizer {
  deny = new Set<string>();
  asked: { service: GatewayService; functionName: string; operation: string }[] = [];
  failWith: Error | undefined;

  authorize(service: GatewayService, caller: { functionName: string }, call: GatewayCall): Authorization {
    if (this.failWith) throw this.failWith;
    const operation = operationOf(service, call);
    this.asked.push({ service, functionName: caller.functionName, operation });
    const action = `${ACTION_PREFIX[service]}:${operation}`;
    const resource = `arn:aws:${service}:${REGION}:000000000000:thing`;
    if (this.deny.has(operation))
      return {
        operation,
        allowed: [],
        denied: {
          action,
          resource,
          message: `${caller.functionName} may not ${action} on ${resource}: no statement of its role allows it`,
        },
      };
    return {
      operation,
      allowed: [
        { action, resource, allowedBy: [{ policy: `${caller.functionName}Role`, index: 0, sid: 'Own' }] },
      ],
    };
  }
}

// ---- one gateway per service, sharing a ledger, as startIamGateways starts them

const SERVICES: GatewayService[] = ['sqs', 'dynamodb', 'events', 'kms', 's3', 'secretsmanager', 'ses'];
const authorizer = new TestAuthorizer();
let ledger: GatewayLedger;
let mode: IamMode = 'enforce';
const logs: string[] = [];
const gateways = {} as Record<GatewayService, IamGateway>;

beforeAll(async () => {
  ledger = new GatewayLedger();
  for (const service of SERVICES)
    gateways[service] = await startIamGateway({
      service,
      target: emulatorEndpoint,
      authorizer,
      mode: () => mode,
      ledger,
      log: (line) => logs.push(line),
    });
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((gateway) => gateway.stop()));
});

afterEach(() => {
  received.length = 0;
  logs.length = 0;
  authorizer.deny.clear();
  authorizer.asked.length = 0;
  authorizer.failWith = undefined;
  ledger.reset();
  mode = 'enforce';
});

const credentialsOf = (functionName: string) => ({
  accessKeyId: functionAccessKeyId(functionName),
  secretAccessKey: FUNCTION_SECRET_ACCESS_KEY,
});

const config = (service: GatewayService, functionName: string) => ({
  endpoint: gateways[service].endpoint,
  region: REGION,
  credentials: credentialsOf(functionName),
  maxAttempts: 1,
});

// Each service's client making one call, and what the SDK names AccessDenied in that service's protocol.
interface Case {
  service: GatewayService;
  operation: string;
  call(functionName: string): Promise<unknown>;
  errorName: string;
  status: number;
}

const CASES: Case[] = [
  {
    service: 'dynamodb',
    operation: 'PutItem',
    call: (fn) =>
      new DynamoDBClient(config('dynamodb', fn)).send(
        new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'tenant#1' } } }),
      ),
    errorName: 'AccessDeniedException',
    status: 400,
  },
  {
    service: 'sqs',
    operation: 'DeleteMessage',
    call: (fn) =>
      new SQSClient({ ...config('sqs', fn), useQueueUrlAsEndpoint: false }).send(
        new DeleteMessageCommand({
          QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/inbound',
          ReceiptHandle: 'receipt',
        }),
      ),
    errorName: 'AccessDenied',
    status: 403,
  },
  {
    service: 'events',
    operation: 'PutEvents',
    call: (fn) =>
      new EventBridgeClient(config('events', fn)).send(
        new PutEventsCommand({
          Entries: [{ EventBusName: 'bus', Source: 'herald.processing', DetailType: 't', Detail: '{}' }],
        }),
      ),
    errorName: 'AccessDeniedException',
    status: 400,
  },
  {
    service: 'kms',
    operation: 'Decrypt',
    call: (fn) =>
      new KMSClient(config('kms', fn)).send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from('sealed'),
          EncryptionContext: { purpose: 'webhook-secret' },
        }),
      ),
    errorName: 'AccessDeniedException',
    status: 400,
  },
  {
    service: 's3',
    operation: 'PutObject',
    call: (fn) =>
      new S3Client({ ...config('s3', fn), forcePathStyle: true }).send(
        new PutObjectCommand({ Bucket: 'uploads', Key: 'tenant/batch.ndjson', Body: '{"a":1}\n' }),
      ),
    errorName: 'AccessDenied',
    status: 403,
  },
  {
    service: 'secretsmanager',
    operation: 'GetSecretValue',
    call: (fn) =>
      new SecretsManagerClient(config('secretsmanager', fn)).send(
        new GetSecretValueCommand({ SecretId: 'herald/signing-key' }),
      ),
    errorName: 'AccessDeniedException',
    status: 400,
  },
  {
    service: 'ses',
    operation: 'SendEmail',
    call: (fn) =>
      new SESv2Client(config('ses', fn)).send(
        new SendEmailCommand({
          FromEmailAddress: 'herald@example.com',
          Destination: { ToAddresses: ['ops@example.com'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      ),
    errorName: 'AccessDeniedException',
    status: 403,
  },
];

describe.each(CASES)('$service', ({ service, operation, call, errorName, status }) => {
  test(`an allowed ${operation} reaches the emulator as the SDK sent it, attributed to its function`, async () => {
    await call(ACCEPT);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    // What the SDK signed arrives unchanged: the signature (over method, path, signed headers and the
    // body's hash) still matches, so the request is the same request.
    expect(got.headers.authorization).toContain(`Credential=${functionAccessKeyId(ACCEPT)}/`);
    expect(got.headers.host).toBe(new URL(gateways[service].endpoint).host);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(got.headers.authorization))![1]!.split(';');
    for (const name of signedHeaders) expect(got.headers[name]).toBeDefined();
    expect(authorizer.asked).toEqual([{ service, functionName: ACCEPT, operation }]);
    expect(ledger.denials()).toEqual([]);
  });

  test(`a denied ${operation} throws ${errorName} with the authorizer's message and never reaches the emulator`, async () => {
    authorizer.deny.add(operation);
    const error = (await call(ACCEPT).then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; message: string; $metadata: { httpStatusCode?: number } } | undefined;
    expect(error).toBeDefined();
    expect(error!.name).toBe(errorName);
    expect(error!.$metadata.httpStatusCode).toBe(status);
    expect(error!.message).toBe(
      `${ACCEPT} may not ${ACTION_PREFIX[service]}:${operation} on arn:aws:${service}:${REGION}:000000000000:thing: no statement of its role allows it`,
    );
    expect(received).toEqual([]);
    expect(ledger.denials()).toEqual([
      expect.objectContaining({ mode: 'enforce', service, functionName: ACCEPT, operation }),
    ]);
    expect(logs).toEqual([
      expect.stringMatching(
        new RegExp(`^IAM denied ${ACCEPT} ${ACTION_PREFIX[service]}:${operation} on arn:aws:${service}:`),
      ),
    ]);
  });
});

describe('bodies and answers pass unchanged', () => {
  test('the emulator gets the body byte for byte and the SDK gets the emulator’s answer', async () => {
    const body = Buffer.from('{"tenant":"é✓"}\n'.repeat(1000));
    await new S3Client({ ...config('s3', ACCEPT), forcePathStyle: true }).send(
      new PutObjectCommand({ Bucket: 'uploads', Key: 'k', Body: body }),
    );
    expect(received[0]!.method).toBe('PUT');
    expect(received[0]!.url.startsWith('/uploads/k')).toBe(true);
    expect(received[0]!.body.equals(body)).toBe(true);
    // The hash the SDK signed is the hash of what arrived.
    expect(received[0]!.headers['x-amz-content-sha256']).toBe(
      createHash('sha256').update(body).digest('hex'),
    );
    const got = await new S3Client({ ...config('s3', ACCEPT), forcePathStyle: true }).send(
      new GetObjectCommand({ Bucket: 'uploads', Key: 'k' }),
    );
    expect(await got.Body!.transformToString()).toBe('object bytes');
    const attributes = await new SQSClient({ ...config('sqs', ACCEPT), useQueueUrlAsEndpoint: false }).send(
      new GetQueueAttributesCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q' }),
    );
    expect(attributes.Attributes).toEqual({ VisibilityTimeout: '30' });
    expect(JSON.parse(received[2]!.body.toString())).toEqual({
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q',
    });
  });

  test('a denied HEAD is a 403 without a body, as S3 answers it', async () => {
    authorizer.deny.add('HeadObject');
    const error = (await new S3Client({ ...config('s3', ACCEPT), forcePathStyle: true })
      .send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'k' }))
      .catch((e: unknown) => e)) as { $metadata: { httpStatusCode?: number } };
    // The SDK has only the status to go by, in AWS as here.
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(received).toEqual([]);
  });
});

describe('the query protocol', () => {
  // SQS's query protocol (older SDKs and tools) and SES v1: form-encoded Action, answered in XML.
  const signedForm = async (service: GatewayService, form: string) =>
    fetch(gateways[service].endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: `AWS4-HMAC-SHA256 Credential=${functionAccessKeyId(ACCEPT)}/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: form,
    });

  test.each([
    ['sqs', 'Action=SendMessage&QueueUrl=q&MessageBody=m', 'http://queue.amazonaws.com/doc/2012-11-05/'],
    ['ses', 'Action=SendEmail&Source=a%40example.com', 'http://ses.amazonaws.com/doc/2010-12-01/'],
  ] as const)(
    '%s: a denied call is a 403 ErrorResponse with Code AccessDenied',
    async (service, form, namespace) => {
      // The test's authorizer names a call without a target by its method, and every SES call SendEmail.
      authorizer.deny.add('POST');
      authorizer.deny.add('SendEmail');
      const answer = await signedForm(service, form);
      expect(answer.status).toBe(403);
      const text = await answer.text();
      expect(text).toContain(
        `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>AccessDenied</Code>`,
      );
      expect(text).toContain(`<Message>${ACCEPT} may not `);
      expect(received).toEqual([]);
    },
  );
});

describe('modes', () => {
  test('report: a denied call is logged, kept and let through', async () => {
    mode = 'report';
    authorizer.deny.add('PutItem');
    await CASES[0]!.call(ACCEPT);
    expect(received).toHaveLength(1);
    expect(ledger.denials()).toEqual([
      expect.objectContaining({ mode: 'report', functionName: ACCEPT, action: 'dynamodb:PutItem' }),
    ]);
    expect(logs[0]).toMatch(
      /^IAM would deny \(HERALD_IAM=report, let through\) herald-ingest-local-acceptEvents dynamodb:PutItem/,
    );
  });

  test('off: nothing is asked, everything goes through', async () => {
    mode = 'off';
    authorizer.deny.add('PutItem');
    await CASES[0]!.call(ACCEPT);
    expect(received).toHaveLength(1);
    expect(authorizer.asked).toEqual([]);
    expect(ledger.denials()).toEqual([]);
  });

  test('HERALD_IAM: enforce by default, one of three modes', () => {
    expect(parseIamMode(undefined)).toBe('enforce');
    expect(parseIamMode('')).toBe('enforce');
    expect(parseIamMode('report')).toBe('report');
    expect(parseIamMode(' OFF ')).toBe('off');
    expect(() => parseIamMode('strict')).toThrow(
      'HERALD_IAM must be one of enforce, report, off; got "strict"',
    );
  });
});

describe('callers', () => {
  test('calls from two functions are attributed to each, and each one’s statements are counted', async () => {
    await CASES[0]!.call(ACCEPT);
    await CASES[0]!.call(CONSUME);
    await CASES[0]!.call(CONSUME);
    await CASES[1]!.call(CONSUME);
    expect(authorizer.asked.map((a) => [a.functionName, a.operation])).toEqual([
      [ACCEPT, 'PutItem'],
      [CONSUME, 'PutItem'],
      [CONSUME, 'PutItem'],
      [CONSUME, 'DeleteMessage'],
    ]);
    const usage = ledger.usage();
    expect(usage[ACCEPT]).toEqual([
      {
        statement: { policy: `${ACCEPT}Role`, index: 0, sid: 'Own' },
        uses: [
          { action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:thing', count: 1 },
        ],
      },
    ]);
    expect(usage[CONSUME]![0]!.uses).toEqual([
      { action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:thing', count: 2 },
      { action: 'sqs:DeleteMessage', resource: 'arn:aws:sqs:us-east-1:000000000000:thing', count: 1 },
    ]);
  });

  test('a probe (a test acting as a function) is judged the same, but neither its uses nor its denials count as the function’s', async () => {
    const probe = new DynamoDBClient({
      ...functionClientConfig(gateways.dynamodb.endpoint, CONSUME),
      maxAttempts: 1,
    });
    const put = () => probe.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'x' } } }));
    await put();
    expect(authorizer.asked).toEqual([{ service: 'dynamodb', functionName: CONSUME, operation: 'PutItem' }]);
    expect(ledger.usage()[CONSUME]).toBeUndefined();

    authorizer.deny.add('PutItem');
    await expect(put()).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ledger.denials()).toEqual([
      expect.objectContaining({ functionName: CONSUME, action: 'dynamodb:PutItem', probe: true }),
    ]);
    expect(logs).toEqual([expect.stringMatching(/^IAM denied \(a probe\) herald-processing-local-consume /)]);

    // The same call from the function itself is its own: used, and a denial without the mark.
    ledger.reset();
    await expect(CASES[0]!.call(CONSUME)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ledger.denials()).toEqual([expect.not.objectContaining({ probe: true })]);
  });

  test('a key that is no function’s is forwarded unchecked, counted, and logged once', async () => {
    const client = new DynamoDBClient({
      endpoint: gateways.dynamodb.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    authorizer.deny.add('GetItem');
    await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: '1' } } }));
    await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: '2' } } }));
    expect(received).toHaveLength(2);
    expect(authorizer.asked).toEqual([]);
    expect(ledger.unattributedCalls()).toEqual({ local: 2 });
    expect(logs).toEqual([
      'IAM gateway (dynamodb): calls signed with "local" are no function\'s: forwarded unchecked',
    ]);
  });

  test('a presigned URL acts as the function that signed it', async () => {
    const s3 = new S3Client({ ...config('s3', ACCEPT), forcePathStyle: true });
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'uploads', Key: 'bulk/1' }), {
      expiresIn: 60,
    });
    expect(url).toContain('X-Amz-Credential=');
    const allowed = await fetch(url, { method: 'PUT', body: 'line\n' });
    expect(allowed.status).toBe(200);
    expect(received[0]!.body.toString()).toBe('line\n');
    authorizer.deny.add('PutObject');
    const denied = await fetch(url, { method: 'PUT', body: 'line\n' });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('<Code>AccessDenied</Code>');
    expect(authorizer.asked.map((a) => a.functionName)).toEqual([ACCEPT, ACCEPT]);
  });

  test('an authorizer that fails answers 500 in enforce (never a silent pass) and lets through in report', async () => {
    authorizer.failWith = new Error('no role for this function');
    const error = (await CASES[0]!.call(ACCEPT).catch((e: unknown) => e)) as {
      $metadata: { httpStatusCode?: number };
      message: string;
    };
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.message).toContain('no role for this function');
    expect(received).toEqual([]);
    mode = 'report';
    await CASES[0]!.call(ACCEPT);
    expect(received).toHaveLength(1);
  });

  test('a call the authorizer does not interpret is forwarded and counted by kind', async () => {
    const undecided: Authorizer = { authorize: () => undefined };
    const own = new GatewayLedger();
    const lines: string[] = [];
    const gateway = await startIamGateway({
      service: 'dynamodb',
      target: emulatorEndpoint,
      authorizer: undecided,
      mode: () => 'enforce',
      ledger: own,
      log: (line) => lines.push(line),
    });
    try {
      const client = new DynamoDBClient({ ...config('dynamodb', ACCEPT), endpoint: gateway.endpoint });
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: '1' } } }));
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: '1' } } }));
      expect(received).toHaveLength(2);
      expect(own.uninterpretedCalls()).toEqual({ [`${ACCEPT} dynamodb GetItem`]: 2 });
      expect(lines).toEqual([
        `IAM gateway (dynamodb): ${ACCEPT} dynamodb GetItem: not interpreted, forwarded unchecked`,
      ]);
    } finally {
      await gateway.stop();
    }
  });
});

describe('faults after authorization', () => {
  test('an allowed call may be faulted; a denied one is answered AccessDenied, never faulted', async () => {
    const plan = new FaultPlan(parseFaults('aws=1,sticky=1,seed=7')!);
    const own = new GatewayLedger();
    const gateway = await startIamGateway({
      service: 'kms',
      target: emulatorEndpoint,
      authorizer,
      mode: () => 'enforce',
      ledger: own,
      faults: plan,
      log: () => undefined,
    });
    try {
      const kms = new KMSClient({ ...config('kms', ACCEPT), endpoint: gateway.endpoint });
      const faulted = (await kms
        .send(new EncryptCommand({ KeyId: 'alias/k', Plaintext: Buffer.from('x') }))
        .catch((e: unknown) => e)) as { name: string };
      expect(['ThrottlingException', 'KMSInternalException']).toContain(faulted.name);
      authorizer.deny.add('Decrypt');
      const denied = (await kms
        .send(new DecryptCommand({ CiphertextBlob: Buffer.from('sealed') }))
        .catch((e: unknown) => e)) as { name: string };
      expect(denied.name).toBe('AccessDeniedException');
      const counts = plan.ledger.snapshot();
      expect(JSON.stringify(counts)).toContain('Encrypt');
      expect(JSON.stringify(counts)).not.toContain('Decrypt');
    } finally {
      await gateway.stop();
    }
  });
});

describe('startIamGateways', () => {
  test('points each function at a gateway per service, with its own credentials; the rest stays', async () => {
    const awsEnv = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: emulatorEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: emulatorEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: emulatorEndpoint,
      AWS_ENDPOINT_URL_SESV2: emulatorEndpoint,
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:1',
      S3_FORCE_PATH_STYLE: 'true',
    };
    const lines: string[] = [];
    const started = await startIamGateways(awsEnv, authorizer, 'enforce', (line) => lines.push(line));
    try {
      expect(Object.keys(started.endpoints).sort()).toEqual(['dynamodb', 'ses', 'sqs']);
      const env = started.envFor(CONSUME);
      expect(env).toEqual({
        ...awsEnv,
        ...credentialsEnv(CONSUME),
        AWS_ENDPOINT_URL_SQS: started.endpoints.sqs,
        AWS_ENDPOINT_URL_DYNAMODB: started.endpoints.dynamodb,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: started.endpoints.dynamodb,
        AWS_ENDPOINT_URL_SESV2: started.endpoints.ses,
      });
      expect(env.AWS_ACCESS_KEY_ID).toBe('LOCALFNherald0processing0local0consume');
      expect(started.offlineEnv).toMatchObject({
        AWS_ENDPOINT_URL_SQS: started.endpoints.sqs,
        HERALD_FUNCTION_CREDENTIALS: JSON.stringify({ secretAccessKey: FUNCTION_SECRET_ACCESS_KEY }),
      });
      expect(lines).toEqual(["IAM: each function's role enforced (HERALD_IAM=enforce)"]);

      // A function's client, configured from its environment as the SDK would be, is denied.
      authorizer.deny.add('PutItem');
      const client = new DynamoDBClient({
        endpoint: env.AWS_ENDPOINT_URL_DYNAMODB!,
        region: REGION,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
        maxAttempts: 1,
      });
      await expect(
        client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'x' } } })),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      expect(started.denials()).toEqual([
        expect.objectContaining({ functionName: CONSUME, action: 'dynamodb:PutItem' }),
      ]);
      started.setMode('report');
      await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'x' } } }));
      expect(started.denials().map((d) => d.mode)).toEqual(['enforce', 'report']);
    } finally {
      await started.stop();
    }
  });

  test('judges what each event source’s poller does with its function’s role: counted as used, or why AWS would refuse the mapping', async () => {
    const started = await startIamGateways({ AWS_REGION: REGION }, authorizer, 'enforce', () => {});
    const mapping = {
      kind: 'sqs' as const,
      functionName: CONSUME,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:inbound',
      queueUrl: 'http://sqs.local/000000000000/inbound',
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: true,
      enabled: true,
    };
    try {
      expect(await started.judgePollers([mapping])).toEqual([]);
      expect(authorizer.asked.map((a) => a.operation)).toEqual([
        'ReceiveMessage',
        'DeleteMessage',
        'GetQueueAttributes',
      ]);
      expect(started.usage()[CONSUME]![0]!.uses.map((use) => use.action)).toEqual([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ]);

      authorizer.deny.add('DeleteMessage');
      const refusals = await started.judgePollers([mapping]);
      expect(refusals).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${CONSUME}'s event source mapping: its poller DeleteMessage needs sqs:DeleteMessage on `,
          ),
        ),
      ]);
      expect(started.denials()).toEqual([
        expect.objectContaining({ functionName: CONSUME, action: 'sqs:DeleteMessage', mode: 'enforce' }),
      ]);

      started.setMode('off');
      expect(await started.judgePollers([mapping])).toEqual([]);
    } finally {
      await started.stop();
    }
  });
});
