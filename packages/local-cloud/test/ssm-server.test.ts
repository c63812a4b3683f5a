// The local SSM Parameter Store through the real AWS SDK: each behaviour the API Reference documents for the
// operations it serves (PutParameter, GetParameter, GetParameters, GetParametersByPath, DeleteParameter), with
// the named errors, and SecureString values encrypted through the local KMS.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { ACCOUNT_ID, clientConfig, REGION } from '../src/aws';
import { Keyring } from '../src/kms/keyring';
import { startSsm, type SsmServer } from '../src/ssm';

let server: SsmServer;
let ssm: SSMClient;
const keyring = new Keyring(ACCOUNT_ID, REGION);
const CUSTOMER_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

beforeAll(async () => {
  keyring.addKey(CUSTOMER_KEY, 'ingest (test)');
  keyring.addAlias('alias/herald-test-ingest', CUSTOMER_KEY);
  server = await startSsm({ port: 'auto', keyring });
  ssm = new SSMClient(clientConfig(server.endpoint));
}, 30_000);

afterAll(async () => {
  ssm?.destroy();
  await server?.stop();
}, 30_000);

// Each test its own hierarchy, so they do not see each other's parameters.
let counter = 0;
const root = () => `/t${++counter}`;
const put = (input: PutParameterCommandInput) => ssm.send(new PutParameterCommand(input));
const get = (Name: string, WithDecryption = false) =>
  ssm.send(new GetParameterCommand({ Name, WithDecryption })).then((out) => out.Parameter!);
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error.name,
  );

describe('PutParameter and GetParameter', () => {
  test('a String is read back by name and by ARN, at version 1, in the Standard tier', async () => {
    const name = `${root()}/processing/apiUrl`;
    expect(await put({ Name: name, Value: 'https://a.example', Type: 'String' })).toMatchObject({
      Version: 1,
      Tier: 'Standard',
    });
    const arn = `arn:aws:ssm:us-east-1:000000000000:parameter${name}`;
    for (const reference of [name, arn]) {
      const parameter = await get(reference);
      expect(parameter).toMatchObject({
        Name: name,
        Type: 'String',
        Value: 'https://a.example',
        Version: 1,
        ARN: arn,
        DataType: 'text',
      });
      expect(parameter.LastModifiedDate).toBeInstanceOf(Date);
    }
  });

  test('a name without a hierarchy has `parameter/` and the name in its ARN', async () => {
    await put({ Name: `plain${++counter}`, Value: 'v', Type: 'String' });
    const parameter = await get(`plain${counter}`);
    expect(parameter.ARN).toBe(`arn:aws:ssm:us-east-1:000000000000:parameter/plain${counter}`);
    expect((await get(parameter.ARN!)).Value).toBe('v');
  });

  test('a StringList keeps its comma-separated value', async () => {
    const name = `${root()}/list`;
    await put({ Name: name, Value: 'a,b,c', Type: 'StringList' });
    expect(await get(name)).toMatchObject({ Type: 'StringList', Value: 'a,b,c' });
  });

  test('an existing parameter without Overwrite is ParameterAlreadyExists, and keeps its value', async () => {
    const name = `${root()}/once`;
    await put({ Name: name, Value: 'first', Type: 'String' });
    expect(await errorOf(put({ Name: name, Value: 'second', Type: 'String' }))).toBe(
      'ParameterAlreadyExists',
    );
    expect(await get(name)).toMatchObject({ Value: 'first', Version: 1 });
  });

  test('Overwrite makes a new version each time; `name:version` reads an older one', async () => {
    const name = `${root()}/versions`;
    await put({ Name: name, Value: 'v1', Type: 'String' });
    expect((await put({ Name: name, Value: 'v2', Overwrite: true })).Version).toBe(2);
    expect((await put({ Name: name, Value: 'v3', Type: 'String', Overwrite: true })).Version).toBe(3);
    expect(await get(name)).toMatchObject({ Value: 'v3', Version: 3 });
    expect(await get(`${name}:1`)).toMatchObject({ Value: 'v1', Version: 1, Selector: ':1' });
    expect(await errorOf(get(`${name}:9`))).toBe('ParameterVersionNotFound');
  });

  test('overwriting with another type is HierarchyTypeMismatchException', async () => {
    const name = `${root()}/typed`;
    await put({ Name: name, Value: 'v', Type: 'String' });
    expect(await errorOf(put({ Name: name, Value: 'v', Type: 'SecureString', Overwrite: true }))).toBe(
      'HierarchyTypeMismatchException',
    );
  });

  test('a new parameter needs a type; tags cannot come with Overwrite', async () => {
    const name = `${root()}/untyped`;
    expect(await errorOf(put({ Name: name, Value: 'v' }))).toBe('ValidationException');
    await put({ Name: name, Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'ingest' }] });
    expect(
      await errorOf(put({ Name: name, Value: 'w', Overwrite: true, Tags: [{ Key: 'team', Value: 'x' }] })),
    ).toBe('ValidationException');
  });

  test('names: a hierarchy starts with /, no aws or ssm prefix, at most 15 levels', async () => {
    expect(await errorOf(put({ Name: 'herald/no-slash', Value: 'v', Type: 'String' }))).toBe(
      'ValidationException',
    );
    expect(await errorOf(put({ Name: '/aws/reserved', Value: 'v', Type: 'String' }))).toBe(
      'ValidationException',
    );
    expect(await errorOf(put({ Name: 'SSMthing', Value: 'v', Type: 'String' }))).toBe('ValidationException');
    expect(await errorOf(put({ Name: '/has space/x', Value: 'v', Type: 'String' }))).toBe(
      'ValidationException',
    );
    const deep = (levels: number) => Array.from({ length: levels }, (_, i) => `/l${i}`).join('');
    await put({ Name: `${deep(15)}`, Value: 'v', Type: 'String' });
    expect(await errorOf(put({ Name: `${deep(16)}`, Value: 'v', Type: 'String' }))).toBe(
      'HierarchyLevelLimitExceededException',
    );
  });

  test('a value must match AllowedPattern; the Standard tier holds 4 KB, the Advanced 8 KB', async () => {
    const name = `${root()}/pattern`;
    expect(await errorOf(put({ Name: name, Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }))).toBe(
      'ParameterPatternMismatchException',
    );
    await put({ Name: name, Value: '42', Type: 'String', AllowedPattern: '^\\d+$' });
    // Overwrites are held to the pattern the parameter has.
    expect(await errorOf(put({ Name: name, Value: 'x', Overwrite: true }))).toBe(
      'ParameterPatternMismatchException',
    );
    const big = 'x'.repeat(5000);
    expect(await errorOf(put({ Name: `${name}-big`, Value: big, Type: 'String' }))).toBe(
      'ValidationException',
    );
    expect(await put({ Name: `${name}-big`, Value: big, Type: 'String', Tier: 'Advanced' })).toMatchObject({
      Tier: 'Advanced',
    });
  });

  test('an unknown parameter is ParameterNotFound', async () => {
    expect(await errorOf(get(`${root()}/missing`))).toBe('ParameterNotFound');
  });
});

