import type { FakeClusterState, WorkloadInput } from '../../apps/server/test/helpers/fake-kube-apiserver';
import type { MetricFamily } from '../../apps/server/test/helpers/prometheus';
import { cpuCounter, memoryGauge, openMetrics } from '../../apps/server/test/helpers/prometheus';
import { namespaceName } from './dataset';
import { PROJECT_LABEL, k8sProjectName } from './k8s-dataset';
import { logUniform, mulberry32, seedOf } from './prng';

/**
 * A deterministic day of cAdvisor metrics for a cluster of Deployments: 500 namespaces (100 projects
 * × 5, names from dataset.ts) × 5 Deployments × 2 replicas = 5,000 pods, a fifth of the Deployments
 * rolling over once in the day (two new pods replace the two old ones, one at a time), one or two
 * containers per pod. Usage is a function of (container, time), so the expected figures can be
 * worked out here without Prometheus. Only container series are written: no pod cgroup
 * (container="") and no pause container ("POD"), which the product's queries skip anyway.
 * No Math.random anywhere.
 */

export const PROJECTS = 100;
export const NAMESPACES_PER_PROJECT = 5;
export const DEPLOYMENTS_PER_NAMESPACE = 5;
export const REPLICAS = 2;
export const ROLLOUT_SHARE = 0.2;
export const SIDECAR_SHARE = 0.3;
export const NODES = 100;
export const SCRAPE_SECONDS = 60;
/** Data before and after the day: the first steps' irate needs a sample before the day starts. */
export const MARGIN_SECONDS = 30 * 60;
/**
 * One OpenMetrics text per hour of the epoch. promtool 2.42 parses its whole input once per 2-hour
 * block it writes, so a text that spans the day would be parsed 14 times; a text of one hour is
 * parsed twice and becomes one block. Two hours would make texts of ~515 million characters, just
 * under V8's string limit (~537 million), so an hour it is: ~260 million characters each.
 */
export const TEXT_SECONDS = 3600;

const WORKLOAD_NAMES = [
  'api',
  'api-gateway',
  'web',
  'worker',
  'scheduler',
  'consumer',
  'auth',
  'search',
  'report',
  'notifier',
  'billing',
  'cache-sync',
];
const SIDECARS = ['istio-proxy', 'log-agent'];
/** Kubernetes' random name suffixes: no vowels, no 0/1/3. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MiB = 1024 * 1024;

const LAYOUT_SALT = 0x6f1c;
const USAGE_SALT = 0x2d47;

export interface ContainerSpec {
  name: string;
  /** Seeds the usage noise of this container. */
  seed: number;
  cores: number;
  bytes: number;
  /** Hour of the day (UTC) when its CPU peaks. */
  phase: number;
}

export interface PodSpec {
  namespace: string;
  deployment: string;
  name: string;
  instance: string;
  /** First and last scrape, Unix seconds. */
  from: number;
  to: number;
  containers: ContainerSpec[];
}

export interface DeploymentSpec {
  namespace: string;
  name: string;
  containers: string[];
  /** When the rollout started, or null when it did not roll over. */
  rolledAt: number | null;
}

export interface Dataset {
  start: number;
  end: number;
  /** First and last scrape of the data. */
  from: number;
  to: number;
  namespaces: { name: string; project: string }[];
  deployments: DeploymentSpec[];
  pods: PodSpec[];
  containers: number;
  series: number;
  samples: number;
}

function randomName(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}

