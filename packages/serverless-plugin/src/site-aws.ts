/**
 * The deploy step's port on AWS: S3 PutObject into the site's bucket, CloudFront CreateInvalidation.
 * With the credentials and region `serverless deploy` used.
 */
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  type CloudFrontClientConfig,
} from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { SitePort } from './site';

export function awsSitePort(options: {
  bucket: string;
  distributionId: string;
  /** osls's own client settings (provider.getAwsSdkV3Config()): its credentials and region. */
  clientConfig: S3ClientConfig & CloudFrontClientConfig;
}): SitePort {
  const s3 = new S3Client(options.clientConfig);
  const cloudfront = new CloudFrontClient(options.clientConfig);
  return {
    async put(object) {
      await s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          CacheControl: object.cacheControl,
        }),
      );
    },
    async invalidate(paths) {
      if (paths.length === 0) return;
      await cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: options.distributionId,
          InvalidationBatch: {
            // Unique per deploy, so a retried deploy does not reuse an invalidation.
            CallerReference: `herald-site-${Date.now()}`,
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      );
    },
  };
}
