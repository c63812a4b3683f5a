// Every event source of the local cloud, started together and stopped together: SQS and DynamoDB stream
// mappings poll as Lambda's pollers do; S3 notifications (all buckets, one watcher) invoke asynchronously.
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import type { EventSource, FunctionInvoker, S3Notification } from '../types';
import type { EventSourceHandle, Log } from './common';
import { startStreamMapping, type StreamMappingOptions } from './dynamodb-stream';
import { startS3Notifications, type S3NotificationOptions } from './s3';
import { startSqsMapping, type SqsMappingOptions } from './sqs';

export type { EventSourceHandle, Log } from './common';
export { DEFAULT_LOCAL_CONCURRENCY, localConcurrency, LocalConcurrencyError } from './concurrency';
export { recordFilter, startStreamMapping } from './dynamodb-stream';
export type { StreamMappingDeps, StreamMappingOptions } from './dynamodb-stream';
export { startS3Notifications } from './s3';
export type { S3NotificationDeps, S3NotificationOptions } from './s3';
export { startSqsMapping } from './sqs';
export type { SqsMappingDeps, SqsMappingOptions } from './sqs';

export interface EventSourceDeps {
  sqs: SQSClient;
  streams: DynamoDBStreamsClient;
  s3: S3Client;
  fauxqs: Pick<FauxqsServer, 'spy'>;
  invoker: FunctionInvoker;
  log: Log;
}

export interface EventSourceOptions {
  sqs?: SqsMappingOptions;
  streams?: StreamMappingOptions;
  s3?: S3NotificationOptions;
}

/** Starts them all, or none: if one fails to start, those already running are stopped and the error thrown. */
export async function startEventSources(
  sources: readonly EventSource[],
  deps: EventSourceDeps,
  options: EventSourceOptions = {},
): Promise<EventSourceHandle> {
  const { invoker, log } = deps;
  const handles: EventSourceHandle[] = [];
  const stop = async () => {
    await Promise.all(handles.map((handle) => handle.stop()));
  };
  try {
    const notifications: S3Notification[] = [];
    for (const source of sources) {
      if (source.kind === 'sqs')
        handles.push(await startSqsMapping(source, { sqs: deps.sqs, invoker, log }, options.sqs));
      else if (source.kind === 'dynamodb-stream')
        handles.push(
          await startStreamMapping(source, { streams: deps.streams, invoker, log }, options.streams),
        );
      else notifications.push(source);
    }
    handles.push(
      await startS3Notifications(
        notifications,
        { fauxqs: deps.fauxqs, s3: deps.s3, invoker, log },
        options.s3,
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
