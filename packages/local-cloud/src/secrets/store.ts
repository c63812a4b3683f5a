// Secrets Manager's data model, in memory: secrets addressed by name or ARN, immutable versions, and the
// staging labels that move between them (AWSCURRENT / AWSPREVIOUS). No transport here: the server maps the API
// onto these methods.
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../aws-json-protocol';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';

/** One of the two; a binary value travels as base64, as on the wire. */
export interface SecretValue {
  secretString?: string;
  secretBinary?: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface SecretVersion {
  id: string;
  value: SecretValue;
  created: Date;
  stages: string[];
}

export interface SecretDescription {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  created: Date;
  lastChanged: Date;
  /** Day precision, as AWS reports it. */
  lastAccessed?: Date;
  /** When DeleteSecret was called; set while the secret waits out its recovery window. */
  deleted?: Date;
  /** Versions that carry a staging label; unlabelled versions are deprecated and not listed. */
  versionIdsToStages: Record<string, string[]>;
}

export interface CreateSecretInput {
  name: string;
  clientRequestToken?: string;
  description?: string;
  kmsKeyId?: string;
  value: SecretValue;
  tags?: Tag[];
}

export interface SecretStoreOptions {
  account: string;
  region: string;
  now?: () => Date;
}

interface Secret extends Omit<SecretDescription, 'versionIdsToStages'> {
  /** When a secret in its recovery window is removed for good. */
  deletionDate?: Date;
  versions: Map<string, SecretVersion>;
}

const NAME = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const MAX_VALUE_BYTES = 65_536;
const DAY_MS = 86_400_000;

const notFound = () =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);

export class SecretStore {
  private readonly secrets = new Map<string, Secret>();
  private readonly now: () => Date;

