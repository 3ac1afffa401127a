// cAdvisor-like series (as the kubelet's /metrics/cadvisor exposes them and kube-prometheus scrapes them), built
// from functions of time so a test states its data in a line and can work out the expected PromQL by hand.
import { createHash } from 'node:crypto';
import type { MetricFamily, Point } from './openmetrics';

export interface ContainerSeriesLabels {
  namespace: string;
  pod: string;
  /** '' for the pod's own cgroup (its containers summed), 'POD' for the pause container. */
  container: string;
  /** The kubelet scraped. Default '10.0.0.1:10250'. */
  instance?: string;
  /** Default 'kubelet'. */
  job?: string;
  /** Only set when given, as a multi-cluster setup's external label would be. */
  cluster?: string;
  /** Default derived from the container name; cAdvisor has none for the pod cgroup. */
  image?: string;
  /** The runtime's container id. Default a stable 64-hex id; cAdvisor has none for the pod cgroup. */
  name?: string;
  /** Further labels, or overrides of any of the above. */
  labels?: Record<string, string>;
}

export interface Sampling {
  /** First scrape, Unix seconds. */
  from: number;
  /** Scrapes continue while they are at or before this instant. */
  to: number;
  scrapeSeconds: number;
}

export const DEFAULT_INSTANCE = '10.0.0.1:10250';

export type MemoryMetric = 'container_memory_usage_bytes' | 'container_memory_working_set_bytes';

const MEMORY_HELP: Record<MemoryMetric, string> = {
  container_memory_usage_bytes:
    'Current memory usage in bytes, including all memory regardless of when it was accessed',
  container_memory_working_set_bytes: 'Current working set in bytes.',
};

/** The labels cAdvisor puts on a container's series (plus the scrape's job/instance/metrics_path). */
function cadvisorLabels(ref: ContainerSeriesLabels): Record<string, string> {
  const { namespace, pod, container } = ref;
  const runtime: Record<string, string> =
    container === ''
      ? {}
      : {
          image: ref.image ?? defaultImage(container),
          name: ref.name ?? runtimeId(namespace, pod, container),
        };
  return {
    namespace,
    pod,
    container,
    instance: ref.instance ?? DEFAULT_INSTANCE,
    job: ref.job ?? 'kubelet',
    metrics_path: '/metrics/cadvisor',
    ...(ref.cluster === undefined ? {} : { cluster: ref.cluster }),
    ...runtime,
    ...ref.labels,
  };
}

/**
 * container_cpu_usage_seconds_total of one container. `coresUsed(t)` is the average number of cores used over
 * the scrape interval ending at t, so the counter grows by coresUsed(t) × scrapeSeconds from one scrape to the
 * next and irate() at a scrape time t returns exactly coresUsed(t).
 */
export function cpuCounter(
  options: ContainerSeriesLabels & Sampling & { coresUsed: (t: number) => number; initial?: number },
): MetricFamily {
  let value = options.initial ?? 0;
  let previous: number | undefined;
  const points: Point[] = [];
  for (const t of scrapeTimes(options)) {
    if (previous !== undefined) {
      const cores = options.coresUsed(t);
      // A falling counter is a reset to PromQL; a test wanting one should say so, not get it by accident.
      if (cores < 0) throw new Error(`coresUsed(${t}) is negative: ${cores}`);
      value += cores * (t - previous);
    }
    points.push([t, value]);
    previous = t;
  }
  return {
    name: 'container_cpu_usage_seconds_total',
    type: 'counter',
    help: 'Cumulative cpu time consumed in seconds.',
    samples: [{ labels: cadvisorLabels(options), points }],
  };
}

/** A memory gauge of one container: `bytes(t)` is the value scraped at t. */
export function memoryGauge(
  options: ContainerSeriesLabels & Sampling & { bytes: (t: number) => number; metric?: MemoryMetric },
): MetricFamily {
  const name = options.metric ?? 'container_memory_usage_bytes';
  const points = scrapeTimes(options).map((t): Point => [t, options.bytes(t)]);
  return {
    name,
    type: 'gauge',
    help: MEMORY_HELP[name],
    samples: [{ labels: cadvisorLabels(options), points }],
  };
}

/** The same data with some labels changed: e.g. a second Prometheus job or kubelet scraping the same cgroup. */
export function withLabels(family: MetricFamily, overrides: Record<string, string>): MetricFamily {
  return {
    ...family,
    samples: family.samples.map((s) => ({ labels: { ...s.labels, ...overrides }, points: s.points })),
  };
}

function scrapeTimes({ from, to, scrapeSeconds }: Sampling): number[] {
  if (!(scrapeSeconds > 0)) throw new Error(`scrapeSeconds must be positive, got ${scrapeSeconds}`);
  if (to < from) throw new Error(`to (${to}) is before from (${from})`);
  const times: number[] = [];
  // Multiplying instead of adding up keeps fractional intervals from drifting over a day of scrapes.
  for (let i = 0; from + i * scrapeSeconds <= to; i++) times.push(from + i * scrapeSeconds);
  return times;
}

function defaultImage(container: string): string {
  return container === 'POD' ? 'registry.k8s.io/pause:3.9' : `docker.io/library/${container}:latest`;
}

function runtimeId(namespace: string, pod: string, container: string): string {
  return createHash('sha256').update(`${namespace}/${pod}/${container}`).digest('hex');
}
