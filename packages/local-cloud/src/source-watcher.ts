/**
 * `npm start`'s reload: when a file a service's package is built from changes (the service's own files,
 * `shared/`, the osls plugin, the shared settings, the lockfile: see packaging.ts), that service is
 * packaged again, which rebuilds the code serverless-offline and the local runtime run, and its
 * serverless-offline is reloaded beside the running one. The runtime's containers notice the rebuilt
 * modules themselves. Changes that need more than new code (a new queue, table or function, changed
 * environment variables) need a restart: the resources were provisioned at start.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';
import type { ServiceName } from './config';
import { NOT_INPUTS, notAnInputFile } from './packaging';

export interface SourceWatcherOptions {
  root: string;
  services: readonly ServiceName[];
  /** Packages the service again; resolves `false` when its inputs had not changed after all. */
  repackage(service: ServiceName): Promise<boolean>;
  reload(service: ServiceName, reason: string): Promise<void>;
  log(line: string): void;
  /** Quiet time after the last change before anything is rebuilt (an editor saves in bursts). */
  settleMs?: number;
}

export interface SourceWatcher {
  /** Settles when the rebuilds under way are done. */
  stop(): Promise<void>;
}

/** The services a changed file (relative to the repository root) is an input of. */
export function servicesAffected(path: string, services: readonly ServiceName[]): ServiceName[] {
  const parts = path.split(sep);
  if (parts.some((part) => NOT_INPUTS.has(part)) || notAnInputFile(parts[parts.length - 1]!)) return [];
  const [top, name] = parts;
  if (top === 'services') return services.filter((service) => service === name && parts.length > 2);
  const sharedByAll =
    top === 'shared' ||
    (top === 'packages' && name === 'serverless-plugin') ||
    path === 'serverless.shared.yml' ||
    path === 'package-lock.json';
  return sharedByAll ? [...services] : [];
}

export function watchSources(options: SourceWatcherOptions): SourceWatcher {
  const settleMs = options.settleMs ?? 300;
  const pending = new Set<ServiceName>();
  let timer: NodeJS.Timeout | undefined;
  let work: Promise<void> = Promise.resolve();
  let stopped = false;

  const rebuild = async (service: ServiceName): Promise<void> => {
    const began = Date.now();
    try {
      if (!(await options.repackage(service))) return;
      options.log(
        `${service}: sources changed, packaged again in ${((Date.now() - began) / 1000).toFixed(1)} s`,
      );
      if (stopped) return;
      await options.reload(service, 'sources changed');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log(
        `${service}: sources changed but it could not be rebuilt; the previous code runs on.\n` +
          message.split('\n').slice(0, 20).join('\n'),
      );
    }
  };

  const onChange = (path: string) => {
    for (const service of servicesAffected(path, options.services)) pending.add(service);
    if (pending.size === 0 || stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const services = [...pending];
      pending.clear();
      // One rebuild at a time: `serverless package` of two services at once doubles the wait for both.
      work = work.then(async () => {
        for (const service of services) if (!stopped) await rebuild(service);
      });
    }, settleMs);
  };

  const watchers: FSWatcher[] = [
    ...options.services.map((service) => join('services', service)),
    'shared',
    join('packages', 'serverless-plugin'),
  ].map((folder) =>
    watch(join(options.root, folder), { recursive: true }, (_event, file) => {
      if (file) onChange(join(folder, file.toString()));
    }),
  );
  watchers.push(
    watch(options.root, (_event, file) => {
      if (file) onChange(file.toString());
    }),
  );

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      await work;
    },
  };
}
