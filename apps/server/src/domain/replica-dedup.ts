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

/** Kubernetes' random suffixes use this alphabet (no vowels, no 0/1/3). */
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How each controller names its pods. */
function podPattern(kind: WorkloadKind, name: string): RegExp {
  const n = escape(name);
  switch (kind) {
    case 'Deployment':
      return new RegExp(`^${n}-${SUFFIX}{1,10}-${SUFFIX}{5}$`);
    case 'StatefulSet':
      return new RegExp(`^${n}-\\d+$`);
    case 'DaemonSet':
      return new RegExp(`^${n}-${SUFFIX}{5}$`);
    case 'Job':
      return new RegExp(`^${n}-(?:\\d+-)?${SUFFIX}{5}$`);
    case 'CronJob':
      return new RegExp(`^${n}-\\d{8,}-(?:\\d+-)?${SUFFIX}{5}$`);
  }
}

/**
 * The workload a pod belongs to, by the controllers' naming rules (`<deployment>-<template
 * hash>-<5>`, `<statefulset>-<ordinal>`, `<daemonset>-<5>`, `<job>-<5>`, `<cronjob>-<schedule
 * time>-<5>`). Longer names are tried first, so `api-gateway-…` goes to api-gateway, not api.
 */
export function workloadMatcher(
  workloads: Workload[],
): (namespace: string, pod: string) => Workload | undefined {
  const byNamespace = new Map<string, { workload: Workload; pattern: RegExp }[]>();
  for (const w of [...workloads].sort((a, b) => b.name.length - a.name.length)) {
    byNamespace.set(w.namespace, [
      ...(byNamespace.get(w.namespace) ?? []),
      { workload: w, pattern: podPattern(w.kind, w.name) },
    ]);
  }
  return (namespace, pod) => byNamespace.get(namespace)?.find((c) => c.pattern.test(pod))?.workload;
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
    const keep = group.workload
      ? Math.max(1, Math.floor(group.workload.replicas * tolerance))
      : group.pods.length;
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
