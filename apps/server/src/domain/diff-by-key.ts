export interface KeyedDiff<T> {
  created: T[];
  updated: T[];
  unchanged: T[];
  removed: T[];
}

/** What turns `existing` into `incoming`: new keys, changed ones, equal ones and keys that are gone. */
export function diffByKey<T>(
  existing: T[],
  incoming: T[],
  key: (item: T) => string,
  same: (a: T, b: T) => boolean,
): KeyedDiff<T> {
  const before = new Map(existing.map((item) => [key(item), item]));
  const diff: KeyedDiff<T> = { created: [], updated: [], unchanged: [], removed: [] };
  const seen = new Set<string>();
  for (const item of incoming) {
    const k = key(item);
    seen.add(k);
    const old = before.get(k);
    if (old === undefined) diff.created.push(item);
    else if (same(old, item)) diff.unchanged.push(item);
    else diff.updated.push(item);
  }
  for (const [k, item] of before) if (!seen.has(k)) diff.removed.push(item);
  return diff;
}

/** Equal up to floating-point noise from sums computed in another order. */
export function nearlyEqual(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
