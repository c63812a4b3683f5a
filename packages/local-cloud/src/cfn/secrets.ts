/**
 * AWS::SecretsManager::Secret as data for the local Secrets Manager: the name, the ARN that `Ref`
 * gives, the key and the initial value (SecretString, or one made as GenerateSecretString describes,
 * with Secrets Manager's GetRandomPassword defaults).
 */
import { randomInt } from 'node:crypto';
import { boolean, checkProperties, integer, type Ignore, type PropertyRules } from './report';
import { childPath, isRecord, TemplateError } from './template';

export interface SecretDefinition {
  name: string;
  arn: string;
  kmsKeyId?: string;
  description?: string;
  /** The value to store first; absent when the template gives none (the secret then has no value yet). */
  secretString?: string;
}

export const SECRET_PROPERTIES: PropertyRules = {
  used: ['Name', 'Description', 'KmsKeyId', 'SecretString', 'GenerateSecretString'],
  ignored: {
    ReplicaRegions: 'there is one region locally',
    Tags: 'secrets are not tagged locally',
  },
};

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A password as GetRandomPassword makes one: 32 characters of every type unless told otherwise. */
export function generateSecretString(spec: Record<string, unknown>, path: string): string {
  const flag = (name: string) => boolean(spec[name], childPath(path, name)) ?? false;
  const length = integer(spec.PasswordLength, childPath(path, 'PasswordLength')) ?? 32;
  const excluded = new Set(String(spec.ExcludeCharacters ?? ''));
  const classes = [
    flag('ExcludeLowercase') ? '' : 'abcdefghijklmnopqrstuvwxyz',
    flag('ExcludeUppercase') ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    flag('ExcludeNumbers') ? '' : '0123456789',
    flag('ExcludePunctuation') ? '' : PUNCTUATION,
    flag('IncludeSpace') ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((char) => !excluded.has(char)).join(''))
    .filter((chars) => chars.length > 0);
  if (classes.length === 0 || length < 1 || length > 4096)
    throw new TemplateError(
      path,
      'GenerateSecretString leaves no characters to choose from, or asks for a bad length',
    );
  const all = classes.join('');
  const requireEach =
    boolean(spec.RequireEachIncludedType, childPath(path, 'RequireEachIncludedType')) ?? true;
  if (requireEach && length < classes.length)
    throw new TemplateError(path, 'PasswordLength is shorter than the number of character types required');
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  const chars = requireEach ? classes.map(pick) : [];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  const password = chars.join('');
  const template = spec.SecretStringTemplate;
  const key = spec.GenerateStringKey;
  if ((template === undefined) !== (key === undefined))
    throw new TemplateError(path, 'SecretStringTemplate and GenerateStringKey go together');
  if (template === undefined) return password;
  let document: unknown;
  try {
    document = JSON.parse(String(template));
  } catch {
    throw new TemplateError(childPath(path, 'SecretStringTemplate'), 'must be a JSON object');
  }
  if (!isRecord(document))
    throw new TemplateError(childPath(path, 'SecretStringTemplate'), 'must be a JSON object');
  return JSON.stringify({ ...document, [String(key)]: password });
}

export function secretDefinition(
  secret: { name: string; arn: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): SecretDefinition {
  const { name, arn, properties, path } = secret;
  checkProperties(properties, SECRET_PROPERTIES, ignore);
  const definition: SecretDefinition = { name, arn };
  if (properties.KmsKeyId !== undefined) definition.kmsKeyId = String(properties.KmsKeyId);
  if (properties.Description !== undefined) definition.description = String(properties.Description);
  if (properties.SecretString !== undefined && properties.GenerateSecretString !== undefined)
    throw new TemplateError(path, 'SecretString and GenerateSecretString cannot both be set');
  if (properties.SecretString !== undefined) definition.secretString = String(properties.SecretString);
  else if (isRecord(properties.GenerateSecretString))
    definition.secretString = generateSecretString(
      properties.GenerateSecretString,
      childPath(path, 'GenerateSecretString'),
    );
  return definition;
}
