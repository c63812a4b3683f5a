/**
 * The child of cloud-process.ts: starts the local cloud with the options it was given (JSON, its
 * one argument), reports the endpoints to its parent, answers its questions about the function
 * containers (how many, and their CPU time), and stops the cloud when told or when the parent goes away.
 */
import type { HostReport } from './cloud-process';
import { startBenchCloud, type BenchCloudOptions } from './cloud';

const options = JSON.parse(process.argv[2] ?? '{}') as BenchCloudOptions;
const send = (report: HostReport) => process.send!(report);

try {
  const cloud = await startBenchCloud(options);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= cloud.stop().finally(() => process.exit(0));
    return stopping;
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    if (message === 'containers') send({ containers: cloud.runtime.stats() });
    // Answered when read (asynchronously): the question's id goes back with it.
    if (typeof message === 'object' && message !== null && 'cpuTime' in message)
      void cloud.runtime
        .cpuTime()
        .then((cpuTime) => send({ cpuTime, id: (message as { cpuTime: number }).cpuTime }));
  });
  // The parent gone (killed, crashed): nothing would ever say stop.
  process.on('disconnect', () => void stop());
  send({ ready: true, endpoints: cloud.endpoints, keyDir: cloud.identity.keyDir });
} catch (error) {
  send({ ready: false, error: (error as Error).stack ?? String(error) });
  process.exit(1);
}
