// DynamoDB Local's database is a file the local cloud indexes (src/dynamodb-database.ts): the
// indexes must leave every stream read as DynamoDB Local answers it, and the file must not outlive
// the DynamoDB Local that wrote it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, test } from '@jest/globals';
import {
  databaseRoot,
  indexStreamRecords,
  newDatabaseDir,
  SHARED_DATABASE_FILE,
  STREAM_RECORD_INDEXES,
} from '../src/dynamodb-database';
import { startDynamoDb } from '../src/emulators';
import { freePort } from '../src/ports';

/** The directories of this process's DynamoDB Locals. */
function ownDatabaseDirs(root: string): string[] {
  return readdirSync(root)
    .filter((name) => name.startsWith(`herald-dynamodb-${process.pid}-`))
    .map((name) => join(root, name));
}

async function streamKeys(streams: DynamoDBStreamsClient, streamArn: string): Promise<string[]> {
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!
    .Shards!;
  const keys: string[] = [];
  for (const shard of shards) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    // A small Limit makes the reader page through the shard, as the local cloud's pollers do.
    for (let page = 0; iterator && page < 20; page++) {
      const read = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 7 }));
      keys.push(...read.Records!.map((record) => record.dynamodb!.Keys!.pk!.S!));
      if (read.Records!.length === 0) break;
      iterator = read.NextShardIterator;
    }
  }
  return keys;
}

describe('DynamoDB Local with the stream-record indexes', () => {
  test('two tables written in turn each read back their own stream records, in order; no telemetry; the database goes when DynamoDB Local exits', async () => {
    const port = await freePort();
    const before = new Set(ownDatabaseDirs(databaseRoot()));
    const child = await startDynamoDb(port);
    const client = {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    const db = new DynamoDBClient(client);
    const streams = new DynamoDBStreamsClient(client);
    try {
      const [dir] = ownDatabaseDirs(databaseRoot()).filter((candidate) => !before.has(candidate));
      const file = new DatabaseSync(join(dir!, SHARED_DATABASE_FILE), { readOnly: true });
      const indexes = file
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'us'")
        .all()
        .map((row) => row.sql);
      file.close();
      expect(indexes).toEqual(
        expect.arrayContaining(STREAM_RECORD_INDEXES.map((sql) => sql.replace(' IF NOT EXISTS', ''))),
      );
      // With telemetry on, DynamoDB Local writes its telemetry identity to this file, in the
      // database's directory (its working directory too), and looks up AWS's Cognito endpoint to
      // send word of its start.
      expect(readdirSync(dir!)).not.toContain('dynamodb-local-metadata.json');

      const arns: string[] = [];
      for (const table of ['quiet-table', 'busy-table']) {
        await db.send(
          new CreateTableCommand({
            TableName: table,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
          }),
        );
        arns.push((await db.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!);
      }
      const written: Record<string, string[]> = { 'quiet-table': [], 'busy-table': [] };
      for (let i = 0; i < 40; i++) {
        // Four busy records to each quiet one, interleaved, as events and subscriptions are.
        const table = i % 5 === 0 ? 'quiet-table' : 'busy-table';
        const pk = `${table}-${String(i).padStart(2, '0')}`;
        await db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
        written[table]!.push(pk);
      }
      expect(await streamKeys(streams, arns[0]!)).toEqual(written['quiet-table']);
      expect(await streamKeys(streams, arns[1]!)).toEqual(written['busy-table']);

      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect(existsSync(dir!)).toBe(false);
    } finally {
      db.destroy();
      streams.destroy();
      child.kill('SIGKILL');
    }
  }, 120_000);
});

describe('newDatabaseDir', () => {
  test('deletes a directory whose local cloud is gone, and keeps those of running ones', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const root = databaseRoot();
    const left = mkdtempSync(join(root, `herald-dynamodb-${gone}-`));
    const running = mkdtempSync(join(root, `herald-dynamodb-${process.ppid}-`));
    const created = newDatabaseDir();
    try {
      expect(existsSync(left)).toBe(false);
      expect(existsSync(running)).toBe(true);
      expect(existsSync(created)).toBe(true);
      expect(created.startsWith(join(root, `herald-dynamodb-${process.pid}-`))).toBe(true);
    } finally {
      // Only what this test made: on 2 cores Jest runs the files in its own process, whose pid also
      // names the directory of the integration tests' shared DynamoDB Local.
      for (const dir of [left, running, created]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('indexStreamRecords', () => {
  test('a database without the stream-records table is refused, naming what changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-dynamodb-schema-'));
    new DatabaseSync(join(dir, SHARED_DATABASE_FILE)).close();
    try {
      await expect(indexStreamRecords(dir)).rejects.toThrow(
        /no stream-records table "us": its schema has changed/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
