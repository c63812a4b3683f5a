/**
 * Seeded randomness for fault decisions: one independent sequence per name (a service, the
 * invoker), so adding calls of one kind does not shift the faults of another.
 */

/** mulberry32: small, fast, and good enough to spread faults; not for anything secret. */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a of the name, mixed with the seed. */
function stateFor(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Uniform numbers in [0, 1), a sequence per seed and name. */
export function seededRandom(seed: number, name: string): () => number {
  return mulberry32(stateFor(seed, name));
}