/** The day's pods. `start`/`end`: the day's window in Unix seconds, both multiples of the scrape interval. */
export function buildDataset(start: number, end: number): Dataset {
  const from = start - MARGIN_SECONDS;
  const to = end + MARGIN_SECONDS;
  const namespaces: Dataset['namespaces'] = [];
  const deployments: DeploymentSpec[] = [];
  const pods: PodSpec[] = [];
  let containers = 0;
  let samples = 0;
  for (let p = 0; p < PROJECTS; p += 1) {
    for (let j = 0; j < NAMESPACES_PER_PROJECT; j += 1) {
      const k = namespaces.length;
      const namespace = namespaceName(p, j);
      namespaces.push({ name: namespace, project: k8sProjectName(p) });
      const random = mulberry32(seedOf(LAYOUT_SALT, k));
      const names = [...WORKLOAD_NAMES];
      for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d += 1) {
        const name = names.splice(Math.floor(random() * names.length), 1)[0]!;
        const containerNames =
          random() < SIDECAR_SHARE ? [name, SIDECARS[Math.floor(random() * SIDECARS.length)]!] : [name];
        // A rollout starts on a whole minute between 02:00 and 22:00 of the day.
        const rolledAt = random() < ROLLOUT_SHARE ? start + (120 + Math.floor(random() * 1200)) * 60 : null;
        deployments.push({ namespace, name, containers: containerNames, rolledAt });
        const cores = containerNames.map(() => logUniform(random, 0.02, 2));
        const bytes = containerNames.map(() => logUniform(random, 32 * MiB, 4096 * MiB));
        const phase = 6 + random() * 12;
        const replicaSet = (starts: number[] | null, ends: number[] | null) => {
          const hash = randomName(random, 9 + Math.floor(random() * 2));
          for (let r = 0; r < REPLICAS; r += 1) {
            const node = Math.floor(random() * NODES);
            const pod: PodSpec = {
              namespace,
              deployment: name,
              name: `${name}-${hash}-${randomName(random, 5)}`,
              instance: `10.0.${Math.floor(node / 250)}.${(node % 250) + 1}:10250`,
              from: starts?.[r] ?? from,
              to: ends?.[r] ?? to,
              containers: containerNames.map((c, i) => ({
                name: c,
                seed: seedOf(USAGE_SALT, pods.length * 4 + i),
                // Replicas of a Deployment use about the same, not exactly the same.
                cores: cores[i]! * (0.8 + random() * 0.4),
                bytes: bytes[i]! * (0.8 + random() * 0.4),
                phase,
              })),
            };
            pods.push(pod);
            containers += pod.containers.length;
            samples += 2 * pod.containers.length * (Math.floor((pod.to - pod.from) / SCRAPE_SECONDS) + 1);
          }
        };
        if (rolledAt === null) {
          replicaSet(null, null);
        } else {
          // maxSurge 1: new pod r starts at T + 2r min, old pod r goes 2 min after its replacement started.
          const starts = Array.from({ length: REPLICAS }, (_, r) => rolledAt + r * 120);
          replicaSet(
            null,
            starts.map((s) => s + 120),
          );
          replicaSet(starts, null);
        }
      }
    }
  }
  return {
    start,
    end,
    from,
    to,
    namespaces,
    deployments,
    pods,
    containers,
    series: 2 * containers,
    samples,
  };
}

