/**
 * The ExternalId Herald assumes a tenant's destination roles with: made by Herald, random, once per
 * tenant, and never chosen by the tenant. A role's trust policy that requires it (`sts:ExternalId`)
 * can be assumed by Herald only on behalf of that tenant, so another tenant naming the same role ARN
 * gets AccessDenied (the confused-deputy problem, IAM User Guide "The confused deputy problem").
 */
import { randomBytes } from 'node:crypto';

export const EXTERNAL_ID_PREFIX = 'herald-';
const EXTERNAL_ID_BYTES = 24;

/** Where a tenant's ExternalId is kept (one item per tenant, written once). */
export interface ExternalIdStore {
  get(tenantId: string): Promise<string | undefined>;
  /** Writes it unless the tenant has one already; false when it had (then read that one). */
  putIfAbsent(tenantId: string, externalId: string): Promise<boolean>;
}

export function newExternalId(random: (size: number) => Uint8Array = randomBytes): string {
  return `${EXTERNAL_ID_PREFIX}${Buffer.from(random(EXTERNAL_ID_BYTES)).toString('base64url')}`;
}

/**
 * The tenant's ExternalId, made on first use. Two first uses at once both try to write theirs; the
 * conditional write keeps one, and the loser reads it, so every caller sees the same value.
 */
export async function tenantExternalId(
  tenantId: string,
  store: ExternalIdStore,
  random?: (size: number) => Uint8Array,
): Promise<string> {
  const existing = await store.get(tenantId);
  if (existing !== undefined) return existing;
  const made = newExternalId(random);
  if (await store.putIfAbsent(tenantId, made)) return made;
  const kept = await store.get(tenantId);
  if (kept === undefined)
    throw new Error('The tenant’s ExternalId was written by another request but cannot be read');
  return kept;
}

/**
 * GET /v1/destinations/external-id: what the tenant's roles must name (the ExternalId made on first
 * read), and the Herald roles their trust policy lets assume them.
 */
export async function destinationExternalIdView(
  tenantId: string,
  store: ExternalIdStore,
  rolePathPrefix: string,
  principals: readonly string[] = [],
): Promise<{ externalId: string; rolePath: string; principals?: string[] }> {
  return {
    externalId: await tenantExternalId(tenantId, store),
    rolePath: `/${rolePathPrefix}/`,
    ...(principals.length > 0 ? { principals: [...principals] } : {}),
  };
}
