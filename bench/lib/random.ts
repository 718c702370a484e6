// The deterministic generator for building synthetic test and benchmark data (mulberry32): never
// used inside a timed loop or by the product, which draws its randomness in the kernels.

/** Uniform values in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [−1, 1). */
export function symmetricRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}
