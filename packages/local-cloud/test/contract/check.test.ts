// The contract checks against the services' own OpenAPI documents: a documented response passes, and
// each way of breaking one (status, body, Content-Type, a required header) fails naming what is wrong.
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { contractChecker, type ObservedResponse } from '../../src/contract/check';
import { findOperation, loadContractDocument, templatePattern } from '../../src/contract/document';

const ingest = contractChecker(loadContractDocument('ingest'));
const notifications = contractChecker(loadContractDocument('notifications'));

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ObservedResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});
const problem = (status: number, extra: Record<string, unknown> = {}): ObservedResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: Buffer.from(JSON.stringify({ type: 'about:blank', title: 'Not Found', status, ...extra })),
});

const violationsOf = (verdict: ReturnType<typeof ingest.check>) =>
  verdict.kind === 'checked' ? verdict.violations : ['(unmatched)'];

describe('contract checks', () => {
  test('a documented response passes, and names its operation', () => {
    const verdict = ingest.check('POST', '/v1/events', json(202, { ids: ['01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC'] }));
    expect(verdict).toMatchObject({ kind: 'checked', status: 202, violations: [] });
    expect(verdict.kind === 'checked' && verdict.operation.id).toBe('sendEvents');
    expect(violationsOf(notifications.check('GET', '/v1/subscriptions/sub_1?x=1', problem(404)))).toEqual([]);
    expect(
      violationsOf(
        notifications.check('DELETE', '/v1/subscriptions/sub_1', {
          status: 204,
          headers: {},
          body: Buffer.alloc(0),
        }),
      ),
    ).toEqual([]);
  });

  test('a compressed body is read as the client reads it', () => {
    const body = gzipSync(JSON.stringify({ ids: ['a'] }));
    const gzipped = {
      status: 202,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    };
    expect(violationsOf(ingest.check('POST', '/v1/events', gzipped))).toEqual([]);
    const broken = { ...gzipped, body: gzipSync(JSON.stringify({ id: 'a' })) };
    expect(violationsOf(ingest.check('POST', '/v1/events', broken))).toEqual([
      "body: (body) must have required property 'ids'",
    ]);
  });

  test('an undocumented status fails, listing the documented ones', () => {
    expect(violationsOf(ingest.check('POST', '/v1/events', json(200, { ids: [] })))).toEqual([
      expect.stringMatching(/^status 200 is not documented \(documented: 202, 207, 400, .*503\)$/),
    ]);
  });

  test('a body missing a required member fails, naming the member', () => {
    expect(violationsOf(ingest.check('POST', '/v1/events', json(202, { accepted: 1 })))).toEqual([
      "body: (body) must have required property 'ids'",
    ]);
    expect(violationsOf(ingest.check('POST', '/v1/events', problem(422, { title: 5 })))).toEqual([
      'body: /title must be string',
    ]);
  });

  test('a Content-Type the status does not document fails, and so does a body that is not JSON', () => {
    expect(
      violationsOf(
        ingest.check('POST', '/v1/events', json(422, { type: 'about:blank', title: 'x', status: 422 })),
      ),
    ).toEqual([
      'Content-Type application/json; charset=utf-8 is not documented (documented: application/problem+json)',
    ]);
    expect(
      violationsOf(
        ingest.check('POST', '/v1/events', {
          status: 202,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{'),
        }),
      ),
    ).toEqual(['the body is not JSON (application/json)']);
    expect(
      violationsOf(
        notifications.check('DELETE', '/v1/subscriptions/sub_1', {
          status: 204,
          headers: { 'content-type': 'text/plain' },
          body: Buffer.from('gone'),
        }),
      ),
    ).toEqual(['a body (text/plain) where none is documented']);
  });

  test('a header the document requires must be there, and a documented header must match its schema', () => {
    const created = {
      id: 'upl_1',
      uploadUrl: 'http://x',
      method: 'PUT',
      headers: {},
      expiresAt: '2026-01-01T00:00:00Z',
    };
    expect(violationsOf(ingest.check('POST', '/v1/uploads', json(201, created)))).toContain(
      'header location is required and missing',
    );
    expect(
      violationsOf(
        ingest.check('POST', '/v1/events', {
          ...problem(503),
          headers: { 'content-type': 'application/problem+json', 'retry-after': 'soon' },
        }),
      ),
    ).toEqual(['header retry-after: "soon" must match pattern "^[0-9]+$"']);
  });

  test('a request no operation matches is unmatched, not failed', () => {
    expect(ingest.check('GET', '/v1/nothing-here', problem(404))).toEqual({ kind: 'unmatched' });
    expect(ingest.check('DELETE', '/v1/events', problem(404))).toEqual({ kind: 'unmatched' });
  });

  test('serverless-offline’s own error (no correlation id, Boom’s body) is not judged as the service’s', () => {
    const boom = { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' };
    expect(ingest.check('POST', '/v1/events', json(400, boom))).toEqual({ kind: 'gateway' });
    // The same body from Herald's stack (it carries the correlation id) is judged, and breaks the document.
    expect(
      violationsOf(ingest.check('POST', '/v1/events', json(400, boom, { 'x-correlation-id': 'c' }))),
    ).toEqual([expect.stringMatching(/^Content-Type application\/json; charset=utf-8 is not documented/)]);
  });

  test('a literal path wins over a template, and a template matches one segment', () => {
    expect(templatePattern('/v1/subscriptions/{id}/pause').test('/v1/subscriptions/a/b/pause')).toBe(false);
    const processing = loadContractDocument('processing');
    expect(findOperation(processing, 'GET', '/v1/operator/dead-letters/inbound/redrive')?.id).toBe(
      'listRedriveTasks',
    );
    expect(findOperation(processing, 'GET', '/v1/events')?.id).toBe('listEvents');
  });
});
