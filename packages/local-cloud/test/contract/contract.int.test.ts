/**
 * Contract checks on the shared local cloud (HERALD_CONTRACT=enforce, the default): a documented
 * answer of a real service passes and is recorded with its operation and status, a 4xx the document
 * gives is recorded as such, a route no operation has is recorded apart, and a real answer judged
 * against a document that does not give it is answered 500 saying what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractChecker } from '../../src/contract/check';
import { ContractLedger } from '../../src/contract/coverage';
import { loadContractDocument, readContractDocument } from '../../src/contract/document';
import { frontContract } from '../../src/contract/front';
import { startHttpFront, type HttpFront } from '../../src/http-front';
import { callService, eventually, localCloud, tokenFor } from '../../../../test/setup/local-cloud';

const cloud = localCloud();
const unique = `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
/** An upload id no upload has (the form ids have: 26 characters of Crockford's base 32). */
const noUpload = () =>
  Array.from({ length: 26 }, () => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Math.floor(Math.random() * 32)]).join(
    '',
  );

/** The line the shared cloud's fronts wrote to contract.log for a request, once it is there. */
const contractLine = (what: RegExp) =>
  eventually(
    async () => {
      const text = await readFile(join(process.cwd(), '.local-cloud', 'test-logs', 'contract.log'), 'utf8');
      return text.split('\n').find((line) => what.test(line));
    },
    10_000,
    `a contract.log line matching ${what}`,
  );

describe('contract checks on the shared local cloud', () => {
  test('a documented answer passes, recorded with its operation and status', async () => {
    const token = await tokenFor({ tenant: unique, scopes: ['events:write'] });
    const id = noUpload();
    const answer = await callService('ingest', token, 'GET', `/v1/uploads/${id}`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await contractLine(new RegExp(` ingest getUpload 404 GET /v1/uploads/${id} `))).toMatch(
      /Z ok ingest getUpload 404 /,
    );
  });

  test('a 4xx the document gives (no token: 401) is recorded as that operation’s 401', async () => {
    const id = noUpload();
    const response = await fetch(`${cloud.endpoints.services.ingest}/v1/uploads/${id}`);
    expect(response.status).toBe(401);
    expect(await contractLine(new RegExp(` getUpload 401 GET /v1/uploads/${id} `))).toMatch(
      /Z ok ingest getUpload 401 /,
    );
  });

  test('a route no operation has is recorded apart, not failed', async () => {
    const response = await fetch(`${cloud.endpoints.services.processing}/v1/${unique}`);
    expect(response.status).toBe(404);
    expect(await contractLine(new RegExp(` GET /v1/${unique} `))).toMatch(/Z no operation processing - 404 /);
  });

  describe('a real answer against a document that does not give it', () => {
    // Ingest's document without getUpload's 404: the service's real 404 now breaks it.
    const raw = structuredClone(loadContractDocument('ingest').raw) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    delete raw.paths['/v1/uploads/{id}']!.get!.responses['404'];
    const ledger = new ContractLedger('enforce');
    const logged: string[] = [];
    let front: HttpFront;

    beforeAll(async () => {
      front = await startHttpFront({
        service: 'ingest',
        port: 'auto',
        use: { purpose: 'a front judging with a narrower document', setting: 'none' },
        contract: frontContract(contractChecker(readContractDocument('ingest', raw)), ledger, {
          log: (line) => logged.push(line),
        }),
      });
      // In front of the shared cloud's own ingest front: the answers are the real service's.
      front.up(cloud.ports.services.ingest.http);
    });
    afterAll(() => front.stop());

    test('is answered 500 problem+json naming the operation, the status and what is wrong', async () => {
      const token = await tokenFor({ tenant: unique, scopes: ['events:write'] });
      const response = await fetch(`http://127.0.0.1:${front.port}/v1/uploads/${noUpload()}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { detail: string; upstreamStatus: number };
      expect(problem.upstreamStatus).toBe(404);
      expect(problem.detail).toMatch(
        /^response breaks the contract: getUpload 404: status 404 is not documented \(documented: 200, 400, 401/,
      );
      expect(ledger.record().violations).toEqual([
        expect.objectContaining({ operation: 'getUpload', status: 404 }),
      ]);
      expect(logged).toEqual([
        expect.stringMatching(
          /^contract: ingest GET \/v1\/uploads\/[0-9A-Z]{26}: response breaks the contract/,
        ),
      ]);
    });
  });
});
