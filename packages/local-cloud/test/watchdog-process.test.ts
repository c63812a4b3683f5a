// The watchdog over a real child process, started by startOffline as serverless-offline is (its own
// process group, output piped to the log file): a stand-in `serverless` binary that listens where it
// is told, says "Server ready", and on request dies as a Node process does when its heap runs out
// (the fatal error on stderr, then SIGABRT). The report carries the hint read from those last words,
// the log keeps the first run's output with the restart appended, and the front passes requests to
// the new process.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startHttpFront, type HttpFront } from '../src/http-front';
import { freePort } from '../src/ports';
import { superviseOffline, type SupervisedService } from '../src/watchdog';

// Reads `--httpPort N` and `--param lambdaPort=N`, listens on both, dies on POST /die.
const STAND_IN = `#!/usr/bin/env node
const http = require('node:http');
const param = (name) => process.argv.find((a) => a.startsWith(name + '='))?.split('=')[1];
const httpPort = process.argv[process.argv.indexOf('--httpPort') + 1];
const started = Date.now();
// As the project's serverless plugin does when serverless-offline starts: the (empty) function manifest.
require('node:fs').writeFileSync(process.env.HERALD_FUNCTION_MANIFEST, JSON.stringify({ service: 'ingest', region: 'us-east-1', functions: [] }));
const answer = (req, res) => {
  if (req.url === '/die') {
    process.stderr.write('\\n<--- Last few GCs --->\\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n');
    setTimeout(() => process.kill(process.pid, 'SIGABRT'), 20);
    return;
  }
  res.end('pid ' + process.pid + ' up since ' + started);
};
let listening = 0;
for (const port of [httpPort, param('lambdaPort')])
  http.createServer(answer).listen(Number(port), '127.0.0.1', () => {
    if (++listening === 2) console.log('Function names exposed\\nServer ready: http://localhost:' + httpPort);
  });
`;

let root: string;
let front: HttpFront;
let supervised: SupervisedService;
const lines: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'herald-watchdog-'));
  mkdirSync(join(root, 'services', 'ingest'), { recursive: true });
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  const bin = join(root, 'node_modules', '.bin', 'serverless');
  writeFileSync(bin, STAND_IN);
  chmodSync(bin, 0o755);
  front = await startHttpFront({
    service: 'ingest',
    port: 'auto',
    use: { purpose: 'test', setting: 'TEST' },
  });
  supervised = await superviseOffline({
    offline: {
      root,
      service: 'ingest',
      lambdaPort: await freePort(),
      params: {},
      env: {},
      logDir: join(root, 'logs'),
      http: true,
      startTimeoutMs: 60_000,
    },
    front,
    log: (line) => lines.push(line),
    backoff: { initialMs: 200, maxMs: 1_000, stableMs: 60_000 },
  });
});

afterAll(async () => {
  await supervised?.stop();
  await front?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('a process that ran out of heap is reported with the hint, restarted, its log appended to', async () => {
  const url = `http://127.0.0.1:${front.port}`;
  const before = supervised.status();
  expect(before).toMatchObject({ state: 'running', restarts: 0 });
  expect(await (await fetch(url)).text()).toMatch(new RegExp(`^pid ${before.pid} `));

  await fetch(`${url}/die`, { method: 'POST' }).catch(() => undefined);
  for (let i = 0; i < 600 && supervised.status().restarts === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));

  expect(lines[0]).toMatch(
    new RegExp(`^ingest: serverless-offline \\(pid ${before.pid}\\) exited with signal SIGABRT`),
  );
  expect(lines[0]).toContain('its log says "JavaScript heap out of memory"');
  expect(lines[0]).toContain(`Log: ${join(root, 'logs', 'ingest.log')}`);
  expect(lines[1]).toMatch(/^ingest: serverless-offline is back \(pid \d+, .*restart 1\)/);
  const after = supervised.status();
  expect(after).toMatchObject({ state: 'running', restarts: 1, lastExit: { code: null, signal: 'SIGABRT' } });
  expect(after.pid).not.toBe(before.pid);
  expect(await (await fetch(url)).text()).toMatch(new RegExp(`^pid ${after.pid} `));

  const log = readFileSync(join(root, 'logs', 'ingest.log'), 'utf8');
  // The first run's output, its last words, the note, the second run's output: in that order.
  expect(log).toMatch(
    /Server ready[\s\S]*JavaScript heap out of memory[\s\S]*--- .* restarted by the local cloud after signal SIGABRT ---[\s\S]*Server ready/,
  );
});
