/**
 * Everything Herald holds on the local cloud, read as an auditor would after an erasure: every item
 * of every table and of each of its indexes (Scan), every object of every bucket (list, then get),
 * every message waiting in every queue (received with a short visibility, then released at once).
 * The webhook receiver and the log files are not Herald's stores (the receiver is the subscriber's;
 * logs hold no payloads, docs/architecture.md) and are not read.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityBatchCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { clientConfig } from '@herald/local-cloud/client';
import { localCloud } from '../../setup/local-cloud';

/** One record of a store, as text, and where it was found. */
export interface Found {
  where: string;
  text: string;
}

export interface StoreFilter {
  /** Tables, buckets or queues (by name) left out: the caller's own, or stores it names why not. */
  skip?: (name: string) => boolean;
}

const clients = () => {
  const { endpoints } = localCloud();
  return {
    dynamodb: new DynamoDBClient(clientConfig(endpoints.aws.dynamodb)),
    s3: new S3Client({ ...clientConfig(endpoints.aws.s3), forcePathStyle: true }),
    sqs: new SQSClient({ ...clientConfig(endpoints.aws.sqs), useQueueUrlAsEndpoint: false }),
  };
};

const itemText = (item: Record<string, AttributeValue>) => JSON.stringify(item);

/** Every item of every table, and of every index of each (an index is a copy of its own). */
export async function everyItem(filter: StoreFilter = {}): Promise<Found[]> {
  const { dynamodb } = clients();
  const found: Found[] = [];
  let start: string | undefined;
  const tables: string[] = [];
  do {
    const out = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    tables.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start);
  for (const table of tables.filter((name) => !filter.skip?.(name))) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    const indexes = [undefined, ...(Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)];
    for (const index of indexes) {
      let key: Record<string, AttributeValue> | undefined;
      do {
        const out = await dynamodb.send(
          new ScanCommand({ TableName: table, IndexName: index, ExclusiveStartKey: key }),
        );
        for (const item of out.Items ?? [])
          found.push({ where: `${table}${index ? `/index/${index}` : ''}`, text: itemText(item) });
        key = out.LastEvaluatedKey;
      } while (key);
    }
  }
  return found;
}

/** Every object of every bucket: its key and its bytes. */
export async function everyObject(filter: StoreFilter = {}): Promise<Found[]> {
  const { s3 } = clients();
  const found: Found[] = [];
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  for (const bucket of (Buckets ?? []).map((b) => b.Name!).filter((name) => !filter.skip?.(name))) {
    let token: string | undefined;
    do {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const { Key } of out.Contents ?? []) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
        const body = (await object.Body?.transformToString()) ?? '';
        found.push({ where: `s3://${bucket}/${Key}`, text: `${Key}\n${body}` });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }
  return found;
}

/**
 * Every message waiting in every queue. Received with a visibility of a few seconds and made
 * visible again at once, so the queues' consumers get them as before.
 */
export async function everyMessage(filter: StoreFilter = {}): Promise<Found[]> {
  const { sqs } = clients();
  const found: Found[] = [];
  const { QueueUrls } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 }));
  for (const url of QueueUrls ?? []) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    if (filter.skip?.(name)) continue;
    const seen = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 5,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
      if (messages.length === 0) break;
      for (const message of messages) {
        seen.add(message.MessageId!);
        found.push({
          where: `sqs:${name}`,
          text: `${message.Body ?? ''}\n${JSON.stringify(message.MessageAttributes ?? {})}`,
        });
      }
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }
  return found;
}

/** Everything, from every store. */
export async function everything(filter: StoreFilter = {}): Promise<Found[]> {
  return [...(await everyItem(filter)), ...(await everyObject(filter)), ...(await everyMessage(filter))];
}