/** A well-mixed uniform [0, 1) of (seed, n): the per-scrape noise. */
function unit(seed: number, n: number): number {
  let h = Math.imul(seed ^ Math.imul(n + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const DAY_RADIANS = (2 * Math.PI) / 86_400;

/** Cores used over the scrape interval ending at t: a daily wave, noise, and a rare spike. Rounded to 0.1 millicore. */
export function coresAt(c: ContainerSpec, t: number): number {
  const n = t / SCRAPE_SECONDS;
  const wave = 0.65 + 0.35 * Math.cos((t - c.phase * 3600) * DAY_RADIANS);
  const noise = 0.8 + 0.4 * unit(c.seed, n);
  const spike = unit(c.seed ^ 0x5bd1, n) < 0.002 ? 2.5 : 1;
  return Math.round(c.cores * wave * noise * spike * 10_000) / 10_000;
}

/** Memory at t: a slower wave around the container's size plus noise; whole bytes. */
export function bytesAt(c: ContainerSpec, t: number): number {
  const n = t / SCRAPE_SECONDS;
  const wave = 0.9 + 0.08 * Math.cos((t - c.phase * 3600) * DAY_RADIANS * 2);
  return Math.round(c.bytes * (wave + 0.04 * unit(c.seed ^ 0x1f3a, n)));
}

/**
 * The OpenMetrics texts, one per hour of the epoch that the data touches, rendered on demand and in
 * order (the CPU counters carry on from one text to the next). `count` texts; `render(i)` builds the
 * i-th with the harness's cpuCounter, memoryGauge and openMetrics.
 */
export function openMetricsChunks(data: Dataset): { count: number; render: (i: number) => string } {
  const first = Math.floor(data.from / TEXT_SECONDS) * TEXT_SECONDS;
  const count = Math.floor(data.to / TEXT_SECONDS) - Math.floor(data.from / TEXT_SECONDS) + 1;
  // The counter value at each container's last scrape so far, by pod index × 4 + container index.
  const counters = new Map<number, { t: number; value: number }>();
  let next = 0;
  const render = (i: number): string => {
    if (i !== next) throw new Error(`OpenMetrics chunk ${i} asked for out of order (expected ${next})`);
    next += 1;
    const blockFrom = Math.max(data.from, first + i * TEXT_SECONDS);
    const blockTo = Math.min(data.to, first + (i + 1) * TEXT_SECONDS - 1);
    const families: MetricFamily[] = [];
    for (const [p, pod] of data.pods.entries()) {
      const from = Math.max(pod.from, blockFrom);
      const to = Math.min(pod.to, blockTo);
      if (from > to) continue;
      for (const [ci, c] of pod.containers.entries()) {
        const ref = { namespace: pod.namespace, pod: pod.name, container: c.name, instance: pod.instance };
        const key = p * 4 + ci;
        const last = counters.get(key);
        // The first point of a text carries on from the previous text's last one, as a counter would.
        const initial = last ? last.value + coresAt(c, from) * (from - last.t) : 1000 * unit(c.seed, -1);
        const cpu = cpuCounter({
          ...ref,
          from,
          to,
          scrapeSeconds: SCRAPE_SECONDS,
          initial,
          coresUsed: (t) => coresAt(c, t),
        });
        const points = cpu.samples[0]!.points;
        const [lastT, lastValue] = points[points.length - 1]!;
        counters.set(key, { t: lastT, value: lastValue });
        families.push(
          cpu,
          memoryGauge({ ...ref, from, to, scrapeSeconds: SCRAPE_SECONDS, bytes: (t) => bytesAt(c, t) }),
        );
      }
    }
    return openMetrics(families);
  };
  return { count, render };
}

/** Namespaces labelled with their project, and the Deployments whose pods the data names. */
export function clusterState(data: Dataset): FakeClusterState {
  return {
    namespaces: data.namespaces.map((n) => ({
      name: n.name,
      labels: { [PROJECT_LABEL]: n.project },
      creationTimestamp: '2025-01-01T00:00:00Z',
    })),
    deployments: data.deployments.map((d): WorkloadInput => ({
      name: d.name,
      namespace: d.namespace,
      replicas: REPLICAS,
      containers: d.containers.map((c) => ({ name: c, image: `docker.io/library/${c}:latest` })),
      creationTimestamp: '2025-01-01T00:00:00Z',
    })),
    projectQuotaCrd: false,
  };
}

export interface PodPeak {
  namespace: string;
  deployment: string;
  pod: string;
  cores: number;
  bytes: number;
  /** The seed's reading: the largest container's peak instead of the pod's. */
  largestContainerCores: number;
  largestContainerBytes: number;
}

/**
 * Each pod's peak over the day's 1-minute steps (start, end], as the product's pod-peak queries
 * compute it: CPU by irate (the scrape interval ending at the step, so a pod's first scrape has none),
 * memory by the sample at the step; containers summed at each step before the peak is taken.
 */
export function podPeaks(data: Dataset): PodPeak[] {
  return data.pods.map((pod) => {
    let cores = 0;
    let bytes = 0;
    const largestCores = pod.containers.map(() => 0);
    const largestBytes = pod.containers.map(() => 0);
    const from = Math.max(pod.from, data.start + SCRAPE_SECONDS);
    const to = Math.min(pod.to, data.end);
    for (let t = from; t <= to; t += SCRAPE_SECONDS) {
      let stepCores = 0;
      let stepBytes = 0;
      for (const [i, c] of pod.containers.entries()) {
        const b = bytesAt(c, t);
        stepBytes += b;
        largestBytes[i] = Math.max(largestBytes[i]!, b);
        if (t - SCRAPE_SECONDS >= pod.from) {
          const k = coresAt(c, t);
          stepCores += k;
          largestCores[i] = Math.max(largestCores[i]!, k);
        }
      }
      cores = Math.max(cores, stepCores);
      bytes = Math.max(bytes, stepBytes);
    }
    return {
      namespace: pod.namespace,
      deployment: pod.deployment,
      pod: pod.name,
      cores,
      bytes,
      largestContainerCores: Math.max(...largestCores),
      largestContainerBytes: Math.max(...largestBytes),
    };
  });
}

export interface NamespaceFigures {
  cores: number;
  bytes: number;
}

/** Expected namespace figures of pod-peak (sum of pod peaks) and replica-dedup (the ⌊replicas × tolerance⌋ largest per Deployment). */
export function expectedFigures(
  peaks: PodPeak[],
  tolerance: number,
): { podPeak: Map<string, NamespaceFigures>; replicaDedup: Map<string, NamespaceFigures> } {
  const podPeak = new Map<string, NamespaceFigures>();
  const byDeployment = new Map<string, PodPeak[]>();
  for (const p of peaks) {
    const ns = podPeak.get(p.namespace) ?? { cores: 0, bytes: 0 };
    ns.cores += p.cores;
    ns.bytes += p.bytes;
    podPeak.set(p.namespace, ns);
    const key = `${p.namespace}/${p.deployment}`;
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), p]);
  }
  const keep = Math.max(1, Math.floor(REPLICAS * tolerance));
  const largest = (values: number[]) =>
    values
      .sort((a, b) => b - a)
      .slice(0, keep)
      .reduce((a, b) => a + b, 0);
  const replicaDedup = new Map<string, NamespaceFigures>();
  for (const group of byDeployment.values()) {
    const namespace = group[0]!.namespace;
    const ns = replicaDedup.get(namespace) ?? { cores: 0, bytes: 0 };
    ns.cores += largest(group.map((p) => p.cores));
    ns.bytes += largest(group.map((p) => p.bytes));
    replicaDedup.set(namespace, ns);
  }
  return { podPeak, replicaDedup };
}