describe('SecureString', () => {
  test('is encrypted under alias/aws/ssm: ciphertext without WithDecryption, the value with it', async () => {
    const name = `${root()}/ingest/pendingSigningKey`;
    await put({ Name: name, Value: '{"d":"private"}', Type: 'SecureString' });
    const encrypted = await get(name);
    expect(encrypted.Type).toBe('SecureString');
    expect(encrypted.Value).not.toContain('private');
    // A KMS ciphertext of the default key, with the parameter's ARN as its encryption context.
    const { plaintext } = keyring.decrypt(Buffer.from(encrypted.Value!, 'base64'), {
      PARAMETER_ARN: encrypted.ARN!,
    });
    expect(plaintext.toString()).toBe('{"d":"private"}');
    expect(keyring.find('alias/aws/ssm')).toBeDefined();
    expect((await get(name, true)).Value).toBe('{"d":"private"}');
  });

  test('under a customer managed key named by alias; an unknown key is InvalidKeyId', async () => {
    const name = `${root()}/secure`;
    await put({ Name: name, Value: 's3cr3t', Type: 'SecureString', KeyId: 'alias/herald-test-ingest' });
    const { Value } = await get(name);
    expect(
      Buffer.from(Value!, 'base64')
        .subarray(2, 2 + CUSTOMER_KEY.length)
        .toString(),
    ).toBe(CUSTOMER_KEY);
    expect((await get(name, true)).Value).toBe('s3cr3t');
    expect(
      await errorOf(put({ Name: `${name}2`, Value: 'v', Type: 'SecureString', KeyId: 'alias/nope' })),
    ).toBe('InvalidKeyId');
    // KeyId belongs to SecureString parameters only.
    expect(
      await errorOf(put({ Name: `${name}3`, Value: 'v', Type: 'String', KeyId: 'alias/herald-test-ingest' })),
    ).toBe('ValidationException');
  });
});

