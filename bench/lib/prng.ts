/** mulberry32: a small, fast, seedable PRNG; the same seed always gives the same sequence. */
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

/** A stable seed for item `index` of stream `salt` (e.g. project 17 of the quota set). */
export function seedOf(salt: number, index: number): number {
  return (Math.imul(salt ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Log-uniform in [min, max]: small values are as common per octave as large ones, like real usage. */
export function logUniform(random: () => number, min: number, max: number): number {
  return min * Math.pow(max / min, random());
}
