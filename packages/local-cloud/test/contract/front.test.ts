// A service's HTTP front with contract checks, in front of a plain node:http server standing in for
// serverless-offline and answering what each path asks: with `enforce` a response that breaks ingest's
// OpenAPI document becomes a 500 problem saying why; with `report` it passes and is recorded; with
// `off` nothing is read. Every response is counted by operation and status; unknown routes apart.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractChecker } from '../../src/contract/check';
import { ContractLedger } from '../../src/contract/coverage';
import { loadContractDocument } from '../../src/contract/document';
import { frontContract } from '../../src/contract/front';
import { startHttpFront, type HttpFront } from '../../src/http-front';
import { freePort } from '../../src/ports';

const ledger = new ContractLedger('enforce');
const logged: string[] = [];
const traced: string[] = [];
let upstream: Server;
let front: HttpFront;
let base: string;

const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  '/v1/events': { status: 202, type: 'application/json', body: JSON.stringify({ ids: ['a'] }) },
  '/v1/uploads/missing': {
    status: 404,
    type: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }),
  },
  // ids missing; and a status getUpload does not document.
  '/v1/uploads/broken': { status: 200, type: 'application/json', body: JSON.stringify({ nothing: true }) },
  '/v1/uploads/teapot': { status: 418, type: 'text/plain', body: 'short and stout' },
  '/v1/unknown': { status: 404, type: 'application/json', body: JSON.stringify({ message: 'Not Found' }) },
  '/v1/uploads/boom': {
    status: 400,
    type: 'application/json',
    body: JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'Invalid request params input' }),
  },
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    const answer = ANSWERS[req.url!.split('?')[0]!]!;
    res.writeHead(answer.status, {
      'content-type': answer.type,
      // serverless-offline's own errors carry no correlation id.
      ...(req.url === '/v1/uploads/boom' ? {} : { 'x-correlation-id': 'corr-1' }),
    });
    res.end(answer.body);
  });
  const upstreamPort = await freePort();
  await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
  front = await startHttpFront({
    service: 'ingest',
    port: 'auto',
    use: { purpose: 'test front', setting: 'none' },
    contract: frontContract(contractChecker(loadContractDocument('ingest')), ledger, {
      log: (line) => logged.push(line),
      trace: (line) => traced.push(line),
    }),
  });
  front.up(upstreamPort);
  base = `http://127.0.0.1:${front.port}`;
});

afterAll(async () => {
  await front.stop();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('the HTTP front with contract checks', () => {
  test('a response the document describes passes as it came', async () => {
    ledger.mode = 'enforce';
    const response = await fetch(`${base}/v1/events`, { method: 'POST', body: '[]' });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-correlation-id')).toBe('corr-1');
    expect(await response.json()).toEqual({ ids: ['a'] });
    const missing = await fetch(`${base}/v1/uploads/missing`);
    expect(missing.status).toBe(404);
    expect(traced).toEqual([
      'ok ingest sendEvents 202 POST /v1/events correlation-id=corr-1',
      'ok ingest getUpload 404 GET /v1/uploads/missing correlation-id=corr-1',
    ]);
    expect(logged).toEqual([]);
  });

  test('enforce: a response that breaks the document is answered 500, saying what is wrong', async () => {
    ledger.mode = 'enforce';
    const response = await fetch(`${base}/v1/uploads/broken`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-correlation-id')).toBe('corr-1');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/contract-violation',
      status: 500,
      operation: 'getUpload',
      upstreamStatus: 200,
    });
    expect(problem.detail).toMatch(
      /^response breaks the contract: getUpload 200: body: \(body\) must have required property/,
    );

    const teapot = await fetch(`${base}/v1/uploads/teapot`);
    expect(teapot.status).toBe(500);
    expect(((await teapot.json()) as { detail: string }).detail).toMatch(
      /^response breaks the contract: getUpload 418: status 418 is not documented/,
    );
    expect(logged.at(-1)).toMatch(
      /^contract: ingest GET \/v1\/uploads\/teapot: response breaks the contract/,
    );
  });

  test('report: the response passes, and the violation is recorded', async () => {
    ledger.mode = 'report';
    const response = await fetch(`${base}/v1/uploads/teapot`);
    expect(response.status).toBe(418);
    expect(await response.text()).toBe('short and stout');
    expect(logged.at(-1)).toMatch(
      /^contract \(HERALD_CONTRACT=report, let through\): ingest GET \/v1\/uploads\/teapot/,
    );
    expect(ledger.record().violations).toContainEqual(
      expect.objectContaining({ operation: 'getUpload', status: 418, mode: 'report', count: 1 }),
    );
  });

  test('off: the response streams unread, and nothing is counted', async () => {
    ledger.mode = 'off';
    const before = ledger.record();
    const response = await fetch(`${base}/v1/uploads/teapot`);
    expect(response.status).toBe(418);
    expect(ledger.record()).toEqual({ ...before, mode: 'off' });
  });

  test('every response is counted by operation and status; unknown routes apart', async () => {
    ledger.mode = 'enforce';
    const unknown = await fetch(`${base}/v1/unknown?x=1`);
    expect(unknown.status).toBe(404);
    const boom = await fetch(`${base}/v1/uploads/boom`);
    expect(boom.status).toBe(400);
    expect(traced.at(-1)).toBe('before any function ingest - 400 GET /v1/uploads/boom correlation-id=-');
    const record = ledger.record();
    expect(record.seen.ingest).toEqual({
      sendEvents: { 202: 1 },
      getUpload: { 200: 1, 404: 1, 418: 2 },
    });
    expect(record.unmatched).toEqual({
      'ingest GET /v1/unknown → 404': 1,
      'ingest GET /v1/uploads/boom → 400 (before any function)': 1,
    });
    expect(record.violations.map((v) => [v.status, v.mode, v.count])).toEqual([
      [200, 'enforce', 1],
      [418, 'enforce', 1],
      [418, 'report', 1],
    ]);
  });
});
