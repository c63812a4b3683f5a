/**
 * How much the fuzz runs: a fixed seed and 200 cases per route by default (CI), more with
 * FUZZ_RUNS, another sequence with FUZZ_SEED. The bench (scripts/bench/fuzz.ts) sets both.
 */
export interface FuzzSettings {
  seed: number;
  /** Cases per HTTP route. */
  runs: number;
  /** Messages per queue consumer (deliver's fast lane; its slow lane a quarter, e-mail half). */
  messages: number;
  /** Requests in flight at once across all routes. */
  concurrency: number;
}

const whole = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive whole number, not ${value}`);
  return n;
};

/**
 * How long to wait for the pipeline to catch up with what the consumers' fuzz sent: two minutes
 * for CI's 200 messages per consumer, longer for a bench's thousands.
 */
export const patienceMs = (settings: FuzzSettings): number => Math.max(120_000, settings.messages * 300);

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = whole(env.FUZZ_RUNS, 200, 'FUZZ_RUNS');
  return {
    seed: whole(env.FUZZ_SEED, 20_261_130, 'FUZZ_SEED'),
    runs,
    messages: whole(env.FUZZ_MESSAGES, runs, 'FUZZ_MESSAGES'),
    concurrency: whole(env.FUZZ_CONCURRENCY, 4, 'FUZZ_CONCURRENCY'),
  };
}
