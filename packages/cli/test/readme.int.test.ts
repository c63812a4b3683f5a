/**
 * The root README's quickstart, run as it is printed, and its "Receiving webhooks" snippet as the
 * app the quickstart forwards to: both are read from README.md, between their HTML-comment markers,
 * so neither can drift from what runs. `npm start` is the one command not run: the test suite's
 * local cloud (the same cloud on free ports) is already up, and the CLI is pointed at it through
 * HERALD_*_URL and HERALD_TOKEN, the settings the quickstart's export stands for.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, tokenFor } from '../../../test/setup/local-cloud';
import { herald, heraldEnv, repositoryRoot, start } from './run-herald';

jest.setTimeout(120_000);

/** The fenced block between `<!-- name -->` and `<!-- /name -->` in README.md. */
async function readmeBlock(name: string): Promise<string> {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const block = new RegExp(`<!-- ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${name} -->`).exec(
    readme,
  );
  if (!block) throw new Error(`README.md has no <!-- ${name} --> block`);
  return block[1]!;
}

/** A shell line's words, without its comment; quotes as the shell reads them (single quotes only). */
function words(line: string): string[] {
  const code = line.replace(/\s+#.*$/, '').trim();
  return [...code.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('README quickstart', () => {
  let env: NodeJS.ProcessEnv;
  let token: string;
  const running: Array<ReturnType<typeof start>> = [];

  beforeAll(async () => {
    const tenant = `quickstart-${randomBytes(6).toString('hex')}`;
    token = await tokenFor({
      tenant,
      scopes: ['events:write', 'events:read', 'subscriptions:read', 'subscriptions:write'],
    });
    env = heraldEnv(token);
    delete env.HERALD_TOKEN; // the quickstart's export sets it
  });

  afterAll(async () => {
    for (const each of running) each.kill();
  });

  test('its commands, as printed, deliver a verified webhook to the README’s receiver; Ctrl-C removes the subscription', async () => {
    const lines = (await readmeBlock('quickstart')).split('\n').filter((line) => line.trim() !== '');
    const [startLine, exportLine, listenLine, sendLine] = lines.map(words);
    expect(lines).toHaveLength(4);
    expect(startLine).toEqual(['npm', 'start']);
    expect(exportLine![0]).toBe('export');
    expect(exportLine![1]).toMatch(/^HERALD_TOKEN=/);
    env.HERALD_TOKEN = token;

    // herald listen, as printed; only where it forwards is this test's own app, the README's receiver.
    const [listenCommand, ...listenArgs] = listenLine!;
    expect([listenCommand, listenArgs[0], listenArgs[1]]).toEqual(['npx', 'herald', 'listen']);
    const printedTarget = new URL(listenArgs[listenArgs.indexOf('--forward-to') + 1]!);
    const appPort = await freePort();
    const target = `http://localhost:${appPort}${printedTarget.pathname}`;
    const listen = start(
      listenCommand!,
      listenArgs.map((arg) => (arg === printedTarget.href ? target : arg)),
      env,
    );
    running.push(listen);
    const [, subscription, secret] = (await listen.waitFor(
      /subscription (sub_\S+), signing secret (whsec_\S+)\)/,
      'stderr',
    ))!;

    // The README's receiver, as printed, with the secret listen printed.
    const app = start(
      process.execPath,
      ['--input-type=module', '-e', await readmeBlock('receiving-webhooks')],
      { ...process.env, HERALD_WEBHOOK_SECRET: secret, PORT: String(appPort) },
      join(repositoryRoot, 'packages', 'cli'),
    );
    running.push(app);
    await eventually(
      () =>
        fetch(`http://localhost:${appPort}/`, { method: 'POST', body: '{}' }).then(
          () => true,
          () => undefined,
        ),
      20_000,
      'the receiver listening',
    );

    // It refuses what is not signed with the secret: a forged delivery is answered 401, not printed.
    const forged = await fetch(`http://localhost:${appPort}/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl',
      },
      body: JSON.stringify({
        id: 'forged',
        type: 'order.created',
        timestamp: new Date().toISOString(),
        data: {},
      }),
    });
    expect(forged.status).toBe(401);

    const [sendCommand, ...sendArgs] = sendLine!;
    expect([sendCommand, sendArgs[0], sendArgs[1], sendArgs[2]]).toEqual(['npx', 'herald', 'events', 'send']);
    const sent = await herald(sendArgs.slice(1), env);
    expect(sent.code).toBe(0);
    const eventId = /accepted\s+(\S+)/.exec(sent.stdout)![1]!;
    const eventType = JSON.parse(sendArgs[3]!).type as string;

    // The app verified the signature (it prints only then), and listen saw the app's 204.
    expect(app.output.stdout).not.toContain('forged');
    await app.waitFor(
      new RegExp(`^verified ${eventType.replace('.', '\\.')} ${eventId}$`, 'm'),
      'stdout',
      60_000,
    );
    await listen.waitFor(
      new RegExp(`\\s${eventType.replace('.', '\\.')}\\s+${eventId}\\s+-> 204\\s+\\d+ ms$`, 'm'),
      'stdout',
    );

    // Ctrl-C in listen's terminal: npx passes it on, and ends as herald ends, once it has cleaned up.
    listen.interrupt();
    await listen.exited;
    expect(listen.output.stderr).toContain(`SIGINT: deleted subscription ${subscription}`);
    const left = await herald(['subscriptions', 'list', '--json'], env);
    expect(left).toMatchObject({ code: 0, stdout: '' });
  });
});
