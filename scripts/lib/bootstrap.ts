/**
 * What `npm run bootstrap -- --stage <stage>` does to a stage, over ports (scripts/bootstrap.ts has
 * their AWS adapters; the tests, in-memory ones). Run it as often as you like: each run does only
 * what is still missing, and says what it did and what it cannot do yet.
 *
 * The envelope-signing key pair. Processing and notifications verify envelopes with the public keys
 * (SSM parameter /herald/<stage>/ingest/publicKeys, read when they deploy); ingest signs with the
 * private key in its secret herald/<stage>/ingest/envelope-signing-key, which ingest's stack creates
 * (empty, encrypted with ingest's key). Processing deploys first and ingest last, so a new stage's
 * first run finds no secret yet: the private key waits, encrypted, in the SSM SecureString parameter
 * /herald/<stage>/ingest/pendingSigningKey, and the run after ingest's first deploy moves it into the
 * secret and deletes it.
 *
 * Then it checks what it can see: each published value (/herald/<stage>/<owner>/<name>) that tells
 * whether its owner was deployed. The stage file is checked by the caller (stage-settings.ts).
 */
import {
  generateSigningKeyPair,
  parsePrivateKey,
  parsePublicKeys,
  type Ed25519PrivateJwk,
} from '@herald/shared/signing';

export interface BootstrapPorts {
  /** An SSM parameter's value (decrypted), or undefined when there is none. */
  getParameter(name: string): Promise<string | undefined>;
  /** Creates an SSM parameter, or overwrites it. */
  putParameter(name: string, value: string, type: 'String' | 'SecureString'): Promise<void>;
  deleteParameter(name: string): Promise<void>;
  /** A secret: not there (its stack is not deployed), there without a value, or its value. */
  getSecret(name: string): Promise<{ exists: false } | { exists: true; value?: string }>;
  putSecretValue(name: string, value: string): Promise<void>;
  /** A new key pair (generateSigningKeyPair; tests give a fixed one). */
  newKeyPair(kid: string): { privateJwk: Ed25519PrivateJwk };
}

export const names = (stage: string) => ({
  publicKeys: `/herald/${stage}/ingest/publicKeys`,
  pendingKey: `/herald/${stage}/ingest/pendingSigningKey`,
  secret: `herald/${stage}/ingest/envelope-signing-key`,
});

/**
 * What each service publishes when it deploys (its serverless.yml's AWS::SSM::Parameter resources),
 * which the others read: one missing means that service was never deployed to the stage.
 */
export const PUBLISHED_BY_DEPLOYS: Record<string, readonly string[]> = {
  processing: ['inboundQueueUrl', 'inboundQueueArn', 'keyArn', 'eventBusName', 'eventBusArn', 'apiUrl'],
  ingest: ['apiUrl'],
  notifications: ['apiUrl'],
};

export interface BootstrapReport {
  /** What this run changed. */
  done: string[];
  /** What is in place. */
  ok: string[];
  /** What is missing, and what to do about it. */
  missing: string[];
}

const publicOf = ({ d: _private, ...jwk }: Ed25519PrivateJwk) => jwk;
const sameKey = (a: { kid: string; x: string }, b: { kid: string; x: string }) =>
  a.kid === b.kid && a.x === b.x;

