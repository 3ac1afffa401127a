import { parseQuantity } from './quantity';

/** Hard limits and usage of one namespace or project, in base units (cores, bytes, pods). */
export interface QuotaFigures {
  cpuLimit: number | null;
  memoryLimit: number | null;
  cpuUsed: number | null;
  memoryUsed: number | null;
  podsLimit: number | null;
  podsUsed: number | null;
  storageLimit: number | null;
  storageUsed: number | null;
}

export interface RawQuota {
  hard: Record<string, string>;
  used: Record<string, string>;
  /**
   * Whether the quota has scopes or a scope selector (BestEffort, NotTerminating, a PriorityClass…):
   * it caps, and counts, only the pods in its scope.
   */
  scoped?: boolean;
}

/** Where each figure is read from, first match wins: limits are what a quota caps, requests the fallback. */
const KEYS = {
  cpu: ['limits.cpu', 'requests.cpu', 'cpu'],
  memory: ['limits.memory', 'requests.memory', 'memory'],
  pods: ['pods', 'count/pods'],
  storage: ['requests.storage'],
} as const;

export class QuotaFigureError extends Error {}

function quantity(raw: string, resource: string, owner: string): number {
  try {
    return parseQuantity(raw);
  } catch {
    throw new QuotaFigureError(`${owner}: ${resource} "${raw}" is not a Kubernetes quantity`);
  }
}

/**
 * One namespace's figures from its ResourceQuotas. Several quotas on one resource all apply, so the
 * tightest hard limit is the one that binds. Every unscoped quota's status.used reports the
 * namespace's whole usage of that resource, so they agree and the largest (most recent) value is
 * taken; adding them up would count the same pods once per quota. Scoped quotas are left out: they
 * bound and count only some pods (a BestEffort quota's pods: 5 is no limit on the namespace), so
 * neither their limits nor their usage describe the namespace.
 */
export function combineQuotas(quotas: RawQuota[], owner: string): QuotaFigures {
  const hard = new Map<string, number>();
  const used = new Map<string, number>();
  for (const q of quotas) {
    if (q.scoped) continue;
    for (const [resource, raw] of Object.entries(q.hard)) {
      const value = quantity(raw, resource, owner);
      hard.set(resource, Math.min(value, hard.get(resource) ?? Infinity));
    }
    for (const [resource, raw] of Object.entries(q.used)) {
      const value = quantity(raw, resource, owner);
      used.set(resource, Math.max(value, used.get(resource) ?? -Infinity));
    }
  }
  const pick = (keys: readonly string[]) => {
    const key = keys.find((k) => hard.has(k));
    return key === undefined
      ? { limit: null, used: null }
      : { limit: hard.get(key)!, used: used.get(key) ?? 0 };
  };
  const cpu = pick(KEYS.cpu);
  const memory = pick(KEYS.memory);
  const pods = pick(KEYS.pods);
  const storage = pick(KEYS.storage);
  return {
    cpuLimit: cpu.limit,
    memoryLimit: memory.limit,
    cpuUsed: cpu.used,
    memoryUsed: memory.used,
    podsLimit: pods.limit,
    podsUsed: pods.used,
    storageLimit: storage.limit,
    storageUsed: storage.used,
  };
}

/** A project's CPU and memory quota of one cluster. */
export interface ProjectClusterQuota {
  project: string;
  cpuCores: number;
  memoryBytes: number;
}

/** From ProjectQuota objects (auth.alauda.io/v1): limits.* falling back to requests.*; absent counts as 0. */
export function projectQuotasFromCrd(
  objects: { name: string; hard: Record<string, string> }[],
  cluster: string,
): ProjectClusterQuota[] {
  return objects.map((o) => {
    const figures = combineQuotas([{ hard: o.hard, used: {} }], `${cluster}/projectquota ${o.name}`);
    return { project: o.name, cpuCores: figures.cpuLimit ?? 0, memoryBytes: figures.memoryLimit ?? 0 };
  });
}

/** Without the CRD: a project's quota is the sum of its namespaces' limits. */
export function projectQuotasFromNamespaces(
  namespaces: { project: string | null; figures: QuotaFigures }[],
): ProjectClusterQuota[] {
  const byProject = new Map<string, ProjectClusterQuota>();
  for (const { project, figures } of namespaces) {
    if (project === null || (figures.cpuLimit === null && figures.memoryLimit === null)) continue;
    const total = byProject.get(project) ?? { project, cpuCores: 0, memoryBytes: 0 };
    total.cpuCores += figures.cpuLimit ?? 0;
    total.memoryBytes += figures.memoryLimit ?? 0;
    byProject.set(project, total);
  }
  return [...byProject.values()];
}

/** The project a namespace belongs to: its label value, or the namespace itself when the cluster has no label. */
export function projectOf(
  namespace: { name: string; labels: Record<string, string> },
  projectLabel: string | null,
): string | null {
  if (projectLabel === null) return namespace.name;
  const value = namespace.labels[projectLabel];
  return value === undefined || value === '' ? null : value;
}
