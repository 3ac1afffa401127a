import type { DayWindow } from './day-window';

export type UsageStrategy = 'pod-peak' | 'replica-dedup' | 'concurrent-peak' | 'average';
export type MemoryMetric = 'usage_bytes' | 'working_set_bytes';

export interface UsageQueryOptions {
  memoryMetric: MemoryMetric;
  /** Subquery resolution, e.g. `1m`. */
  step: string;
  /** Label matchers that pick one cluster out of a shared Prometheus, e.g. `cluster="prod"`. */
  selector: string | null;
  /** Limits the queries to these namespaces (when a whole cluster is too much for one query). */
  namespaces?: string[];
}

export interface UsageQueries {
  cpu: string;
  memory: string;
  /** What each result series is labelled by. */
  groupedBy: 'pod' | 'namespace';
}

const LABEL_MATCHER = String.raw`[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"`;
const SELECTOR = new RegExp(String.raw`^\s*${LABEL_MATCHER}(?:\s*,\s*${LABEL_MATCHER})*\s*,?\s*$`);
const STEP = /^\d+(?:ms|s|m|h)$/;

/** A selector a user typed (`cluster="prod", region=~"eu.*"`), or why it is not one. */
export function selectorProblem(selector: string): string | null {
  return SELECTOR.test(selector)
    ? null
    : `"${selector}" is not a list of label matchers such as cluster="prod"`;
}

export function stepProblem(step: string): string | null {
  return STEP.test(step) ? null : `"${step}" is not a PromQL duration such as 30s or 1m`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchers(options: UsageQueryOptions): string {
  const parts = ['container!=""', 'container!="POD"'];
  if (options.selector) parts.push(options.selector.trim().replace(/,$/, ''));
  if (options.namespaces)
    parts.push(`namespace=~"${options.namespaces.map(escapeRegex).join('|').replace(/\\/g, '\\\\')}"`);
  return `{${parts.join(', ')}}`;
}

/**
 * The day's usage queries of one strategy, to be evaluated at the end of the day window.
 *
 * - Containers only (`container!=""` drops the pod-level cgroup, `container!="POD"` the pause
 *   container), and `max by (namespace, pod, container)` collapses the same container scraped by
 *   several jobs or instances before containers are summed per pod: never `by (pod)` alone.
 * - The subquery spans the real day (23 or 25 h on daylight-saving days) and ends at its end.
 * - `and timestamp(m) > start` keeps out samples from before the day: without it a pod gone at
 *   23:59 would still be seen, through the 5-minute lookback, in the first minutes of the next day.
 */
export function usageQueries(
  strategy: UsageStrategy,
  day: DayWindow,
  options: UsageQueryOptions,
): UsageQueries {
  const sel = matchers(options);
  const cpuSeries = `container_cpu_usage_seconds_total${sel}`;
  const memorySeries = `container_memory_${options.memoryMetric}${sel}`;
  const cpu = `max by (namespace, pod, container) (irate(${cpuSeries}[5m]) and timestamp(${cpuSeries}) > ${day.startUnix})`;
  const memory = `max by (namespace, pod, container) (${memorySeries} and timestamp(${memorySeries}) > ${day.startUnix})`;
  const range = `[${day.seconds}s:${options.step}]`;
  switch (strategy) {
    case 'pod-peak':
    case 'replica-dedup':
      return {
        cpu: `max_over_time(sum by (namespace, pod) (${cpu})${range})`,
        memory: `max_over_time(sum by (namespace, pod) (${memory})${range})`,
        groupedBy: 'pod',
      };
    case 'concurrent-peak':
      return {
        cpu: `max_over_time(sum by (namespace) (${cpu})${range})`,
        memory: `max_over_time(sum by (namespace) (${memory})${range})`,
        groupedBy: 'namespace',
      };
    case 'average':
      // The day's mean counts idle time as zero: avg_over_time would average only the steps where
      // the namespace had pods. Steps with a value are those after the day's start, one per step.
      return {
        cpu: `sum_over_time(sum by (namespace) (${cpu})${range}) / ${stepsInDay(day, options.step)}`,
        memory: `sum_over_time(sum by (namespace) (${memory})${range}) / ${stepsInDay(day, options.step)}`,
        groupedBy: 'namespace',
      };
  }
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Subquery steps of the day that can hold a value: one per step after its start, its end included. */
export function stepsInDay(day: DayWindow, step: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(step);
  if (!match) throw new RangeError(stepProblem(step) ?? step);
  return Math.floor(day.seconds / (Number(match[1]) * UNIT_SECONDS[match[2]!]!));
}

/** The namespaces with CPU samples in the day: the list a too-large cluster is split by. */
export function namespacesQuery(day: DayWindow, options: Pick<UsageQueryOptions, 'selector'>): string {
  const sel = matchers({ ...options, memoryMetric: 'usage_bytes', step: '1m' });
  return `count by (namespace) (count_over_time(container_cpu_usage_seconds_total${sel}[${day.seconds}s]))`;
}
