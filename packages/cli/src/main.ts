/** The `herald` program: the process's streams, environment and signals given to the commands. */
import { run } from './cli';
import { COMMANDS } from './commands';

export async function main(argv: readonly string[]): Promise<number> {
  // Signals are caught only by the commands that wait for them (listen, tail): Ctrl-C during any
  // other command ends the process as usual.
  let stopped: Promise<string> | undefined;
  const whenStopped = () =>
    (stopped ??= new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    }));
  return run(COMMANDS, argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stopped: whenStopped,
  });
}
