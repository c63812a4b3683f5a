/**
 * The framework's own deployment bucket (`ServerlessDeploymentBucket`, which osls creates unless a
 * bucket of one's own is named), brought to what Herald asks of its buckets and AWS Control Tower's
 * proactive controls check: public access blocked, owner-enforced objects, SSE-KMS, versions kept 30
 * days, object events to EventBridge, and a bucket policy that refuses requests without TLS.
 *
 * SSE-KMS with the account's AWS managed key (aws/s3), not the service key: the bucket is created on
 * a stack's first deploy before the service key exists, and the deployer and CloudFormation read
 * the artifacts with no key policy to pass.
 */
import { getAtt } from './cloudformation';
import type { Resources } from './cloudformation';

export const BUCKET_ID = 'ServerlessDeploymentBucket';
export const BUCKET_POLICY_ID = 'ServerlessDeploymentBucketPolicy';

/** osls keeps the last few deployments' artifacts current; older versions go after this. */
const NONCURRENT_DAYS = 30;

export function hardenDeploymentBucket(resources: Resources): void {
  const bucket = resources[BUCKET_ID];
  if (!bucket) return;
  Object.assign(bucket.Properties, {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
      ],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    VersioningConfiguration: { Status: 'Enabled' },
    LifecycleConfiguration: {
      Rules: [
        {
          Id: 'ExpireOldArtifactVersions',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_DAYS },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    },
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
  const policy = resources[BUCKET_POLICY_ID];
  if (!policy) return;
  policy.Properties.PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyNonTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [getAtt(BUCKET_ID, 'Arn'), { 'Fn::Join': ['', [getAtt(BUCKET_ID, 'Arn'), '/*']] }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}
