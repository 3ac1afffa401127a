export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

export interface Workload {
  namespace: string;
  kind: WorkloadKind;
  name: string;
  /** Pods it runs at once: spec.replicas, nodes for a DaemonSet, parallelism for a Job or CronJob. */
  replicas: number;
}

export interface PodPeak {
  namespace: string;
  pod: string;
  cpuCores: number;
  memoryBytes: number;
}

export interface WorkloadUsage {
  namespace: string;
  kind: WorkloadKind | null;
  /** The workload, or the pod itself when it matches none. */
  name: string;
  replicas: number | null;
  podsSeen: number;
  podsKept: number;
  cpuCores: number;
  memoryBytes: number;
}

export interface NamespacePeak {
  namespace: string;
  cpuCores: number;
  memoryBytes: number;
  pods: number;
}

/** Kubernetes' random strings (pod-name suffixes, pod-template hashes) use this alphabet: no vowels, no 0/1/3. */
const ALPHABET = '[bcdfghjklmnpqrstvwxz2456789]';
const RANDOM_SUFFIX = new RegExp(`^${ALPHABET}{5}$`);
/**
 * The API server's names.SimpleNameGenerator: a generateName prefix is cut to 58 characters
 * (maxNameLength 63 − randomLength 5) before the 5 random ones are added.
 */
const MAX_GENERATED_PREFIX = 58;
const RANDOM_LENGTH = 5;

/**
 * What names the pods' owner: for a Deployment its ReplicaSets `<deployment>-<pod-template hash>`,
 * for a CronJob its Jobs `<cronjob>-<scheduled time in minutes>`, else the workload itself. `tail`
 * is what follows the workload's name in the owner's name, `tailStart` any beginning of it.
 */
interface OwnerNames {
  tail: RegExp;
  tailStart: RegExp;
  /** Indexed Jobs name their pods `<job>-<index>-<5>`, the job name cut so the index stays. */
  indexed: boolean;
}

const OWNER_NAMES: Record<Exclude<WorkloadKind, 'StatefulSet'>, OwnerNames> = {
  Deployment: {
    tail: new RegExp(`^-${ALPHABET}{1,10}$`),
    tailStart: new RegExp(`^(?:-${ALPHABET}{0,10})?$`),
    indexed: false,
  },
  DaemonSet: { tail: /^$/, tailStart: /^$/, indexed: false },
  Job: { tail: /^$/, tailStart: /^$/, indexed: true },
  CronJob: { tail: /^-\d{8,}$/, tailStart: /^(?:-\d*)?$/, indexed: true },
};

/**
 * Whether `pod` is a name the API server generated for a pod of this workload: from the prefix
 * `<owner>-` (or `<owner>-<index>-`), cut to 58 characters, plus 5 random characters. A long name
 * loses its end to the cut: a 50-character Deployment's pods keep only 7 characters of its hash.
 */
function generatedFor(kind: Exclude<WorkloadKind, 'StatefulSet'>, name: string, pod: string): boolean {
  if (pod.length <= RANDOM_LENGTH || !RANDOM_SUFFIX.test(pod.slice(-RANDOM_LENGTH))) return false;
  const prefix = pod.slice(0, -RANDOM_LENGTH);
  if (prefix.length > MAX_GENERATED_PREFIX) return false;
  const { tail, tailStart, indexed } = OWNER_NAMES[kind];
  const isOwner = (text: string) => text.startsWith(name) && tail.test(text.slice(name.length));
  const isOwnerStart = (text: string) =>
    text.length <= name.length
      ? name.startsWith(text)
      : text.startsWith(name) && tailStart.test(text.slice(name.length));
  const wasCut = prefix.length === MAX_GENERATED_PREFIX;
  if (prefix.endsWith('-') && isOwner(prefix.slice(0, -1))) return true;
  if (wasCut && isOwnerStart(prefix)) return true;
  const index = indexed ? /-\d+-$/.exec(prefix) : null;
  if (!index) return false;
  const owner = prefix.slice(0, index.index);
  return isOwner(owner) || (wasCut && isOwnerStart(owner));
}

/** How each controller names its pods. */
function belongsTo(workload: Workload, pod: string): boolean {
  if (workload.kind === 'StatefulSet')
    return pod.startsWith(`${workload.name}-`) && /^\d+$/.test(pod.slice(workload.name.length + 1));
  return generatedFor(workload.kind, workload.name, pod);
}