/** The signing key pair: made once, its halves put where they are read. */
async function signingKey(stage: string, ports: BootstrapPorts, report: BootstrapReport, kid: string) {
  const { publicKeys: publicName, pendingKey, secret: secretName } = names(stage);
  const published = await ports.getParameter(publicName);
  const publicKeys = published === undefined ? undefined : parsePublicKeys(published);
  const secret = await ports.getSecret(secretName);
  const pendingValue = await ports.getParameter(pendingKey);
  const pending = pendingValue === undefined ? undefined : parsePrivateKey(pendingValue);
  const publish = async (key: Ed25519PrivateJwk) => {
    await ports.putParameter(publicName, JSON.stringify({ keys: [publicOf(key)] }), 'String');
    report.done.push(
      `public key ${key.kid} written to SSM parameter ${publicName} (processing and notifications read it when they deploy)`,
    );
  };
  const deployIngest = `deploy ingest to stage '${stage}' (its stack creates the secret ${secretName}), then run the bootstrap again to move the private key there`;

  const stored = secret.exists && secret.value !== undefined ? parsePrivateKey(secret.value) : undefined;
  if (stored) {
    if (!publicKeys) await publish(stored);
    else if (!publicKeys.keys.some((key) => sameKey(key, stored)))
      report.missing.push(
        `The secret ${secretName} signs with key ${stored.kid}, which is not among the public keys in ${publicName}: ` +
          `envelopes would be refused. Add its public key there (rotation: README, Deploying), then deploy processing and notifications`,
      );
    else report.ok.push(`signing key ${stored.kid}: private in ${secretName}, public in ${publicName}`);
    if (pending && sameKey(pending, stored)) {
      await ports.deleteParameter(pendingKey);
      report.done.push(`SSM parameter ${pendingKey} deleted (its key is in the secret)`);
    } else if (pending)
      report.missing.push(
        `SSM parameter ${pendingKey} holds key ${pending.kid}, but the secret already holds ${stored.kid}: ` +
          `left as it is; delete it if that key is not wanted`,
      );
    return;
  }
  if (pending) {
    if (!publicKeys) await publish(pending);
    else if (!publicKeys.keys.some((key) => sameKey(key, pending)))
      report.missing.push(
        `The pending key ${pending.kid} (${pendingKey}) is not among the public keys in ${publicName}: add its public key there`,
      );
    if (secret.exists) {
      await ports.putSecretValue(secretName, JSON.stringify(pending));
      await ports.deleteParameter(pendingKey);
      report.done.push(`private key ${pending.kid} moved from ${pendingKey} into the secret ${secretName}`);
    } else report.missing.push(`The private key ${pending.kid} waits in ${pendingKey}: ${deployIngest}`);
    return;
  }
  if (publicKeys) {
    report.missing.push(
      `${publicName} holds public keys, but no private key is stored (${secretName}) or pending (${pendingKey}): ` +
        `its private half is not here. To start afresh, delete ${publicName} and run the bootstrap again ` +
        `(then deploy processing and notifications, which read the new public key)`,
    );
    return;
  }
  const { privateJwk } = ports.newKeyPair(kid);
  await publish(privateJwk);
  if (secret.exists) {
    await ports.putSecretValue(secretName, JSON.stringify(privateJwk));
    report.done.push(`private key ${privateJwk.kid} written to the secret ${secretName}`);
  } else {
    await ports.putParameter(pendingKey, JSON.stringify(privateJwk), 'SecureString');
    report.done.push(
      `private key ${privateJwk.kid} kept in the SSM SecureString parameter ${pendingKey} until ingest is deployed`,
    );
    report.missing.push(`The private key ${privateJwk.kid} waits in ${pendingKey}: ${deployIngest}`);
  }
}

/** Which services were deployed to the stage, told by what they publish. */
async function deployedServices(stage: string, ports: BootstrapPorts, report: BootstrapReport) {
  for (const [service, published] of Object.entries(PUBLISHED_BY_DEPLOYS)) {
    const absent: string[] = [];
    for (const name of published)
      if ((await ports.getParameter(`/herald/${stage}/${service}/${name}`)) === undefined) absent.push(name);
    if (absent.length === 0) report.ok.push(`${service} is deployed (it published ${published.join(', ')})`);
    else
      report.missing.push(
        `${service} has not published ${absent.map((name) => `/herald/${stage}/${service}/${name}`).join(', ')}: ` +
          `deploy it to stage '${stage}'${service === 'processing' ? ' (first: the others read these)' : ''}`,
      );
  }
}

/** Prepares the stage's signing key pair and lists what is in place and what is missing. */
export async function bootstrap(
  stage: string,
  ports: BootstrapPorts,
  options: { kid: string },
): Promise<BootstrapReport> {
  const report: BootstrapReport = { done: [], ok: [], missing: [] };
  await signingKey(stage, ports, report, options.kid);
  await deployedServices(stage, ports, report);
  return report;
}

export const generatedKeyPair = (kid: string) => generateSigningKeyPair(kid);
