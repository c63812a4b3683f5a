import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { forward, formatForwarded } from '../src/commands/listen';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const payload = Buffer.from(
  JSON.stringify({ id: 'evt_1', type: 'order.created', timestamp: '2026-12-01T00:00:00Z', data: {} }),
);

function signed(at = new Date()): IncomingHttpHeaders {
  const id = 'msg_1';
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, payload.toString('utf8')),
  };
}

describe('listen forwards a verified delivery', () => {
  let target: Server;
  let url: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  beforeAll(async () => {
    target = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(received.length === 1 ? 204 : 500).end();
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(target.address() as { port: number }).port}/webhooks`;
  });
  afterAll(() => new Promise((resolve) => target.close(resolve)));

  test('with its body and signature headers, answering with the target’s status', async () => {
    const headers = signed();
    const first = await forward(new Webhook(secret), url, headers, payload);
    expect(first.status).toBe(204);
    expect(first.line).toMatchObject({ type: 'order.created', id: 'evt_1', verified: true, status: 204 });
    expect(received[0]!.body).toBe(payload.toString('utf8'));
    expect(received[0]!.headers['webhook-signature']).toBe(headers['webhook-signature']);
    expect(formatForwarded(first.line)).toMatch(/^\S+Z {2}order\.created {2}evt_1 {2}-> 204 {2}\d+ ms$/);
    expect((await forward(new Webhook(secret), url, signed(), payload)).status).toBe(500);
  });

  test('a delivery signed with another secret is answered 401 and not forwarded', async () => {
    const before = received.length;
    const other = await forward(
      new Webhook('whsec_' + Buffer.from('another secret!!').toString('base64')),
      url,
      signed(),
      payload,
    );
    expect(other.status).toBe(401);
    expect(other.line.verified).toBe(false);
    expect(received).toHaveLength(before);
  });

  test('a target that does not answer is a 502 to Herald', async () => {
    const gone = await forward(new Webhook(secret), 'http://127.0.0.1:1/', signed(), payload);
    expect(gone.status).toBe(502);
    expect(gone.line.error).toBeDefined();
  });
});
