/**
 * Each service's HTTP API answers a browser's CORS preflight for the local stage's allowed origin
 * (the console's Vite dev server, services/<name>/serverless.yml `allowedOrigins`) and for no other,
 * through the local cloud's HTTP front as a browser reaches it.
 */
import { describe, expect, test } from '@jest/globals';
import { localCloud } from '../setup/local-cloud';

const ALLOWED = 'http://localhost:5173';
const routes = [
  ['ingest', 'POST', '/v1/events'],
  ['processing', 'GET', '/v1/events'],
  ['notifications', 'PATCH', '/v1/subscriptions/sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC'],
] as const;

const preflight = (service: (typeof routes)[number][0], method: string, path: string, origin: string) =>
  fetch(`${localCloud().endpoints.services[service]}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,content-type,idempotency-key',
    },
  });

describe('CORS preflight', () => {
  test.each(routes)(
    '%s %s %s: the allowed origin is echoed with what the client sends and reads',
    async (service, method, path) => {
      const answer = await preflight(service, method, path, ALLOWED);
      expect(answer.status).toBeLessThan(300);
      expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      const allowedHeaders =
        answer.headers.get('access-control-allow-headers')?.toLowerCase().split(',') ?? [];
      expect(allowedHeaders).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
      );
      expect(answer.headers.get('access-control-allow-methods')?.split(',')).toContain(method);
      expect(answer.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    },
  );

  test.each(routes)('%s %s %s: any other origin gets no CORS answer', async (service, method, path) => {
    for (const origin of ['https://evil.example.com', 'http://localhost:5174']) {
      const answer = await preflight(service, method, path, origin);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('CORS on the requests themselves', () => {
  // serverless-offline echoes any origin on an actual request; API Gateway (and so the local cloud's
  // front) answers CORS headers to allowed origins alone, so no other page can read an answer.
  test.each(routes)(
    "%s %s %s: only the allowed origin is told it may read the answer (the function's 401 here)",
    async (service, method, path) => {
      const send = (origin: string) =>
        fetch(`${localCloud().endpoints.services[service]}${path}`, {
          method,
          // A token the function refuses: its answer, with CORS headers. (API Gateway's own 401, to a
          // request without the header, has none: HTTP APIs add CORS headers to an integration's answers.)
          headers: { origin, 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
      const allowed = await send(ALLOWED);
      expect(allowed.status).toBe(401);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      for (const origin of ['https://evil.example.com', 'http://localhost:5174']) {
        const answer = await send(origin);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
    },
  );
});
