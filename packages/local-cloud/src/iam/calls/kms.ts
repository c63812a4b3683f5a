/**
 * KMS (JSON 1.1, `X-Amz-Target: TrentService.<Op>`), as a function calls it directly.
 *
 * Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext), ReEncrypt and DescribeKey act on the key's ARN
 * (Service Authorization Reference, "Actions, resources, and condition keys for AWS Key Management
 * Service"); `KeyId` may be a key id, key ARN, alias name or alias ARN, and KMS authorizes the key it
 * resolves to. A Decrypt without KeyId names its key inside the ciphertext. Condition keys: the
 * request's encryption context as `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys`,
 * `kms:CallerAccount`, `kms:EncryptionAlgorithm` when given, and `kms:RequestAlias` when the call names
 * the key by an alias (KMS Developer Guide, "AWS KMS condition keys"). No `kms:ViaService`: the
 * function calls KMS itself.
 */
import type { AuthorizationRequest } from '../types';
import {
  type HttpCall,
  type Interpretation,
  UnknownCall,
  encryptionContextKeys,
  jsonBody,
  targetOperation,
  request,
  str,
} from './common';

const KEY_OPERATIONS = new Set([
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'DescribeKey',
]);

/**
 * The key id inside a ciphertext. The local KMS writes a version byte, the key id's length and the key
 * id ahead of the encrypted data (src/kms/keyring.ts), as AWS's ciphertexts carry their key's identity.
 */
function keyIdInCiphertext(base64: string | undefined): string | undefined {
  if (!base64) return undefined;
  const blob = Buffer.from(base64, 'base64');
  if (blob.length < 2) return undefined;
  const id = blob.subarray(2, 2 + blob[1]!).toString('utf8');
  return /^[A-Za-z0-9-]+$/.test(id) ? id : undefined;
}

export function keyArnFor(keyId: string, i: Interpretation): string {
  const known = i.facts.keyArn(keyId);
  if (known) return known;
  if (keyId.startsWith('arn:')) return keyId;
  // An unknown key: name it as its ARN would be, so the denial says which.
  const { partition, region, accountId } = i.facts;
  return `arn:${partition}:kms:${region}:${accountId}:${keyId.startsWith('alias/') ? keyId : `key/${keyId}`}`;
}

export function interpretKms(call: HttpCall, i: Interpretation) {
  const operation = targetOperation(call);
  if (!KEY_OPERATIONS.has(operation)) throw new UnknownCall('kms', operation);
  const params = jsonBody('kms', operation, call);
  const keyId =
    str(params.KeyId) ??
    (operation === 'Decrypt' ? keyIdInCiphertext(str(params.CiphertextBlob)) : undefined);
  if (!keyId) throw new UnknownCall('kms', operation, 'it names no key');
  const alias = /(?:^|:)(alias\/.+)$/.exec(keyId)?.[1];
  const encryptionContext = (params.EncryptionContext ?? {}) as Record<string, string>;
  const context = {
    ...i.base,
    'kms:CallerAccount': String(i.base['aws:PrincipalAccount']),
    ...encryptionContextKeys(encryptionContext),
    ...(str(params.EncryptionAlgorithm)
      ? { 'kms:EncryptionAlgorithm': str(params.EncryptionAlgorithm)! }
      : {}),
    ...(alias ? { 'kms:RequestAlias': alias } : {}),
  };
  const requests: AuthorizationRequest[] = [
    { ...request('kms', operation, undefined, {}, context, i.facts), resource: keyArnFor(keyId, i) },
  ];
  return { operation, requests };
}
