/**
 * Writes the OpenAPI 3.1 documents into openapi/: one per service (each deploys on its own) and
 * herald.openapi.json, all in one for users.
 *
 *   npm run openapi            write them, and @herald/client's types made from the merged one
 *   npm run openapi:check      fail if a committed one (or those types) is missing or differs from
 *                              what the sources give (CI)
 *   npm run openapi:lint       Redocly's recommended rules (openapi/redocly.yaml)
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { mergedDocument, serviceDocument, type Document } from './document';
import { writeClientTypes } from './client-types';
import { readService } from './serverless-routes';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVICES = ['ingest', 'processing', 'notifications', 'tenants'] as const;
export const OUTPUT_DIRECTORY = 'openapi';
export const MERGED = 'herald';

const MERGED_DESCRIPTION =
  'Herald takes events over HTTPS (ingest), stores each once (processing) and delivers them to subscribers as signed webhooks and e-mail (notifications); tenants, their settings and API keys belong to the tenants service. Each service has its own URL: every path here names the servers of the service that serves it.';

/** Every document, by name (`ingest`, …, `herald`). */
export async function buildDocuments(root: string): Promise<Map<string, Document>> {
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const documents = new Map<string, Document>();
  for (const name of SERVICES) {
    documents.set(name, await serviceDocument(root, await readService(root, name), version));
  }
  documents.set(MERGED, mergedDocument([...documents.values()], MERGED_DESCRIPTION, version));
  return documents;
}

export const documentPath = (root: string, name: string) =>
  join(root, OUTPUT_DIRECTORY, `${name}.openapi.json`);

/** The file's text: JSON as Prettier formats it, so `npm run lint` and the check agree. */
export async function documentText(path: string, document: Document): Promise<string> {
  return format(JSON.stringify(document), { ...(await resolveConfig(path)), filepath: path });
}

/**
 * Writes the documents built from the sources under `root` into `outputRoot`/openapi, or with `check`
 * only lists the ones that are missing or differ.
 */
export async function writeDocuments(root: string, check: boolean, outputRoot = root): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, document] of await buildDocuments(root)) {
    const path = documentPath(outputRoot, name);
    const text = await documentText(path, document);
    if ((await readFile(path, 'utf8').catch(() => undefined)) === text) continue;
    stale.push(`${OUTPUT_DIRECTORY}/${name}.openapi.json`);
    if (!check) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
  }
  return stale;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale = await writeDocuments(repositoryRoot, check);
  const merged = (await buildDocuments(repositoryRoot)).get(MERGED)!;
  stale.push(...(await writeClientTypes(merged, check, repositoryRoot)));
  if (check && stale.length > 0) {
    console.error(
      `Stale or missing OpenAPI documents or client types (run \`npm run openapi\`):\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(check ? 'OpenAPI documents are current' : `${stale.length} OpenAPI document(s) written`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
