/**
 * Where the CLI sends requests and with which token: flags first, then the environment, then the
 * profile file, then the local cloud's fixed ports (npm start), so a newcomer needs only a token.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName } from '@herald/client';
import { UsageError } from './exit-codes';

export const SERVICE_NAMES: readonly ServiceName[] = ['ingest', 'processing', 'notifications', 'tenants'];

/** npm start's fixed ports (packages/local-cloud's defaults). */
export const LOCAL_URLS: Record<ServiceName, string> = {
  ingest: 'http://localhost:4000',
  processing: 'http://localhost:4010',
  notifications: 'http://localhost:4020',
  tenants: 'http://localhost:4030',
};

/** One profile of the profile file: a base URL for all four, per-service URLs, a token. */
export interface Profile {
  url?: string;
  ingestUrl?: string;
  processingUrl?: string;
  notificationsUrl?: string;
  tenantsUrl?: string;
  token?: string;
}

export interface ProfileFile {
  profiles?: Record<string, Profile>;
}

export interface ConfigFlags extends Profile {
  profile?: string;
}

export interface ResolvedConfig {
  baseUrls: Record<ServiceName, string>;
  token?: string;
  /** The profile read, when the file had it. */
  profile?: string;
}

type Env = Record<string, string | undefined>;

/** The profile file: --config, $HERALD_CONFIG, else $XDG_CONFIG_HOME/herald or ~/.config/herald. */
export function profileFilePath(env: Env, flag?: string): string {
  if (flag) return flag;
  if (env.HERALD_CONFIG) return env.HERALD_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'herald', 'config.json');
}

/** The profile file's contents, or none when it does not exist. */
export async function readProfileFile(path: string): Promise<ProfileFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the profile file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as ProfileFile;
  } catch (error) {
    throw new UsageError(`the profile file ${path} is not JSON: ${(error as Error).message}`);
  }
}

const urlKey = (service: ServiceName) => `${service}Url` as const;
const envUrl = (service: ServiceName) => `HERALD_${service.toUpperCase()}_URL`;
const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export function resolveConfig(flags: ConfigFlags, env: Env, file: ProfileFile | undefined): ResolvedConfig {
  const named = flags.profile ?? blank(env.HERALD_PROFILE);
  const profileName = named ?? 'default';
  const profile = file?.profiles?.[profileName];
  if (named !== undefined && !profile)
    throw new UsageError(
      `no profile "${named}" in the profile file (profiles: ${Object.keys(file?.profiles ?? {}).join(', ') || 'none'})`,
    );

  // A service's own URL wins over the one base URL of the same source; a nearer source wins overall.
  const sources: Array<(service: ServiceName) => string | undefined> = [
    (service) => blank(flags[urlKey(service)]) ?? blank(flags.url),
    (service) => blank(env[envUrl(service)]) ?? blank(env.HERALD_URL),
    (service) => blank(profile?.[urlKey(service)]) ?? blank(profile?.url),
  ];
  const baseUrls = Object.fromEntries(
    SERVICE_NAMES.map((service) => {
      const url = sources.map((source) => source(service)).find((found) => found !== undefined);
      return [service, checkUrl(url ?? LOCAL_URLS[service], service)];
    }),
  ) as Record<ServiceName, string>;

  const token = blank(flags.token) ?? blank(env.HERALD_TOKEN) ?? blank(profile?.token);
  return {
    baseUrls,
    ...(token !== undefined && { token }),
    ...(profile && { profile: profileName }),
  };
}

function checkUrl(url: string, service: ServiceName): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${service}'s URL ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`${service}'s URL ${url} must be http or https`);
  return url.replace(/\/+$/, '');
}
