import { durationMs, isUsableStep } from '@kra/contracts';
import type { DayWindow } from './day-window';
import type { PartShape } from './usage-plan';

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

export type UsageMetric = 'cpu' | 'memory';

/** Limits a query part to some pods (by name) or namespaces: see usage-plan.ts. */
export interface UsageLimit {
  label: 'pod' | 'namespace';
  values: string[];
}

/** What each result series of a strategy's queries is labelled by. */
export function usageGrouping(strategy: UsageStrategy): 'pod' | 'namespace' {
  return strategy === 'pod-peak' || strategy === 'replica-dedup' ? 'pod' : 'namespace';
}

const LABEL_MATCHER = String.raw`[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"`;
const SELECTOR = new RegExp(String.raw`^\s*${LABEL_MATCHER}(?:\s*,\s*${LABEL_MATCHER})*\s*,?\s*$`);

/** A selector a user typed (`cluster="prod", region=~"eu.*"`), or why it is not one. */
export function selectorProblem(selector: string): string | null {
  return SELECTOR.test(selector)
    ? null
    : `"${selector}" is not a list of label matchers such as cluster="prod"`;
}

export function stepProblem(step: string): string | null {
  if (durationMs(step) === null) return `"${step}" is not a PromQL duration such as 30s or 1m`;
  return isUsableStep(step) ? null : `"${step}" must be a whole number of seconds from 1s to 1h`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alternation(label: string, values: string[]): string {
  return `${label}=~"${values.map(escapeRegex).join('|').replace(/\\/g, '\\\\')}"`;
}

function matchers(
  options: Pick<UsageQueryOptions, 'selector' | 'namespaces'>,
  limit: UsageLimit | null = null,
): string {
  const parts = ['container!=""', 'container!="POD"'];
  if (options.selector) parts.push(options.selector.trim().replace(/,$/, ''));
  if (options.namespaces) parts.push(alternation('namespace', options.namespaces));
  if (limit) parts.push(alternation(limit.label, limit.values));
  return `{${parts.join(', ')}}`;
}

function seriesOf(metric: UsageMetric, options: Pick<UsageQueryOptions, 'memoryMetric'>): string {
  return metric === 'cpu' ? 'container_cpu_usage_seconds_total' : `container_memory_${options.memoryMetric}`;
}

/**
 * How long into the day an instant selector can still return a sample from before it: Prometheus's
 * lookback delta, 5 minutes by default, with room for servers configured longer.
 */
export const DAY_START_GUARD_MS = 15 * 60_000;

function stepMs(step: string): number {
  const problem = stepProblem(step);
  if (problem) throw new RangeError(problem);
  return durationMs(step)!;
}

function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * One part of the day's usage of one metric by a strategy, to be evaluated at the end of the day
 * window; `shape` and `limit` come from the plan (usage-plan.ts), and the default is the query that is
 * exact for any pod.
 *
 * - Containers only (`container!=""` drops the pod-level cgroup, `container!="POD"` the pause
 *   container); `dedup-sum` collapses the same container scraped by several jobs or instances with
 *   `max by (namespace, pod, container)` before containers are summed per pod: never `by (pod)` alone.
 * - The subquery steps span the real day (23 or 25 h on daylight-saving days) and end at its end.
 * - Samples from before the day stay out: without that a pod gone at 23:59 would still be seen,
 *   through the lookback, in the first minutes of the next day. `and timestamp(m) > start` does it,
 *   but Prometheus 2.42 evaluates timestamp() of a selector at every step, at a cost that dominates
 *   the query (`npm run bench -- prometheus-sync`). So it runs only over the steps of the guard
 *   (the day's first 15 minutes, `@` its end), and the rest of the day, where the lookback cannot
 *   reach back before the start, runs without it. The two parts carry a `window` label until they
 *   are combined.
 */
export function usageQuery(
  strategy: UsageStrategy,
  metric: UsageMetric,
  day: DayWindow,
  options: UsageQueryOptions,
  shape: PartShape = 'dedup-sum',
  limit: UsageLimit | null = null,
): string {
  const series = `${seriesOf(metric, options)}${matchers(options, limit)}`;
  const groupBy = usageGrouping(strategy) === 'pod' ? 'namespace, pod' : 'namespace';
  const [overTime, combine, tail]: [string, string, string] =
    strategy === 'average'
      ? // The day's mean counts idle time as zero: avg_over_time would average only the steps
        // where the namespace had pods.
        ['sum_over_time', 'sum', ` / ${stepsInDay(day, options.step)}`]
      : ['max_over_time', 'max', ''];
  const perStep = (filter: string) => {
    const value = metric === 'cpu' ? `irate(${series}[5m])${filter}` : `${series}${filter}`;
    if (shape === 'per-series') return filter ? `(${value})` : value;
    if (shape === 'sum') return `sum by (${groupBy}) (${value})`;
    return `sum by (${groupBy}) (max by (namespace, pod, container) (${value}))`;
  };
  // The two parts meet 1 ms before the guard ends, so each step of the day falls in exactly one
  // whether the server's ranges include their start (Prometheus 2) or not (Prometheus 3).
  const guardEnd = day.startUnix * 1000 + DAY_START_GUARD_MS - 1;
  const over = (filter: string, rangeMs: number, at = '') =>
    `${overTime}(${perStep(filter)}[${duration(rangeMs)}:${options.step}]${at})`;
  const rest = over('', day.seconds * 1000 - DAY_START_GUARD_MS + 1);
  const start = over(
    ` and timestamp(${series}) > ${day.startUnix}`,
    DAY_START_GUARD_MS - 1,
    ` @ ${guardEnd / 1000}`,
  );
  return `${combine} by (${groupBy}) (${rest} or label_replace(${start}, "window", "start", "", ""))${tail}`;
}

/**
 * The day's census of one metric: how many series each container had. It reads every sample once,
 * like the cheapest usage part, and decides the shape of the others (usage-plan.ts).
 */
export function censusQuery(metric: UsageMetric, day: DayWindow, options: UsageQueryOptions): string {
  return `count by (namespace, pod, container) (last_over_time(${seriesOf(metric, options)}${matchers(options)}[${day.seconds}s]))`;
}

/**
 * Subquery steps of the day that can hold a value. Subquery steps sit on multiples of the step
 * since the epoch, not on the day's start, so a day that is no multiple of the step (a 13m step,
 * Lord Howe's 23.5-hour day) holds ⌊end/step⌋ − ⌊start/step⌋ of them in (start, end]: Prometheus 3's
 * ranges leave out their start, and on Prometheus 2 a step on the start itself sees only samples
 * from before the day, which `timestamp(…) > start` drops. The two parts meet at …999 ms, never a
 * step of whole seconds, so no step is counted twice.
 */
export function stepsInDay(day: DayWindow, step: string): number {
  const ms = stepMs(step);
  return Math.floor((day.endUnix * 1000) / ms) - Math.floor((day.startUnix * 1000) / ms);
}

/**
 * The series whose `namespace` label values, over the day, are the list a too-large cluster is
 * split by: read from the index (`/api/v1/label/namespace/values?match[]=…`), never by a query over
 * the samples, which would be as slow as the query that was too slow.
 */
export function namespaceListSelector(options: Pick<UsageQueryOptions, 'selector'>): string {
  return `container_cpu_usage_seconds_total${matchers(options)}`;
}
