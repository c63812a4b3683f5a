/**
 * Integration and end-to-end tests share one local cloud, on free ports, started once for the run.
 * Tests find it through HERALD_LOCAL_CLOUD (see ./local-cloud.ts).
 *
 * Plain ESM loading the TypeScript through tsx: Jest's global setup cannot load ESM-only packages
 * (fauxqs) through its own CommonJS transform.
 */
import { createServer } from 'node:net';
import { tsImport } from 'tsx/esm/api';

/** A port free now, for `herald listen` in the CLI's tests: the local cloud must allow it up front. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  const started = Date.now();
  const { startLocalCloud } = await tsImport('@herald/local-cloud', import.meta.url);
  const listenPort = await freePort();
  const cloud = await startLocalCloud({
    ports: 'auto',
    logDir: '.local-cloud/test-logs',
    webhookPorts: [listenPort],
  });
  // Read by `herald listen` run by the tests (and by nothing else).
  process.env.HERALD_LISTEN_PORT = String(listenPort);
  globalThis.heraldLocalCloud = cloud;
  process.env.HERALD_LOCAL_CLOUD = JSON.stringify({
    endpoints: cloud.endpoints,
    outputs: cloud.outputs,
    awsEnv: cloud.awsEnv,
    ports: cloud.ports,
    identityKeyDir: cloud.identity.keyDir,
    envelopeSigningKey: cloud.envelopeSigningKey,
  });
  console.log(`\nlocal cloud up in ${Date.now() - started} ms (logs: ${cloud.logDir})`);
}
