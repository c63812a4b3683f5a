// Parameter Store's data model, in memory: parameters addressed by name (or ARN, or `name:version`), their
// versions, hierarchies under `/`, and SecureString values kept encrypted. No transport here: the server maps
// the API onto these methods. Rules and error names follow the SSM API Reference (PutParameter, GetParameter,
// GetParameters, GetParametersByPath, DeleteParameter) and the User Guide's "Requirements and constraints for
// parameter names".
import { AwsError } from '../aws-json-protocol';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
export type ParameterTier = 'Standard' | 'Advanced';

/** How SecureString values are kept: the local KMS in the server, something simpler in tests. */
export interface ParameterCipher {
  /** The value encrypted under `keyId` (undefined: the account's `alias/aws/ssm`), as base64. */
  encrypt(keyId: string | undefined, value: string, context: Record<string, string>): string;
  decrypt(ciphertext: string, context: Record<string, string>): string;
}

export interface PutParameterInput {
  name: string;
  value: string;
  type?: ParameterType;
  keyId?: string;
  overwrite?: boolean;
  description?: string;
  allowedPattern?: string;
  dataType?: string;
  tier?: string;
  tags?: Array<{ Key: string; Value: string }>;
}

/** One version of a parameter as the Get* operations return it. */
export interface ParameterView {
  name: string;
  arn: string;
  type: ParameterType;
  /** Decrypted, or (a SecureString read without decryption) the ciphertext. */
  value: string;
  version: number;
  lastModified: Date;
  dataType: string;
  /** `:<version>` when the caller asked for one. */
  selector?: string;
}

export interface ParameterStoreOptions {
  account: string;
  region: string;
  cipher: ParameterCipher;
  now?: () => Date;
}

interface Version {
  version: number;
  /** Ciphertext for a SecureString. */
  value: string;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  lastModified: Date;
}

interface Parameter {
  name: string;
  type: ParameterType;
  dataType: string;
  tier: ParameterTier;
  /** Oldest first; at most MAX_VERSIONS. */
  versions: Version[];
}

/** Each level: letters, digits, `.`, `-`, `_`. */
const LEVEL = /^[A-Za-z0-9_.-]+$/;
const MAX_NAME_LENGTH = 1011;
const MAX_LEVELS = 15;
/** Parameter Store keeps the last 100 versions and drops the oldest (none of ours carries a label). */
const MAX_VERSIONS = 100;
const MAX_VALUE: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 };
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];

const validation = (message: string) => new AwsError('ValidationException', message);
const notFound = (name: string) => new AwsError('ParameterNotFound', `Parameter ${name} not found.`);

export class ParameterStore {
  private readonly parameters = new Map<string, Parameter>();
  private readonly now: () => Date;

