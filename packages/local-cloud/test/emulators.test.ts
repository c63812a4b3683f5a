// DynamoDB Local is told its port before it binds it, and a JVM takes seconds to start: a port chosen
// free can be taken meanwhile by another process, which then answers in its place. The local cloud
// checks that DynamoDB answers, and starts again on other ports when not.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from '@jest/globals';
import { answersAsDynamoDb, startDynamoDb, startDynamoDbOnFreePort } from '../src/emulators';
import { freePort, PortInUseError } from '../src/ports';

let server: Server | undefined;

function serve(body: string): Promise<number> {
  server = createServer((_, response) => response.writeHead(400).end(body));
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
  );
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('answersAsDynamoDb', () => {
  test("DynamoDB's own refusal of an unsigned call is DynamoDB", async () => {
    const port = await serve(
      '{"__type":"com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken","Message":"..."}',
    );
    expect(await answersAsDynamoDb(port)).toBe(true);
  });

  test('another server on the port is not, nor a port where nothing listens', async () => {
    expect(await answersAsDynamoDb(await serve('<html>Not Found</html>'))).toBe(false);
    expect(await answersAsDynamoDb(await freePort())).toBe(false);
  });
});

describe('startDynamoDb', () => {
  test('a port another process took first is PortInUseError (the local cloud then starts again on other ports)', async () => {
    const port = await serve('{"__type":"com.example#Other"}');
    const start = startDynamoDb(port);
    await expect(start).rejects.toBeInstanceOf(PortInUseError);
    await expect(start).rejects.toThrow(`Port ${port} (DynamoDB Local)`);
  }, 60_000);

  test('on a free port it answers as DynamoDB', async () => {
    const port = await freePort();
    const child = await startDynamoDb(port);
    try {
      expect(await answersAsDynamoDb(port)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('startDynamoDbOnFreePort', () => {
  const child = {} as ChildProcess;
  const ports = (...list: number[]) => {
    const picked = [...list];
    return async () => picked.shift()!;
  };

  test('a port taken while the JVM started is given up for another free one', async () => {
    const tried: number[] = [];
    const start = async (port: number) => {
      tried.push(port);
      if (port === 4001) throw new PortInUseError(port, 'DynamoDB Local', 'HERALD_PORT_DYNAMODB');
      if (port === 4002)
        throw new Error('DynamoDB Local exited (code 1): java.net.BindException: Address already in use');
      return child;
    };
    await expect(startDynamoDbOnFreePort(start, ports(4001, 4002, 4003))).resolves.toEqual({
      child,
      port: 4003,
    });
    expect(tried).toEqual([4001, 4002, 4003]);
  });

  test('any other failure is not retried, and a port taken three times in a row is the error', async () => {
    const broken = async () => {
      throw new Error('java: not found');
    };
    await expect(startDynamoDbOnFreePort(broken, ports(4001, 4002))).rejects.toThrow('java: not found');
    const taken = async (port: number): Promise<ChildProcess> => {
      throw new PortInUseError(port, 'DynamoDB Local', 'HERALD_PORT_DYNAMODB');
    };
    await expect(startDynamoDbOnFreePort(taken, ports(4001, 4002, 4003, 4004))).rejects.toThrow('Port 4003');
  });
});
