/**
 * The bootstrap's plan (scripts/lib/bootstrap.ts) against in-memory SSM and Secrets Manager: a new
 * stage's runs before and after ingest's first deploy, a run with nothing left to do, and the states
 * it refuses to guess about. The stage file's check is the serverless plugin's (stage-settings.test.ts);
 * here, only that the sample passes it and a gap is named.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { generateSigningKeyPair } from '@herald/shared/signing';
import { bootstrap, names, PUBLISHED_BY_DEPLOYS, type BootstrapPorts } from '../lib/bootstrap';
import { checkStageFile } from '../lib/stage-file';

const STAGE = 'qa';
const n = names(STAGE);

/** SSM and Secrets Manager in memory, with a record of every write. */
function memoryAws(
  initial: { parameters?: Record<string, string>; secrets?: Record<string, string | null> } = {},
) {
  const parameters = new Map(Object.entries(initial.parameters ?? {}));
  const types = new Map<string, string>();
  const secrets = new Map(Object.entries(initial.secrets ?? {}));
  const writes: string[] = [];
  const pair = generateSigningKeyPair('ingest-qa-new');
  const ports: BootstrapPorts = {
    getParameter: async (name) => parameters.get(name),
    putParameter: async (name, value, type) => {
      parameters.set(name, value);
      types.set(name, type);
      writes.push(`put ${name}`);
    },
    deleteParameter: async (name) => {
      parameters.delete(name);
      writes.push(`delete ${name}`);
    },
    getSecret: async (name) => {
      if (!secrets.has(name)) return { exists: false };
      const value = secrets.get(name);
      return value === null ? { exists: true } : { exists: true, value };
    },
    putSecretValue: async (name, value) => {
      secrets.set(name, value);
      writes.push(`secret ${name}`);
    },
    newKeyPair: () => pair,
  };
  return { ports, parameters, types, secrets, writes, pair };
}

/** What every service publishes when it deploys. */
const deployed = (...services: string[]) =>
  Object.fromEntries(
    services.flatMap((service) =>
      PUBLISHED_BY_DEPLOYS[service]!.map((name) => [`/herald/${STAGE}/${service}/${name}`, 'x']),
    ),
  );

describe('a new stage', () => {
  test('before any deploy: a pair, its public half published, its private half pending until ingest is deployed', async () => {
    const aws = memoryAws();
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-new' });
    expect(JSON.parse(aws.parameters.get(n.publicKeys)!)).toEqual({ keys: [aws.pair.publicJwk] });
    expect(aws.types.get(n.publicKeys)).toBe('String');
    expect(JSON.parse(aws.parameters.get(n.pendingKey)!)).toEqual(aws.pair.privateJwk);
    expect(aws.types.get(n.pendingKey)).toBe('SecureString');
    expect(report.done).toHaveLength(2);
    expect(report.missing).toEqual([
      expect.stringMatching(
        /^The private key ingest-qa-new waits in \/herald\/qa\/ingest\/pendingSigningKey: deploy ingest to stage 'qa'/,
      ),
      expect.stringMatching(
        /^processing has not published \/herald\/qa\/processing\/inboundQueueUrl, .*deploy it to stage 'qa' \(first: the others read these\)$/,
      ),
      expect.stringMatching(/^ingest has not published \/herald\/qa\/ingest\/apiUrl: deploy it/),
      expect.stringMatching(/^notifications has not published/),
    ]);
  });

  test('again before ingest is deployed: nothing changes, the same key waits', async () => {
    const aws = memoryAws();
    await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-new' });
    const writes = aws.writes.length;
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-other' });
    expect(aws.writes).toHaveLength(writes);
    expect(report.done).toEqual([]);
    expect(report.missing[0]).toMatch(/waits in/);
  });

  test('after ingest’s first deploy (its secret empty): the private key moves into the secret, the pending one goes', async () => {
    const aws = memoryAws();
    await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-new' });
    aws.secrets.set(n.secret, null); // ingest's stack made the secret, without a value
    for (const [name, value] of Object.entries(deployed('processing', 'ingest', 'notifications')))
      aws.parameters.set(name, value);
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-new' });
    expect(JSON.parse(aws.secrets.get(n.secret)!)).toEqual(aws.pair.privateJwk);
    expect(aws.parameters.has(n.pendingKey)).toBe(false);
    expect(report.missing).toEqual([]);
    expect(report.done).toEqual([
      expect.stringMatching(/^private key ingest-qa-new moved from .* into the secret/),
    ]);
  });

  test('a stage whose ingest was deployed before the bootstrap: both halves at once, no pending key', async () => {
    const aws = memoryAws({ secrets: { [n.secret]: null } });
    await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-new' });
    expect(JSON.parse(aws.secrets.get(n.secret)!)).toEqual(aws.pair.privateJwk);
    expect(aws.parameters.has(n.pendingKey)).toBe(false);
    expect(aws.parameters.has(n.publicKeys)).toBe(true);
  });
});

