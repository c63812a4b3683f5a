/**
 * Stage settings the functions read from their environment (serverless.yml `params`), checked at
 * cold start so a bad value fails the first invocation loudly rather than a delivery quietly.
 */
import { numberEnv } from '@herald/shared/env';
import { stageTenantLimits, type StageTenantLimits } from '@herald/shared/tenants/limits';
import { parseSchedule, type RetrySchedule } from './delivery/retry-schedule';
import type { RateLimits } from './model/rate-limit';
import type { TenantLimits } from './model/tenant-limits';
import { HTTPS_PORT, type TargetPolicy } from './subscriptions/url-policy';

export const DEFAULT_SCHEDULE = '0,5,300,1800,7200,18000,36000,36000';

export interface DeliverySettings {
  schedule: RetrySchedule;
  timeoutMs: number;
  /**
   * The longest a subscription's own `timeoutSeconds` may be: kept under deliver's 30 s Lambda
   * timeout with room for the claim and the record.
   */
  maxTimeoutSeconds: number;
  targets: TargetPolicy;
  slowThresholdMs: number;
  disableAfterMs: number;
  disableAfterFailures: number;
  retentionDays: number;
  graceSeconds: number;
  /** Deliveries per second: a subscription's own rate, or the default, never above the maximum. */
  rateLimits: RateLimits;
  /** How long a window one replay may cover. */
  maxReplayWindowHours: number;
  /** The stage's defaults; a tenant's own settings take over each (model/tenant-limits.ts limitsFor). */
  tenantLimits: TenantLimits;
  /** The stage's own limits for some tenants (TENANT_LIMITS). */
  stageTenantLimits: StageTenantLimits;
  /** Mails one tenant may be sent per UTC day; the rest are held until the next day. */
  dailyEmailCapPerTenant: number;
}

function bounded(name: string, fallback: number, min: number, max: number, env: NodeJS.ProcessEnv): number {
  const value = numberEnv(name, fallback, env);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Ports as the stage lists them (`443,8443`); 443 alone when unset. */
export function parsePorts(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') return [HTTPS_PORT];
  const ports = text.split(',').map((part) => part.trim());
  if (ports.some((port) => !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    throw new Error(
      `Environment variable WEBHOOK_ALLOWED_PORTS must list ports (1-65535) separated by commas, not ${JSON.stringify(text)}`,
    );
  }
  return [...new Set(ports.map(Number))];
}

/** Local targets (http, loopback) are allowed only by the explicit word `true`; anything else is strict. */
export function targetPolicy(env: NodeJS.ProcessEnv = process.env): TargetPolicy {
  const local = env.WEBHOOK_ALLOW_LOCAL_TARGETS === 'true';
  return { allowHttp: local, allowLoopback: local, ports: parsePorts(env.WEBHOOK_ALLOWED_PORTS) };
}

function rateLimits(env: NodeJS.ProcessEnv): RateLimits {
  const max = bounded('MAX_RATE_LIMIT', 500, 1, 10_000, env);
  const fallback = bounded('DEFAULT_RATE_LIMIT', Math.min(50, max), 1, 10_000, env);
  if (fallback > max)
    throw new Error('Environment variable DEFAULT_RATE_LIMIT must not exceed MAX_RATE_LIMIT');
  return { default: fallback, max };
}

export function deliverySettings(env: NodeJS.ProcessEnv = process.env): DeliverySettings {
  return {
    schedule: parseSchedule(env.RETRY_SCHEDULE || DEFAULT_SCHEDULE),
    timeoutMs: bounded('WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000, env),
    maxTimeoutSeconds: bounded('MAX_WEBHOOK_TIMEOUT_SECONDS', 20, 1, 25, env),
    targets: targetPolicy(env),
    slowThresholdMs: bounded('SLOW_THRESHOLD_MS', 2_000, 10, 60_000, env),
    disableAfterMs: bounded('DISABLE_AFTER_HOURS', 120, 0, 24 * 90, env) * 3_600_000,
    disableAfterFailures: bounded('DISABLE_AFTER_FAILURES', 0, 0, 1_000_000, env),
    retentionDays: bounded('EVENT_RETENTION_DAYS', 30, 1, 365, env),
    graceSeconds: bounded('SECRET_GRACE_SECONDS', 86_400, 0, 7 * 86_400, env),
    rateLimits: rateLimits(env),
    maxReplayWindowHours: bounded('MAX_REPLAY_WINDOW_HOURS', 24, 1, 24 * 365, env),
    tenantLimits: {
      subscriptions: bounded('MAX_SUBSCRIPTIONS_PER_TENANT', 100, 1, 100_000, env),
      concurrentReplays: bounded('MAX_CONCURRENT_REPLAYS_PER_TENANT', 5, 1, 1_000, env),
    },
    stageTenantLimits: stageTenantLimits(env.TENANT_LIMITS),
    dailyEmailCapPerTenant: bounded('DAILY_EMAIL_CAP_PER_TENANT', 1_000, 1, 10_000_000, env),
  };
}
