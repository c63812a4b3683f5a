/**
 * A subscription's rate limit: deliveries per second at most, its own or the stage's default, never
 * above the stage's maximum (delivery/pace.ts keeps to it).
 */

export interface RateLimits {
  /** Deliveries per second of a subscription that sets none. */
  default: number;
  /** The most a subscription may set; a higher rate stored before the stage lowered it is cut to it. */
  max: number;
}

export const effectiveRate = (rateLimit: number | undefined, limits: RateLimits): number =>
  Math.min(rateLimit ?? limits.default, limits.max);

/** Milliseconds between two deliveries, rounded up so the rate is never exceeded. */
export const slotInterval = (rate: number): number => Math.ceil(1000 / rate);

/** Why a rate a subscription asks for is refused, or undefined when the stage allows it. */
export function rateLimitProblem(rateLimit: number, limits: RateLimits): string | undefined {
  return rateLimit > limits.max
    ? `must be at most ${limits.max} deliveries per second (the stage's maximum)`
    : undefined;
}
