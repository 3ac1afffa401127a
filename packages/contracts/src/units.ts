/** Memory is GiB (2^30 bytes) at the API and in Excel; the seed's "GB" columns are GiB. */
export const BYTES_PER_GIB = 1024 ** 3;

export const bytesToGiB = (bytes: number): number => bytes / BYTES_PER_GIB;
export const giBToBytes = (gib: number): number => gib * BYTES_PER_GIB;

export type UsageLevel = 'high' | 'medium' | 'low';

/** Level of a rate given in percent: high ≥ 80 %, medium ≥ 50 %, low below. */
export function levelOfRate(ratePercent: number): UsageLevel {
  if (ratePercent >= 80) return 'high';
  if (ratePercent >= 50) return 'medium';
  return 'low';
}