/**
 * The workload a pod belongs to, by the controllers' naming rules (`<deployment>-<template
 * hash>-<5>`, `<statefulset>-<ordinal>`, `<daemonset>-<5>`, `<job>-<5>` or `<job>-<index>-<5>`,
 * `<cronjob>-<schedule time>-<5>`, all but StatefulSet pods cut by the API server to 63
 * characters). Longer names are tried first, so `api-gateway-…` goes to api-gateway, not api.
 */
export function workloadMatcher(
  workloads: Workload[],
): (namespace: string, pod: string) => Workload | undefined {
  const byNamespace = new Map<string, Workload[]>();
  for (const w of [...workloads].sort((a, b) => b.name.length - a.name.length)) {
    byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
  }
  return (namespace, pod) => byNamespace.get(namespace)?.find((w) => belongsTo(w, pod));
}

/**
 * ⌊replicas × tolerance⌋, at least 1. In binary floating point 100 × 1.15 is 114.99999999999999;
 * rounded to 12 significant digits first, it is the 115 a person computes.
 */
export function podsToKeep(replicas: number, tolerance: number): number {
  return Math.max(1, Math.floor(Number((replicas * tolerance).toPrecision(12))));
}

function largest(values: number[], count: number): number {
  return [...values]
    .sort((a, b) => b - a)
    .slice(0, count)
    .reduce((sum, v) => sum + v, 0);
}

/**
 * The seed's "精确同步": a rolling update replaces pods during the day, so summing every pod's
 * peak counts a workload twice. Per workload only the largest ⌊replicas × tolerance⌋ peaks (at
 * least 1) count — CPU and memory chosen independently; pods of no known workload count as they are.
 */
export function dedupByReplicas(
  pods: PodPeak[],
  workloads: Workload[],
  tolerance: number,
): { namespaces: NamespacePeak[]; workloads: WorkloadUsage[] } {
  const match = workloadMatcher(workloads);
  const groups = new Map<
    string,
    { workload: Workload | null; namespace: string; name: string; pods: PodPeak[] }
  >();
  for (const pod of pods) {
    const workload = match(pod.namespace, pod.pod) ?? null;
    const key = workload
      ? `${pod.namespace}\u0000${workload.kind}\u0000${workload.name}`
      : `${pod.namespace}\u0000pod\u0000${pod.pod}`;
    const group = groups.get(key) ?? {
      workload,
      namespace: pod.namespace,
      name: workload?.name ?? pod.pod,
      pods: [],
    };
    group.pods.push(pod);
    groups.set(key, group);
  }
  const usages: WorkloadUsage[] = [];
  const namespaces = new Map<string, NamespacePeak>();
  for (const group of groups.values()) {
    const keep = group.workload ? podsToKeep(group.workload.replicas, tolerance) : group.pods.length;
    const usage: WorkloadUsage = {
      namespace: group.namespace,
      kind: group.workload?.kind ?? null,
      name: group.name,
      replicas: group.workload?.replicas ?? null,
      podsSeen: group.pods.length,
      podsKept: Math.min(keep, group.pods.length),
      cpuCores: largest(
        group.pods.map((p) => p.cpuCores),
        keep,
      ),
      memoryBytes: largest(
        group.pods.map((p) => p.memoryBytes),
        keep,
      ),
    };
    usages.push(usage);
    const ns = namespaces.get(group.namespace) ?? {
      namespace: group.namespace,
      cpuCores: 0,
      memoryBytes: 0,
      pods: 0,
    };
    ns.cpuCores += usage.cpuCores;
    ns.memoryBytes += usage.memoryBytes;
    ns.pods += group.pods.length;
    namespaces.set(group.namespace, ns);
  }
  return { namespaces: [...namespaces.values()], workloads: usages };
}

/** pod-peak: a namespace's usage is the sum of its pods' peaks. */
export function sumPodPeaks(pods: PodPeak[]): NamespacePeak[] {
  const namespaces = new Map<string, NamespacePeak>();
  for (const pod of pods) {
    const ns = namespaces.get(pod.namespace) ?? {
      namespace: pod.namespace,
      cpuCores: 0,
      memoryBytes: 0,
      pods: 0,
    };
    ns.cpuCores += pod.cpuCores;
    ns.memoryBytes += pod.memoryBytes;
    ns.pods += 1;
    namespaces.set(pod.namespace, ns);
  }
  return [...namespaces.values()];
}
