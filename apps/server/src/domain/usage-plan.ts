import type { UsageStrategy } from './promql';

/** One container of the day's census: how many series Prometheus held for it. */
export interface ContainerSeries {
  namespace: string;
  pod: string;
  container: string;
  series: number;
}

/**
 * How a query part turns container series into the figure of a pod or namespace:
 * - `per-series`: the day's figure per series, combined afterwards (no aggregation inside the subquery);
 * - `sum`: containers summed at each step;
 * - `dedup-sum`: the series of one container collapsed by max at each step, then summed.
 */
export type PartShape = 'per-series' | 'sum' | 'dedup-sum';

export interface PlannedPart {
  shape: PartShape;
  /** The pods (by name) or namespaces the part's query is limited to; null for the whole cluster. */
  limit: { label: 'pod' | 'namespace'; values: string[] } | null;
  /**
   * The pods (`namespace\0pod`) or namespaces whose figures come from this part; null for the part of
   * the whole cluster, which gives every figure no limited part claims.
   */
  keys: Set<string> | null;
}

/** Longest alternation of pod names or namespaces in one query (each query spells its selector 3 times). */
export const LIMIT_CHARACTERS = 8000;

export function podKey(namespace: string, pod: string): string {
  return `${namespace}\u0000${pod}`;
}

/**
 * The query parts of one metric's usage for the day, from the census of its series.
 *
 * Prometheus 2.42 spends about 3 µs per output group and step on an aggregation inside a subquery, so
 * summing 6,000 pods at each of the day's 1,440 steps costs far more than reading their samples (`npm
 * run bench -- prometheus-sync`). Each pod or namespace gets the cheapest shape that still gives its
 * exact figure:
 * - pod strategies: a pod with one container takes the largest of its series' peaks (the max of a
 *   max is the max, whatever its series' overlap); a pod of several containers, one series each, is
 *   summed per step; only a pod whose container has several series (two scrapers, or a restart whose
 *   old series still reaches into the 5-minute rate window) needs the per-step max before the sum;
 * - `average`: a namespace whose containers have one series each is the sum of its series' sums
 *   (a sum of sums is linear); `concurrent-peak` sums it per step; a namespace with a container of
 *   several series needs the per-step max first.
 * The part of the whole cluster has the cheap shape and gives every figure no limited part claims,
 * so a pod the census missed is still measured.
 */
export function planUsageParts(
  strategy: UsageStrategy,
  census: readonly ContainerSeries[],
  limitCharacters = LIMIT_CHARACTERS,
): PlannedPart[] {
  const byPod = strategy === 'pod-peak' || strategy === 'replica-dedup';
  const cheapShape: PartShape = strategy === 'concurrent-peak' ? 'sum' : 'per-series';
  const containers = new Map<string, { namespace: string; pod: string; count: number; repeated: boolean }>();
  for (const c of census) {
    const key = podKey(c.namespace, c.pod);
    const pod = containers.get(key) ?? { namespace: c.namespace, pod: c.pod, count: 0, repeated: false };
    pod.count += 1;
    pod.repeated ||= c.series > 1;
    containers.set(key, pod);
  }
  const parts: PlannedPart[] = [{ shape: cheapShape, limit: null, keys: null }];
  if (byPod) {
    const summed = [...containers.values()].filter((p) => p.count > 1 && !p.repeated);
    const deduped = [...containers.values()].filter((p) => p.count > 1 && p.repeated);
    parts.push(...limitedParts('sum', 'pod', summed, limitCharacters));
    parts.push(...limitedParts('dedup-sum', 'pod', deduped, limitCharacters));
  } else {
    const repeated = new Set([...containers.values()].filter((p) => p.repeated).map((p) => p.namespace));
    parts.push(
      ...chunks([...repeated].sort(), limitCharacters).map((values): PlannedPart => ({
        shape: 'dedup-sum',
        limit: { label: 'namespace', values },
        keys: new Set(values),
      })),
    );
  }
  return parts;
}

function limitedParts(
  shape: PartShape,
  label: 'pod',
  pods: { namespace: string; pod: string }[],
  limitCharacters: number,
): PlannedPart[] {
  const byName = new Map<string, string[]>();
  for (const p of pods) byName.set(p.pod, [...(byName.get(p.pod) ?? []), p.namespace]);
  return chunks([...byName.keys()].sort(), limitCharacters).map((values) => ({
    shape,
    limit: { label, values },
    // A pod name picks the pods of that name in every namespace; only those planned here count.
    keys: new Set(values.flatMap((name) => byName.get(name)!.map((ns) => podKey(ns, name)))),
  }));
}

/** Consecutive runs of values whose alternation (`a|b|…`) stays within the limit; a longer value stands alone. */
function chunks(values: string[], limitCharacters: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const added = current.length === 0 ? value.length : value.length + 1;
    if (current.length > 0 && length + added > limitCharacters) {
      out.push(current);
      current = [];
      length = 0;
    }
    length += current.length === 0 ? value.length : value.length + 1;
    current.push(value);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Which part's figure counts for a key: a limited part that claims it, else the part of the whole
 * cluster. `part` is the index of the part the figure came from.
 */
export function ownsFigure(parts: readonly PlannedPart[], part: number, key: string): boolean {
  const keys = parts[part]!.keys;
  if (keys) return keys.has(key);
  return !parts.some((p) => p.keys?.has(key));
}
