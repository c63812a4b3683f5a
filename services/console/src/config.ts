/**
 * The console's runtime configuration, fetched at boot from `/config.json` on its own origin: the
 * same built files serve every stage, and the deploy step (or the local cloud) writes the file.
 */
export interface ConsoleConfig {
  /** The OpenID Connect issuer; its discovery document gives the endpoints. */
  issuer: string;
  clientId: string;
  scopes: string[];
  /**
   * Each service's API; `tenants` (API keys, audit log, tenant settings, operators' tenants) may be
   * absent in a config.json older than it, and the pages it serves are then not offered.
   */
  apis: { ingest: string; processing: string; notifications: string; tenants?: string };
  /** The access token's claim naming the tenant: the APIs' AUTH_TENANT_CLAIM, `tenant` by default. */
  tenantClaim: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function absoluteUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || !URL.canParse(value))
    throw new Error(`config.json: ${name} must be a URL`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`config.json: ${name} must be an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/** Checks what /config.json holds: a broken file is reported on the page, not as a later failure. */
export function parseConfig(json: unknown): ConsoleConfig {
  if (!isRecord(json)) throw new Error('config.json must hold a JSON object');
  const { issuer, clientId, scopes, apis, tenantClaim = 'tenant' } = json;
  if (typeof clientId !== 'string' || clientId === '')
    throw new Error('config.json: clientId must be a string');
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))
    throw new Error('config.json: scopes must be a list of strings');
  if (typeof tenantClaim !== 'string' || tenantClaim === '')
    throw new Error('config.json: tenantClaim must be a string');
  if (!isRecord(apis)) throw new Error('config.json: apis must name each service URL');
  return {
    issuer: absoluteUrl(issuer, 'issuer'),
    clientId,
    scopes: [...scopes],
    apis: {
      ingest: absoluteUrl(apis.ingest, 'apis.ingest'),
      processing: absoluteUrl(apis.processing, 'apis.processing'),
      notifications: absoluteUrl(apis.notifications, 'apis.notifications'),
      ...(apis.tenants === undefined ? {} : { tenants: absoluteUrl(apis.tenants, 'apis.tenants') }),
    },
    tenantClaim,
  };
}

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<ConsoleConfig> {
  // no-store: a deploy that changes the file must reach the next page load.
  const response = await fetchFn('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  return parseConfig(await response.json());
}
