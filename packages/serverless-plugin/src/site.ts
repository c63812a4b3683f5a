/**
 * A static site's deploy step (`custom.herald.site`, the web console): after `serverless deploy`
 * created or updated the stack, the built folder goes to the stack's bucket, `config.json` is written
 * from the stage's values, and the distribution forgets index.html and config.json.
 *
 * Planned here, as plain data, and carried out through a port (site-aws.ts on AWS, an in-memory one in
 * the tests): which keys, with which Content-Type and Cache-Control, in which order. The local cloud's
 * console front serves with the same content types and caching (contentType, cacheControl).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface SiteDeclaration {
  /** The built site, relative to the service's folder (`dist`). */
  dist: string;
  /** Logical ids of the stack's bucket and CloudFront distribution. */
  bucket: string;
  distribution: string;
  /** Written to `config.json` (replacing any in the build): what the app reads at start. */
  config?: Record<string, unknown>;
}

export const siteSchema = {
  type: 'object',
  properties: {
    dist: { type: 'string', minLength: 1 },
    bucket: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
    distribution: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
    config: { type: 'object' },
  },
  required: ['dist', 'bucket', 'distribution'],
  additionalProperties: false,
};

export interface SiteObject {
  key: string;
  body: Uint8Array;
  contentType: string;
  cacheControl: string;
}

/** What the deploy step needs of AWS: put an object in the site's bucket, invalidate paths. */
export interface SitePort {
  put(object: SiteObject): Promise<void>;
  invalidate(paths: readonly string[]): Promise<void>;
}

/** Files a browser must fetch again at every visit: they name everything else. */
export const ENTRY_FILES = ['index.html', 'config.json'] as const;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Vite's output names: `assets/<name>-<hash>.<ext>`, the hash 8 characters of base64url. Such a file
 * never changes under its name, so it is cached for a year; anything else is revalidated each time.
 */
export function isHashedAsset(key: string): boolean {
  return /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(key);
}

export function cacheControl(key: string): string {
  return isHashedAsset(key) ? IMMUTABLE : REVALIDATE;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

export function contentType(key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export interface SitePlan {
  /** In upload order: every other file first, then index.html and config.json, so a new index.html
   * never names a chunk not yet uploaded. */
  objects: SiteObject[];
  invalidate: string[];
}

/** The plan for a built site's files (key: path under the folder, with slashes). */
export function sitePlan(files: ReadonlyMap<string, Uint8Array>, config?: Record<string, unknown>): SitePlan {
  const object = (key: string, body: Uint8Array): SiteObject => ({
    key,
    body,
    contentType: contentType(key),
    cacheControl: cacheControl(key),
  });
  if (!files.has('index.html')) throw new Error('the built site has no index.html: build it first');
  const entries = new Map(files);
  if (config) entries.set('config.json', new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`));
  const keys = [...entries.keys()].sort();
  const entry = (key: string) => (ENTRY_FILES as readonly string[]).includes(key);
  return {
    objects: [
      ...keys.filter((key) => !entry(key)).map((key) => object(key, entries.get(key)!)),
      ...ENTRY_FILES.filter((key) => entries.has(key)).map((key) => object(key, entries.get(key)!)),
    ],
    invalidate: ENTRY_FILES.filter((key) => entries.has(key)).map((key) => `/${key}`),
  };
}

/** Every file under a folder, by its key (relative path with slashes). */
export async function readSite(dir: string): Promise<Map<string, Uint8Array>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new Error(`${dir} does not exist: build the site first`);
      throw error;
    },
  );
  const files = new Map<string, Uint8Array>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  return files;
}

/**
 * Uploads the plan's objects (the hashed files side by side, then index.html and config.json), then
 * invalidates; resolves with the plan it carried out.
 */
export async function deploySite(
  dir: string,
  declaration: Pick<SiteDeclaration, 'config'>,
  port: SitePort,
): Promise<SitePlan> {
  const plan = sitePlan(await readSite(dir), declaration.config);
  const entry = (object: SiteObject) => (ENTRY_FILES as readonly string[]).includes(object.key);
  await Promise.all(plan.objects.filter((object) => !entry(object)).map((object) => port.put(object)));
  for (const object of plan.objects.filter(entry)) await port.put(object);
  await port.invalidate(plan.invalidate);
  return plan;
}
