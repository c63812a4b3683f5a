import { createServer, type Server } from 'node:net';

/** Thrown when a configured port is taken: it names the port and how to choose another. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly setting: string,
  ) {
    super(
      `Port ${port} (${purpose}) is already in use. Stop whatever holds it, or choose another port: ${setting}=<port> (or HERALD_PORTS=auto for free ports).`,
    );
  }
}

/** What a port is for and the setting that chooses another, as a PortInUseError names them. */
export interface PortUse {
  purpose: string;
  setting: string;
}

/**
 * Binds `server` on loopback and resolves with the port actually bound ('auto' lets the OS pick one, so there
 * is no race between choosing and binding). A taken fixed port fails with PortInUseError.
 */
export function listenOnLoopback(server: Server, port: number | 'auto', use: PortUse): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' && port !== 'auto'
          ? new PortInUseError(port, use.purpose, use.setting)
          : error,
      ),
    );
    server.listen(port === 'auto' ? 0 : port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : Number(port));
    });
  });
}

/** A port the OS says is free right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves when `port` can be bound on loopback, rejects with PortInUseError when it cannot. */
export function assertPortFree(port: number, use: PortUse): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, use.purpose, use.setting) : error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Waits until something accepts TCP connections on the port, or fails after `timeoutMs`. */
export async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not start listening on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts in 'auto' mode when a port chosen free was taken before it was bound, at most this often. */
export const AUTO_PORT_STARTS = 3;

/**
 * Runs `start` (which must undo what it started when it fails), again on fresh ports when a port
 * chosen free was taken before it was bound: free ports are chosen before anything binds them (every
 * template and part needs them known up front), so in 'auto' mode another process may take one in
 * between. A fixed port that is taken is the user's to change, and fails at once.
 */
export async function startAgainOnTakenPort<T>(
  start: () => Promise<T>,
  mode: 'auto' | 'fixed',
  log: (line: string) => void = () => undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (mode !== 'auto' || !(error instanceof PortInUseError) || attempt >= AUTO_PORT_STARTS) throw error;
      log(`port ${error.port} (${error.purpose}) was taken meanwhile: starting again on other free ports`);
    }
  }
}