describe('a prepared stage', () => {
  const stored = generateSigningKeyPair('ingest-qa-1');
  const ready = () =>
    memoryAws({
      parameters: {
        [n.publicKeys]: JSON.stringify({ keys: [stored.publicJwk] }),
        ...deployed('processing', 'ingest', 'notifications'),
      },
      secrets: { [n.secret]: JSON.stringify(stored.privateJwk) },
    });

  test('nothing to do, nothing missing, nothing written', async () => {
    const aws = ready();
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-2' });
    expect(aws.writes).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.ok).toEqual([
      `signing key ingest-qa-1: private in ${n.secret}, public in ${n.publicKeys}`,
      expect.stringMatching(/^processing is deployed/),
      expect.stringMatching(/^ingest is deployed/),
      expect.stringMatching(/^notifications is deployed/),
    ]);
  });

  test('the public keys lost: published again from the stored private key', async () => {
    const aws = ready();
    aws.parameters.delete(n.publicKeys);
    await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-2' });
    expect(JSON.parse(aws.parameters.get(n.publicKeys)!)).toEqual({ keys: [stored.publicJwk] });
  });

  test('a stored key the public keys do not list is named, not overwritten', async () => {
    const aws = ready();
    aws.parameters.set(n.publicKeys, JSON.stringify({ keys: [generateSigningKeyPair('other').publicJwk] }));
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-2' });
    expect(aws.writes).toEqual([]);
    expect(report.missing).toEqual([
      expect.stringMatching(/signs with key ingest-qa-1, which is not among the public keys/),
    ]);
  });

  test('public keys without any private half: no new pair behind the deployed services’ backs', async () => {
    const aws = memoryAws({ parameters: { [n.publicKeys]: JSON.stringify({ keys: [stored.publicJwk] }) } });
    const report = await bootstrap(STAGE, aws.ports, { kid: 'ingest-qa-2' });
    expect(aws.writes).toEqual([]);
    expect(report.missing[0]).toMatch(
      /no private key is stored .* or pending .*: its private half is not here/,
    );
  });
});

describe('the stage file', () => {
  const root = join(import.meta.dirname, '..', '..');

  test('the sample prod stage is complete', async () => {
    expect(await checkStageFile(root, 'prod')).toEqual([]);
  });

  test('a stage without a file, and a gap in one, are named', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'herald-stage-file-'));
    try {
      await cp(join(root, 'services'), join(copy, 'services'), {
        recursive: true,
        filter: (path) => !/node_modules|\.serverless|\.esbuild|dist/.test(path),
      });
      expect(await checkStageFile(copy, 'qa')).toEqual([
        "No settings for stage 'qa': create stages/qa.yml (stages/prod.yml is a sample; stages/README.md lists every setting)",
      ]);
      await cp(join(root, 'stages'), join(copy, 'stages'), { recursive: true });
      await writeFile(
        join(copy, 'stages', 'qa.yml'),
        'authJwksUrl: https://auth.example.com/jwks\nconsole: {}\n',
      );
      expect(await checkStageFile(copy, 'qa')).toEqual(
        expect.arrayContaining([
          "Missing setting 'authIssuer' for stage 'qa': set it in stages/qa.yml",
          "Missing setting 'emailFrom' for stage 'qa': set it in stages/qa.yml",
          "Missing setting 'certificateArn' for stage 'qa': set it in stages/qa.yml",
        ]),
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
