/**
 * What the local cloud's HTTP front (the proxy on each service's public port, which answers 503 while
 * the watchdog restarts serverless-offline) adds to a request: the same request sent straight to the
 * upstream and through the front, one after the other, alternating, on kept-alive connections.
 *
 *   npx tsx scripts/bench/http-front.ts [--requests 500] [--upstream both|stand-in|cloud]
 *
 * stand-in: a plain node:http server answering a small JSON body (the front's own cost, nothing else);
 * cloud: ingest's serverless-offline on a local cloud, POST /v1/events without a token (the function
 * runs and answers 401), straight to its internal port vs through the front.
 */
import { Agent, createServer, request } from 'node:http';
import { parseArgs } from 'node:util';
import { startHttpFront } from '@herald/local-cloud';
import { startBenchCloud } from './lib/cloud';
import { figure } from './lib/figures';
import { percentile } from './lib/stats';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    upstream: { type: 'string', default: 'both' },
  },
});
const requests = Number(values.requests);

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function timed(port: number, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const out = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(performance.now() - started));
      },
    );
    out.once('error', reject);
    out.end(body);
  });
}

async function compare(
  label: string,
  direct: number,
  front: number,
  method: string,
  path: string,
  body?: string,
): Promise<void> {
  // Warm both paths (connections, JIT, the function's container) before measuring.
  for (let i = 0; i < 20; i++) {
    await timed(direct, method, path, body);
    await timed(front, method, path, body);
  }
  const straight: number[] = [];
  const through: number[] = [];
  for (let i = 0; i < requests; i++) {
    // Alternating, so the machine's load drifts over both alike.
    straight.push(await timed(direct, method, path, body));
    through.push(await timed(front, method, path, body));
  }
  const fmt = (ms: number) => ms.toFixed(2);
  const p = (values: number[], q: number) => percentile(values, q);
  console.log(
    `${label}: ${requests} requests each way\n` +
      `  direct        p50 ${fmt(p(straight, 50))} ms, p99 ${fmt(p(straight, 99))} ms\n` +
      `  through front p50 ${fmt(p(through, 50))} ms, p99 ${fmt(p(through, 99))} ms\n` +
      `  added         p50 ${fmt(p(through, 50) - p(straight, 50))} ms, p99 ${fmt(p(through, 99) - p(straight, 99))} ms`,
  );
  for (const q of [50, 99])
    figure({
      figure: `HTTP front, ${label}: p${q} through the front`,
      value: Number(p(through, q).toFixed(2)),
      unit: 'ms',
      baseline: { value: Number(p(straight, q).toFixed(2)), label: 'direct' },
    });
}

if (values.upstream === 'both' || values.upstream === 'stand-in') {
  const upstream = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as { port: number }).port;
  const front = await startHttpFront({
    service: 'stand-in',
    port: 'auto',
    use: { purpose: 'bench', setting: 'none' },
  });
  front.up(upstreamPort);
  await compare('stand-in upstream', upstreamPort, front.port, 'POST', '/v1/events', '{"type":"x"}');
  await front.stop();
  upstream.closeAllConnections();
  upstream.close();
}

if (values.upstream === 'both' || values.upstream === 'cloud') {
  const cloud = await startBenchCloud({ logDir: '.local-cloud/bench-logs/http-front' });
  try {
    const internal = cloud.status().ingest.httpPort!;
    await compare(
      'ingest on serverless-offline (401)',
      internal,
      cloud.ports.services.ingest.http,
      'POST',
      '/v1/events',
      '{"type":"order.created","data":{}}',
    );
  } finally {
    await cloud.stop();
  }
}
agent.destroy();
