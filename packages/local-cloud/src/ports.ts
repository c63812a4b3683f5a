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
