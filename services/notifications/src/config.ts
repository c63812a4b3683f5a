/**
 * Stage settings the functions read from their environment (serverless.yml `params`), checked at
 * cold start so a bad value fails the first invocation loudly rather than a delivery quietly.
 */
import { numberEnv } from '@herald/shared/env';
import { parseSchedule, type RetrySchedule } from './delivery/retry-schedule';
import type { TargetPolicy } from './subscriptions/url-policy';

export const DEFAULT_SCHEDULE = '0,5,300,1800,7200,18000,36000,36000';

export interface DeliverySettings {
  schedule: RetrySchedule;
  timeoutMs: number;
  targets: TargetPolicy;
  slowThresholdMs: number;
  disableAfterMs: number;
  disableAfterFailures: number;
  retentionDays: number;
  graceSeconds: number;
}

function bounded(name: string, fallback: number, min: number, max: number, env: NodeJS.ProcessEnv): number {
  const value = numberEnv(name, fallback, env);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Local targets (http, loopback) are allowed only by the explicit word `true`; anything else is strict. */
export function targetPolicy(env: NodeJS.ProcessEnv = process.env): TargetPolicy {
  const local = env.WEBHOOK_ALLOW_LOCAL_TARGETS === 'true';
  return { allowHttp: local, allowLoopback: local };
}

export function deliverySettings(env: NodeJS.ProcessEnv = process.env): DeliverySettings {
  return {
    schedule: parseSchedule(env.RETRY_SCHEDULE || DEFAULT_SCHEDULE),
    timeoutMs: bounded('WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000, env),
    targets: targetPolicy(env),
    slowThresholdMs: bounded('SLOW_THRESHOLD_MS', 2_000, 10, 60_000, env),
    disableAfterMs: bounded('DISABLE_AFTER_HOURS', 120, 0, 24 * 90, env) * 3_600_000,
    disableAfterFailures: bounded('DISABLE_AFTER_FAILURES', 0, 0, 1_000_000, env),
    retentionDays: bounded('EVENT_RETENTION_DAYS', 30, 1, 365, env),
    graceSeconds: bounded('SECRET_GRACE_SECONDS', 86_400, 0, 7 * 86_400, env),
  };
}