describe('GetParameters', () => {
  test('returns what it finds and lists the rest as InvalidParameters', async () => {
    const base = root();
    await put({ Name: `${base}/a`, Value: 'A', Type: 'String' });
    await put({ Name: `${base}/s`, Value: 'S', Type: 'SecureString' });
    const out = await ssm.send(
      new GetParametersCommand({ Names: [`${base}/a`, `${base}/nope`, `${base}/s`], WithDecryption: true }),
    );
    expect(out.Parameters!.map((p) => [p.Name, p.Value])).toEqual([
      [`${base}/a`, 'A'],
      [`${base}/s`, 'S'],
    ]);
    expect(out.InvalidParameters).toEqual([`${base}/nope`]);
  });

  test('takes at most 10 names', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `/x/${i}`);
    expect(await errorOf(ssm.send(new GetParametersCommand({ Names: names })))).toBe('ValidationException');
  });
});

describe('GetParametersByPath', () => {
  test('one level below the path, or every level with Recursive; never the path itself', async () => {
    const base = root();
    for (const name of [base, `${base}/a`, `${base}/b`, `${base}/b/c`, `${base}/b/c/d`, `${base}x/other`])
      await put({ Name: name, Value: name, Type: 'String' });
    const names = async (Path: string, Recursive: boolean) =>
      (await ssm.send(new GetParametersByPathCommand({ Path, Recursive }))).Parameters!.map((p) => p.Name);
    expect(await names(base, false)).toEqual([`${base}/a`, `${base}/b`]);
    expect(await names(`${base}/`, false)).toEqual([`${base}/a`, `${base}/b`]);
    expect(await names(base, true)).toEqual([`${base}/a`, `${base}/b`, `${base}/b/c`, `${base}/b/c/d`]);
  });

  test('pages with MaxResults (at most 10) and NextToken', async () => {
    const base = root();
    for (let i = 0; i < 23; i++)
      await put({ Name: `${base}/p${String(i).padStart(2, '0')}`, Value: `${i}`, Type: 'String' });
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await ssm.send(new GetParametersByPathCommand({ Path: base, NextToken }));
      seen.push(...out.Parameters!.map((p) => p.Value!));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `${i}`));
    const three = await ssm.send(new GetParametersByPathCommand({ Path: base, MaxResults: 3 }));
    expect(three.Parameters).toHaveLength(3);
    expect(three.NextToken).toEqual(expect.any(String));
    expect(await errorOf(ssm.send(new GetParametersByPathCommand({ Path: base, MaxResults: 11 })))).toBe(
      'ValidationException',
    );
    expect(await errorOf(ssm.send(new GetParametersByPathCommand({ Path: base, NextToken: 'bogus' })))).toBe(
      'InvalidNextToken',
    );
  });

  test('decrypts SecureStrings with WithDecryption, and filters by Type', async () => {
    const base = root();
    await put({ Name: `${base}/plain`, Value: 'p', Type: 'String' });
    await put({ Name: `${base}/secret`, Value: 's', Type: 'SecureString' });
    const out = await ssm.send(
      new GetParametersByPathCommand({
        Path: base,
        WithDecryption: true,
        ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }],
      }),
    );
    expect(out.Parameters!.map((p) => [p.Name, p.Value])).toEqual([[`${base}/secret`, 's']]);
    expect(
      await errorOf(
        ssm.send(
          new GetParametersByPathCommand({ Path: base, ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }),
        ),
      ),
    ).toBe('InvalidFilterKey');
  });

  test('a path must start with /', async () => {
    expect(await errorOf(ssm.send(new GetParametersByPathCommand({ Path: 'herald' })))).toBe(
      'ValidationException',
    );
  });
});

describe('DeleteParameter', () => {
  test('removes the parameter and its versions; deleting again is ParameterNotFound', async () => {
    const name = `${root()}/gone`;
    await put({ Name: name, Value: 'v1', Type: 'String' });
    await put({ Name: name, Value: 'v2', Overwrite: true });
    await ssm.send(new DeleteParameterCommand({ Name: name }));
    expect(await errorOf(get(name))).toBe('ParameterNotFound');
    expect(await errorOf(ssm.send(new DeleteParameterCommand({ Name: name })))).toBe('ParameterNotFound');
    // Created again, it starts at version 1.
    expect((await put({ Name: name, Value: 'again', Type: 'String' })).Version).toBe(1);
  });

  test('DeleteParameters lists what it deleted and what it did not find', async () => {
    const base = root();
    await put({ Name: `${base}/a`, Value: 'v', Type: 'String' });
    const out = await ssm.send(new DeleteParametersCommand({ Names: [`${base}/a`, `${base}/b`] }));
    expect(out).toMatchObject({ DeletedParameters: [`${base}/a`], InvalidParameters: [`${base}/b`] });
  });
});

describe('the protocol', () => {
  test('an operation the emulator does not serve is refused by name', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.SendCommand', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
