/**
 * The API reference, rendered: openapi/herald.openapi.json as one static HTML page (Redoc, through
 * @redocly/cli `build-docs`) in .local-cloud/reference/, served by each service's front at `/docs`.
 *
 * build-docs prerenders the page and hydrates it with Redoc's standalone bundle from Redocly's CDN;
 * the page here loads the same bundle (the copy @redocly/cli ships) from `/docs/`, so it needs no
 * internet. Built when missing or older than the document (a second or two), not committed: it is
 * 2.6 MB, and the document it renders is.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { repositoryRoot } from './repository';

export const REFERENCE_PATH = '/docs';
export const REFERENCE_DIR = join(repositoryRoot, '.local-cloud', 'reference');
const DOCUMENT = join(repositoryRoot, 'openapi', 'herald.openapi.json');
const BUNDLE = 'redoc.standalone.js';

const cli = () => createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
/** The standalone bundle build-docs' page imports, as @redocly/cli ships it. */
const bundlePath = () => join(dirname(cli()), '..', 'lib', 'chunks', BUNDLE);

/** What of a page would be fetched from elsewhere: a script, module or stylesheet with an absolute URL. */
export function remoteAssets(html: string): string[] {
  const found = [
    ...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)=["']((?:https?:)?\/\/[^"']+)["']/gi),
    ...html.matchAll(/\bimport\b[^'"()]*?(?:from\s*)?\(?\s*["']((?:https?:)?\/\/[^"']+)["']/g),
  ];
  return found.map((match) => match[1]!);
}

/** build-docs' page, with Redoc's bundle taken from beside it instead of the CDN. */
export function withLocalBundle(html: string): string {
  return html
    .replace(
      /https:\/\/cdn\.redocly\.com\/redoc\/[^"']+\/redoc\.standalone\.js/g,
      `${REFERENCE_PATH}/${BUNDLE}`,
    )
    .replace(/\s*integrity="[^"]*"\s*crossorigin="anonymous"/g, '');
}

async function run(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [cli(), ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_TELEMETRY: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`redocly ${args.join(' ')} exited ${code}:\n${output}`);
}

/**
 * Writes the reference into `dir` (index.html and the bundle) unless it is newer than the document;
 * true when it built. Fails when the page would still fetch anything from elsewhere.
 */
export async function buildReference(
  dir = REFERENCE_DIR,
  options: { force?: boolean } = {},
): Promise<boolean> {
  const index = join(dir, 'index.html');
  const built = await stat(index).catch(() => undefined);
  if (!options.force && built && built.mtimeMs >= (await stat(DOCUMENT)).mtimeMs) return false;
  await mkdir(dir, { recursive: true });
  const raw = join(dir, 'build-docs.html');
  await run(['build-docs', DOCUMENT, '--output', raw]);
  const html = withLocalBundle(await readFile(raw, 'utf8'));
  await rm(raw);
  const remote = remoteAssets(html);
  if (remote.length > 0)
    throw new Error(`The API reference would fetch from elsewhere: ${remote.join(', ')}`);
  await copyFile(bundlePath(), join(dir, BUNDLE));
  // Written aside then renamed: a front serving the page never reads half of it.
  await writeFile(`${index}.tmp`, html);
  await rename(`${index}.tmp`, index);
  return true;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  [BUNDLE]: 'text/javascript; charset=utf-8',
};

/**
 * Answers a GET or HEAD of `/docs` (or a file of it) from `dir`; false for any other request, which
 * is the service's. 404 problem when the reference was not built.
 */
export function serveReference(dir = REFERENCE_DIR) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== REFERENCE_PATH && !path.startsWith(`${REFERENCE_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file =
      path === REFERENCE_PATH || path === `${REFERENCE_PATH}/`
        ? 'index.html'
        : path.slice(REFERENCE_PATH.length + 1);
    const type = TYPES[file];
    if (!type) return false;
    req.resume();
    void readFile(join(dir, file)).then(
      (body) => {
        res.writeHead(200, {
          'content-type': type,
          'content-length': body.length,
          'cache-control': 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        const body = JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'The API reference is not built: run `npm run docs:build`.',
        });
        res.writeHead(404, {
          'content-type': 'application/problem+json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    );
    return true;
  };
}
