/** Sorters for tables: text in natural order (`ns-2` before `ns-10`), numbers with nulls first. */

export const compareText = (a: string, b: string): number => a.localeCompare(b, 'zh-CN', { numeric: true });

/** Sorts nulls (no limit, no quota) first in ascending order, like an empty value. */
export const compareNullable = (a: number | null, b: number | null): number =>
  (a ?? -Infinity) - (b ?? -Infinity);