  constructor(private readonly options: SecretStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  create(input: CreateSecretInput): { arn: string; name: string; versionId?: string } {
    if (!NAME.test(input.name)) {
      throw invalidParameter(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const existing = this.find(input.name);
    if (existing?.deleted) {
      throw new AwsError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) {
      throw new AwsError(
        'ResourceExistsException',
        `The operation failed because the secret ${input.name} already exists.`,
      );
    }
    const hasValue = checkValue(input.value, false);
    const now = this.now();
    const secret: Secret = {
      name: input.name,
      // AWS appends six random characters so that a re-created secret never answers to an old ARN.
      arn: `arn:aws:secretsmanager:${this.options.region}:${this.options.account}:secret:${input.name}-${suffix()}`,
      description: input.description,
      kmsKeyId: input.kmsKeyId,
      tags: input.tags ?? [],
      created: now,
      lastChanged: now,
      versions: new Map(),
    };
    this.secrets.set(secret.name, secret);
    if (!hasValue) return { arn: secret.arn, name: secret.name };
    const versionId = input.clientRequestToken ?? randomUUID();
    secret.versions.set(versionId, { id: versionId, value: input.value, created: now, stages: [CURRENT] });
    return { arn: secret.arn, name: secret.name, versionId };
  }

  /** By VersionId, by staging label, or (neither given) the AWSCURRENT version. */
  getValue(
    secretId: string,
    versionId?: string,
    versionStage?: string,
  ): { arn: string; name: string; version: SecretVersion } {
    const secret = this.live(secretId);
    const stage = versionStage ?? (versionId === undefined ? CURRENT : undefined);
    const version =
      versionId !== undefined ? secret.versions.get(versionId) : this.staged(secret, stage ?? CURRENT);
    if (!version || (stage !== undefined && !version.stages.includes(stage))) {
      const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage}`;
      throw new AwsError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${what}`,
      );
    }
    secret.lastAccessed = new Date(Math.floor(this.now().getTime() / DAY_MS) * DAY_MS);
    return { arn: secret.arn, name: secret.name, version: copyVersion(version) };
  }

  /**
   * Adds a version carrying `stages` (AWSCURRENT by default). Labels move: each leaves whichever version had it,
   * and the version that loses AWSCURRENT gets AWSPREVIOUS. Repeating a request with the same token and value
   * is a no-op, as the API's idempotency promises; the same token with another value is refused.
   */
  putValue(
    secretId: string,
    value: SecretValue,
    clientRequestToken?: string,
    stages: readonly string[] = [CURRENT],
  ): { arn: string; name: string; versionId: string; stages: string[] } {
    const secret = this.live(secretId);
    checkValue(value, true);
    const versionId = clientRequestToken ?? randomUUID();
    const existing = secret.versions.get(versionId);
    if (existing) {
      if (
        existing.value.secretString !== value.secretString ||
        existing.value.secretBinary !== value.secretBinary
      ) {
        throw new AwsError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { arn: secret.arn, name: secret.name, versionId, stages: [...existing.stages] };
    }
    let formerCurrent: SecretVersion | undefined;
    for (const version of secret.versions.values()) {
      if (stages.includes(CURRENT) && version.stages.includes(CURRENT)) formerCurrent = version;
      version.stages = version.stages.filter((stage) => !stages.includes(stage));
    }
    if (formerCurrent) {
      for (const version of secret.versions.values()) {
        version.stages = version.stages.filter((stage) => stage !== PREVIOUS);
      }
      formerCurrent.stages.push(PREVIOUS);
    }
    const now = this.now();
    secret.versions.set(versionId, { id: versionId, value, created: now, stages: [...stages] });
    secret.lastChanged = now;
    return { arn: secret.arn, name: secret.name, versionId, stages: [...stages] };
  }

  describe(secretId: string): SecretDescription {
    const secret = this.existing(secretId);
    const versionIdsToStages = Object.fromEntries(
      [...secret.versions.values()]
        .filter((version) => version.stages.length > 0)
        .map((version) => [version.id, [...version.stages]]),
    );
    return {
      arn: secret.arn,
      name: secret.name,
      description: secret.description,
      kmsKeyId: secret.kmsKeyId,
      tags: secret.tags.map((tag) => ({ ...tag })),
      created: secret.created,
      lastChanged: secret.lastChanged,
      lastAccessed: secret.lastAccessed,
      deleted: secret.deleted,
      versionIdsToStages,
    };
  }

  /**
   * Schedules deletion after a recovery window (30 days unless told), during which the secret can be
   * described and restored but not read; ForceDeleteWithoutRecovery removes it at once.
   */
  delete(
    secretId: string,
    recoveryWindowInDays?: number,
    forceDeleteWithoutRecovery = false,
  ): { arn: string; name: string; deletionDate: Date } {
    if (forceDeleteWithoutRecovery && recoveryWindowInDays !== undefined) {
      throw invalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    const days = recoveryWindowInDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    const secret = this.existing(secretId);
    const now = this.now();
    if (forceDeleteWithoutRecovery) {
      this.secrets.delete(secret.name);
      return { arn: secret.arn, name: secret.name, deletionDate: now };
    }
    // Deleting again while already scheduled keeps the original schedule.
    secret.deleted ??= now;
    secret.deletionDate ??= new Date(now.getTime() + days * DAY_MS);
    return { arn: secret.arn, name: secret.name, deletionDate: secret.deletionDate };
  }

  restore(secretId: string): { arn: string; name: string } {
    const secret = this.existing(secretId);
    delete secret.deleted;
    delete secret.deletionDate;
    return { arn: secret.arn, name: secret.name };
  }

  /** A secret, even one scheduled for deletion. */
  private existing(secretId: string): Secret {
    const secret = this.find(secretId);
    if (!secret) throw notFound();
    return secret;
  }

  /** A secret that may be read and changed. */
  private live(secretId: string): Secret {
    const secret = this.existing(secretId);
    if (secret.deleted) {
      throw new AwsError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  /** By name, full ARN, or partial ARN (without the random suffix); expired deletions are purged on the way. */
  private find(secretId: string): Secret | undefined {
    const now = this.now().getTime();
    for (const [name, secret] of this.secrets) {
      if (secret.deletionDate && secret.deletionDate.getTime() <= now) this.secrets.delete(name);
    }
    if (!secretId.startsWith('arn:')) return this.secrets.get(secretId);
    return [...this.secrets.values()].find(
      (secret) => secret.arn === secretId || secret.arn.slice(0, -'-XXXXXX'.length) === secretId,
    );
  }

  private staged(secret: Secret, stage: string): SecretVersion | undefined {
    return [...secret.versions.values()].find((version) => version.stages.includes(stage));
  }
}

/** Whether a value was given; throws when both kinds are, or one is too big. */
function checkValue(value: SecretValue, required: boolean): boolean {
  const { secretString, secretBinary } = value;
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (secretString === undefined && secretBinary === undefined) {
    if (required) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    return false;
  }
  const bytes =
    secretString !== undefined
      ? Buffer.byteLength(secretString)
      : Buffer.from(secretBinary ?? '', 'base64').length;
  if (bytes > MAX_VALUE_BYTES) {
    throw new AwsError('ValidationException', `The secret value must be at most ${MAX_VALUE_BYTES} bytes.`);
  }
  return true;
}

function suffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function copyVersion(version: SecretVersion): SecretVersion {
  return { ...version, value: { ...version.value }, stages: [...version.stages] };
}