  constructor(private readonly options: ParameterStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The ARN: `parameter` then the name, with a `/` between when the name has none of its own. */
  arn(name: string): string {
    const { region, account } = this.options;
    return `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }

  /**
   * A new parameter (version 1), or with `overwrite` a new version of an existing one. A parameter keeps
   * its type: giving another is HierarchyTypeMismatchException, as documented.
   */
  put(input: PutParameterInput): { version: number; tier: ParameterTier } {
    checkName(input.name);
    const existing = this.parameters.get(input.name);
    if (existing && !input.overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    if (existing && input.tags !== undefined && input.tags.length > 0) {
      throw validation(
        'Invalid request: tags and overwrite can not be used together. To create a parameter with tags, ' +
          'please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource ' +
          'or RemoveTagsFromResource.',
      );
    }
    const type = input.type ?? existing?.type;
    if (type === undefined) throw validation('A parameter type is required when you create a parameter.');
    if (!PARAMETER_TYPES.includes(type)) {
      throw new AwsError('UnsupportedParameterType', `The parameter type ${type} is not supported.`);
    }
    if (existing && existing.type !== type) {
      throw new AwsError(
        'HierarchyTypeMismatchException',
        `The parameter ${input.name} is a ${existing.type}; Parameter Store doesn't change a parameter's type. ` +
          'Delete it and create it again, or create a new parameter.',
      );
    }
    if (input.keyId !== undefined && type !== 'SecureString') {
      throw validation('KeyId is required for SecureString type parameter only.');
    }
    const tier = this.tier(input.tier, existing?.tier);
    if (input.value.length === 0 || input.value.length > MAX_VALUE[tier]) {
      throw validation(
        `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length ` +
          `between 1 and ${MAX_VALUE[tier]} for a ${tier} parameter`,
      );
    }
    const dataType = input.dataType ?? existing?.dataType ?? 'text';
    if (!DATA_TYPES.includes(dataType)) {
      throw validation(
        `The following data type is not supported: ${dataType} (supported: ${DATA_TYPES.join(', ')})`,
      );
    }
    const latest = existing?.versions.at(-1);
    const allowedPattern = input.allowedPattern ?? latest?.allowedPattern;
    if (allowedPattern !== undefined) checkPattern(input.value, allowedPattern);

    const version = (latest?.version ?? 0) + 1;
    const keyId = type === 'SecureString' ? (input.keyId ?? latest?.keyId) : undefined;
    const stored = type === 'SecureString' ? this.encrypt(keyId, input.value, input.name) : input.value;
    const parameter: Parameter = existing ?? { name: input.name, type, dataType, tier, versions: [] };
    parameter.dataType = dataType;
    parameter.tier = tier;
    parameter.versions.push({
      version,
      value: stored,
      ...(keyId === undefined ? {} : { keyId }),
      ...((input.description ?? latest?.description)
        ? { description: input.description ?? latest?.description }
        : {}),
      ...(allowedPattern === undefined ? {} : { allowedPattern }),
      lastModified: this.now(),
    });
    if (parameter.versions.length > MAX_VERSIONS) parameter.versions.shift();
    this.parameters.set(input.name, parameter);
    return { version, tier };
  }

  /** By name, ARN, or either followed by `:<version>`; ParameterNotFound / ParameterVersionNotFound. */
  get(reference: string, withDecryption: boolean): ParameterView {
    const { parameter, version, selector } = this.resolve(reference);
    return this.view(parameter, version, withDecryption, selector);
  }

  /** Each found one, and the references that name nothing (InvalidParameters), in the order asked. */
  getMany(
    references: readonly string[],
    withDecryption: boolean,
  ): { parameters: ParameterView[]; invalid: string[] } {
    if (references.length < 1 || references.length > 10) {
      throw validation(
        `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length ` +
          `less than or equal to 10 and greater than or equal to 1`,
      );
    }
    const parameters: ParameterView[] = [];
    const invalid: string[] = [];
    for (const reference of new Set(references)) {
      let found: ReturnType<ParameterStore['resolve']> | undefined;
      try {
        found = this.resolve(reference);
      } catch (error) {
        const type = (error as AwsError).type;
        if (type !== 'ParameterNotFound' && type !== 'ParameterVersionNotFound') throw error;
      }
      if (found) parameters.push(this.view(found.parameter, found.version, withDecryption, found.selector));
      else invalid.push(reference);
    }
    return { parameters, invalid };
  }

  /**
   * The parameters below `path` (a hierarchy: starts with `/`), by name: the level right below it, or every
   * level with `recursive`. The path itself is not a parameter of its own hierarchy.
   */
  byPath(path: string, recursive: boolean, withDecryption: boolean): ParameterView[] {
    if (!path.startsWith('/')) {
      throw validation(
        'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
      );
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const matches = [...this.parameters.values()].filter((parameter) => {
      // A name without a hierarchy sits at the root, as `/name` does.
      const name = parameter.name.startsWith('/') ? parameter.name : `/${parameter.name}`;
      if (!name.startsWith(prefix) || name.length === prefix.length) return false;
      return recursive || !name.slice(prefix.length).includes('/');
    });
    return matches
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((parameter) => this.view(parameter, parameter.versions.at(-1)!, withDecryption));
  }

  /** The key a SecureString's latest version is under (undefined: the default key), for filters. */
  keyIdOf(name: string): string | undefined {
    return this.parameters.get(name)?.versions.at(-1)?.keyId;
  }

  delete(name: string): void {
    if (!this.parameters.delete(name)) throw notFound(name);
  }

  private tier(given: string | undefined, current: ParameterTier | undefined): ParameterTier {
    if (given === undefined || given === 'Intelligent-Tiering') return current ?? 'Standard';
    if (given !== 'Standard' && given !== 'Advanced') {
      throw validation(
        `1 validation error detected: Value '${given}' at 'tier' failed to satisfy constraint: Member must ` +
          'satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]',
      );
    }
    if (current === 'Advanced' && given === 'Standard') {
      throw validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.",
      );
    }
    return given;
  }

  private encrypt(keyId: string | undefined, value: string, name: string): string {
    return this.options.cipher.encrypt(keyId, value, { PARAMETER_ARN: this.arn(name) });
  }

  private resolve(reference: string): { parameter: Parameter; version: Version; selector?: string } {
    let name = reference;
    if (name.startsWith('arn:')) {
      const at = name.indexOf(':parameter/');
      if (at < 0) throw validation(`${reference} is not a parameter ARN.`);
      name = name.slice(at + ':parameter'.length);
    }
    // `name:<version>` (labels are not kept locally, so a label never matches).
    let selector: string | undefined;
    const colon = name.lastIndexOf(':');
    if (colon > 0) {
      selector = name.slice(colon);
      name = name.slice(0, colon);
    }
    // An ARN's `/` after `parameter` belongs to the name only when the name is a hierarchy.
    const parameter =
      this.parameters.get(name) ??
      (reference.startsWith('arn:') && name.startsWith('/') ? this.parameters.get(name.slice(1)) : undefined);
    if (!parameter) throw notFound(reference);
    if (selector === undefined) return { parameter, version: parameter.versions.at(-1)! };
    const number = /^:\d+$/.test(selector) ? Number(selector.slice(1)) : undefined;
    const version = parameter.versions.find((candidate) => candidate.version === number);
    if (!version) {
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector.slice(1)} of ${parameter.name}.`,
      );
    }
    return { parameter, version, selector };
  }

  private view(
    parameter: Parameter,
    version: Version,
    withDecryption: boolean,
    selector?: string,
  ): ParameterView {
    const arn = this.arn(parameter.name);
    const value =
      parameter.type === 'SecureString' && withDecryption
        ? this.options.cipher.decrypt(version.value, { PARAMETER_ARN: arn })
        : version.value;
    return {
      name: parameter.name,
      arn,
      type: parameter.type,
      value,
      version: version.version,
      lastModified: version.lastModified,
      dataType: parameter.dataType,
      ...(selector === undefined ? {} : { selector }),
    };
  }
}

function checkName(name: string): void {
  const hierarchy = name.includes('/');
  const levels = (hierarchy ? name.slice(1) : name).split('/');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw validation(
      `1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length ` +
        `between 1 and ${MAX_NAME_LENGTH}`,
    );
  }
  if (hierarchy && !name.startsWith('/')) {
    throw validation('Parameter name must be a fully qualified name: a hierarchy starts with "/".');
  }
  const first = levels[0] ?? '';
  if (/^(aws|ssm)/i.test(first) || !levels.every((level) => LEVEL.test(level))) {
    throw validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can ' +
        'consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers ' +
        'and the following 3 symbols .-_',
    );
  }
  if (levels.length > MAX_LEVELS) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      `A hierarchy can have a maximum of ${MAX_LEVELS} levels; ${name} has ${levels.length}.`,
    );
  }
}

function checkPattern(value: string, allowedPattern: string): void {
  let pattern: RegExp;
  try {
    pattern = new RegExp(allowedPattern);
  } catch {
    throw new AwsError(
      'InvalidAllowedPatternException',
      `The AllowedPattern ${allowedPattern} is not a valid regular expression.`,
    );
  }
  if (!pattern.test(value)) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
    );
  }
}
