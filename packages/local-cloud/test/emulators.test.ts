// DynamoDB Local is told its port before it binds it, and a JVM takes seconds to start: a port chosen
// free can be taken meanwhile by another process, which then answers in its place. The local cloud
// checks that DynamoDB answers, and starts again on other ports when not.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from '@jest/globals';
import { answersAsDynamoDb, startDynamoDb } from '../src/emulators';
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
