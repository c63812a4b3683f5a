/**
 * Secrets Manager (JSON 1.1, `X-Amz-Target: secretsmanager.<Op>`).
 *
 * GetSecretValue and DescribeSecret act on the secret's full ARN (Service Authorization Reference,
 * "Actions, resources, and condition keys for AWS Secrets Manager"), whatever the call names it by
 * (name, partial or full ARN), with `secretsmanager:SecretId` = what the call named it by and
 * `secretsmanager:VersionId` / `secretsmanager:VersionStage` when given.
 *
 * KMS: a secret under a customer managed key needs kms:Decrypt on that key through Secrets Manager
 * (API Reference, GetSecretValue: "If the secret is encrypted using a customer-managed key ... you also
 * need kms:Decrypt permissions for that key"), with the encryption context Secrets Manager uses,
 * `SecretARN` = the secret's ARN and `SecretVersionId` = the version (Secrets Manager User Guide,
 * "Secret encryption and decryption"). The version id is known only when the call names one, so a
 * policy conditioned on `kms:EncryptionContext:SecretVersionId` sees it only then.
 */
import type { AuthorizationRequest } from '../types';
import {
  type HttpCall,
  type Interpretation,
  UnknownCall,
  jsonBody,
  targetOperation,
  kmsViaService,
  str,
} from './common';
import { iamAction } from './catalogue';

export function interpretSecretsManager(call: HttpCall, i: Interpretation) {
  const operation = targetOperation(call);
  if (operation !== 'GetSecretValue' && operation !== 'DescribeSecret')
    throw new UnknownCall('secretsmanager', operation);
  const params = jsonBody('secretsmanager', operation, call);
  const secretId = str(params.SecretId);
  if (!secretId) throw new UnknownCall('secretsmanager', operation, 'it names no secret');
  const { partition, region, accountId } = i.facts;
  const arn =
    i.facts.secretArn(secretId) ??
    (secretId.startsWith('arn:')
      ? secretId
      : `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${secretId}`);
  const versionId = str(params.VersionId);
  const versionStage = str(params.VersionStage);
  const context = {
    ...i.base,
    'secretsmanager:SecretId': secretId,
    ...(versionId ? { 'secretsmanager:VersionId': versionId } : {}),
    ...(versionStage ? { 'secretsmanager:VersionStage': versionStage } : {}),
  };
  const requests: AuthorizationRequest[] = [
    { action: iamAction('secretsmanager', operation), resource: arn, context },
  ];
  if (operation === 'GetSecretValue')
    requests.push(
      ...kmsViaService(
        'secretsmanager',
        i.facts.encryptionKey(arn),
        ['Decrypt'],
        { SecretARN: arn, ...(versionId ? { SecretVersionId: versionId } : {}) },
        i,
      ),
    );
  return { operation, requests };
}
