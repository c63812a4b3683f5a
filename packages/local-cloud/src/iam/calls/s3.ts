/**
 * S3 REST (path-style `/<bucket>/<key>`; the operation from method and query, read as the fault stage
 * reads it). Presigned URLs (`X-Amz-Credential` in the query) are calls of the signer.
 *
 * Actions and resources (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon S3"): PutObject → s3:PutObject, GetObject and HeadObject → s3:GetObject, DeleteObject →
 * s3:DeleteObject, on the object's ARN (`arn:aws:s3:::bucket/key`); ListObjects(V2) → s3:ListBucket on
 * the bucket's ARN, with `s3:prefix`, `s3:delimiter` and `s3:max-keys`. Every request carries
 * `s3:authType` (REST-HEADER, or REST-QUERY-STRING for a presigned URL), `s3:signatureversion` and
 * `s3:ResourceAccount`.
 *
 * KMS: with SSE-KMS under a customer managed key (the request's `x-amz-server-side-encryption-aws-kms-
 * key-id`, else the bucket's default encryption), an upload needs kms:GenerateDataKey and a download
 * kms:Decrypt on the key, through S3 (S3 User Guide, "Using server-side encryption with AWS KMS keys":
 * permissions), with the encryption context `aws:s3:arn`. With an S3 Bucket Key that context is the
 * bucket's ARN rather than the object's; the facts do not say which, so the object's ARN is given.
 */
import type { AuthorizationRequest } from '../types';
import { describeCall } from '../../faults/aws-errors';
import { resourceArn } from './catalogue';
import { type HttpCall, type Interpretation, UnknownCall, headerOf, kmsViaService, request } from './common';
import { keyArnFor } from './kms';

const OBJECT_ACTIONS: Record<string, { action: string; kms?: 'Decrypt' | 'GenerateDataKey' }> = {
  PutObject: { action: 'PutObject', kms: 'GenerateDataKey' },
  GetObject: { action: 'GetObject', kms: 'Decrypt' },
  HeadObject: { action: 'GetObject', kms: 'Decrypt' },
  DeleteObject: { action: 'DeleteObject' },
};

/**
 * Query parameters that make a request another operation than its method and path say (`?acl`,
 * `?tagging`, `?uploads`...): such a call is not guessed at.
 */
const PLAIN_PARAMETERS =
  /^(x-id|versionId|list-type|prefix|delimiter|max-keys|continuation-token|start-after|encoding-type|fetch-owner|marker|response-.+|X-Amz-.+)$/i;

export function interpretS3(call: HttpCall, i: Interpretation) {
  const { operation } = describeCall('s3', call.method, call.path, call.headers, call.body);
  const url = new URL(call.path, 'http://localhost');
  const subresource = [...url.searchParams.keys()].find((name) => !PLAIN_PARAMETERS.test(name));
  if (subresource) throw new UnknownCall('s3', `${call.method} ?${subresource}`);
  const [bucket, ...keyParts] = url.pathname.split('/').slice(1);
  if (!bucket) throw new UnknownCall('s3', operation, 'it names no bucket');
  const key = keyParts.map(decodeURIComponent).join('/');
  const presigned = url.searchParams.has('X-Amz-Credential');
  const context = {
    ...i.base,
    's3:authType': presigned ? 'REST-QUERY-STRING' : 'REST-HEADER',
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    's3:ResourceAccount': i.facts.accountId,
  };
  const bucketArn = resourceArn('s3', 'ListBucket', 'bucket', { BucketName: bucket }, i.facts);

  if (operation === 'ListObjects') {
    const q = url.searchParams;
    const listing = {
      ...context,
      ...(q.has('prefix') ? { 's3:prefix': q.get('prefix')! } : {}),
      ...(q.has('delimiter') ? { 's3:delimiter': q.get('delimiter')! } : {}),
      ...(q.has('max-keys') ? { 's3:max-keys': q.get('max-keys')! } : {}),
    };
    return {
      operation,
      requests: [request('s3', 'ListBucket', 'bucket', { BucketName: bucket }, listing, i.facts)],
    };
  }
  const mapping = OBJECT_ACTIONS[operation];
  if (!mapping || !key) throw new UnknownCall('s3', operation);
  const sse = headerOf(call.headers, 'x-amz-server-side-encryption');
  const sseKey = headerOf(call.headers, 'x-amz-server-side-encryption-aws-kms-key-id');
  const objectContext = {
    ...context,
    ...(sse ? { 's3:x-amz-server-side-encryption': sse } : {}),
    ...(sseKey ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': sseKey } : {}),
  };
  const values = { BucketName: bucket, ObjectName: key };
  const objectArn = resourceArn('s3', mapping.action, 'object', values, i.facts);
  const requests: AuthorizationRequest[] = [
    request('s3', mapping.action, 'object', values, objectContext, i.facts),
  ];
  if (mapping.kms) {
    const keyArn = sseKey ? keyArnFor(sseKey, i) : i.facts.encryptionKey(bucketArn);
    requests.push(...kmsViaService('s3', keyArn, [mapping.kms], { 'aws:s3:arn': objectArn }, i));
  }
  return { operation, requests };
}
