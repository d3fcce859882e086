/**
 * mulberry32: a small seeded generator of uniform numbers in [0, 1). Not for fairness (that is the HMAC stream): for
 * the bot's noise and for generated test cases, which must replay from their seed.
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
