/**
 * Where DynamoDB Local keeps its database, and the indexes it lacks.
 *
 * DynamoDB Local keeps every table in one SQLite database, and every stream record of every table in
 * one table of it, `us`, keyed by sequence number alone. Finding a shard's records (GetRecords, the
 * shard's last record, the stream's first) then walks every record written after them by any table:
 * a poll of a quiet stream (subscriptions, event types) costs more with every event stored, and its
 * cost per event doubled over a ten-minute run. Two indexes make those lookups seeks; DynamoDB Local's
 * own statements are unchanged and SQLite picks the indexes up itself. A table whose stream has no
 * record yet is the worst case: every request to the table looked for its stream's first record
 * through the whole of `us`.
 *
 * An in-memory SQLite database cannot be reached from outside the JVM, so the database is a file, on
 * the memory-backed /dev/shm where there is one (Linux) and in the temporary directory elsewhere. It
 * is deleted when DynamoDB Local exits, and a directory left by a local cloud that was killed is
 * deleted by the next one to start.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'herald-dynamodb-';

/** The file DynamoDB Local writes with `-sharedDb -dbPath DIR`. */
export const SHARED_DATABASE_FILE = 'shared-local-instance.db';

/**
 * Seeks for what DynamoDB Local looks up by shard and by stream, in sequence-number order. The
 * sequence number is the table's rowid, which every index ends with: SQLite 3.8.7 (DynamoDB Local's)
 * seeks `ShardID = ? AND rowid > ?` on an index of the shard alone, but given (ShardID,
 * SequenceNumber) it seeks the shard and then reads all of it (113 ms, not 0.3, for a GetRecords at
 * the end of a shard of 50,000 records).
 */
export const STREAM_RECORD_INDEXES = [
  'CREATE INDEX IF NOT EXISTS herald_us_shard ON us (ShardID)',
  'CREATE INDEX IF NOT EXISTS herald_us_stream ON us (StreamID)',
];

/** Where the databases' directories are made: /dev/shm (memory) where it exists. */
export function databaseRoot(): string {
  const shm = '/dev/shm';
  return existsSync(shm) && statSync(shm).isDirectory() ? shm : tmpdir();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new directory for one DynamoDB Local's database, named after this process so that the next local
 * cloud can tell a directory whose owner is gone: on /dev/shm it would hold memory until a reboot.
 */
export function newDatabaseDir(): string {
  const root = databaseRoot();
  for (const name of readdirSync(root)) {
    const owner = name.startsWith(PREFIX) ? Number.parseInt(name.slice(PREFIX.length), 10) : undefined;
    if (owner && owner !== process.pid && !alive(owner))
      rmSync(join(root, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
}

/** Adds STREAM_RECORD_INDEXES to the database DynamoDB Local has created in `dir`. */
export async function indexStreamRecords(dir: string): Promise<void> {
  // Loaded here only: node:sqlite prints an experimental warning in every process that loads it.
  const { DatabaseSync } = await import('node:sqlite');
  const database = new DatabaseSync(join(dir, SHARED_DATABASE_FILE));
  try {
    // DynamoDB Local holds the file open; wait out a write of its own rather than fail.
    database.exec('PRAGMA busy_timeout = 10000');
    const streamRecords = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'us'")
      .get();
    if (!streamRecords)
      throw new Error(
        `DynamoDB Local's database in ${dir} has no stream-records table "us": its schema has changed, so the local cloud's stream indexes (dynamodb-database.ts) need revisiting`,
      );
    for (const statement of STREAM_RECORD_INDEXES) database.exec(statement);
  } finally {
    database.close();
  }
}
