import type {
  FakeClusterState,
  NamespaceInput,
  ProjectQuotaInput,
  ResourceQuotaInput,
} from '../../apps/server/test/helpers/fake-kube-apiserver';
import { logUniform, mulberry32, seedOf } from './prng';
import { MAX_NAMESPACES_PER_PROJECT, namespaceName, projectName } from './dataset';

/**
 * Deterministic Kubernetes objects for the fake API server: namespaces labelled with their project,
 * one ResourceQuota per namespace (limits.cpu, limits.memory, pods, requests.storage, with
 * status.used), and one ProjectQuota per project. Names come from dataset.ts; the quota values
 * depend only on the cluster's seed and the namespace's index. No Math.random anywhere.
 */

export const PROJECT_LABEL = 'cpaas.io/project';
export const QUOTA_NAME = 'default';
const CREATED = '2025-03-01T08:00:00Z';
const RQ_SALT = 0x7e51;
const PQ_SALT = 0x9c0d;

export interface ClusterShape {
  namespaces: number;
  projects: number;
  /** Seeds the quota values, so clusters of the same shape differ. */
  seed: number;
}

/** A project name that is also a valid label value and object name (the Chinese names are not). */
export function k8sProjectName(i: number): string {
  const name = projectName(i);
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) ? name : `project-${i + 1}`;
}

/** A stable uid, so two runs build the very same objects. */
function uid(kind: number, seed: number, index: number): string {
  const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  return `${hex(kind, 8)}-${hex(seed, 4)}-4${hex(index >>> 16, 3)}-8${hex(index, 3)}-${hex(seedOf(kind ^ seed, index), 8)}0000`;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Cores as a Kubernetes quantity: mostly whole cores, some millicores. */
function cpuText(cores: number, random: () => number): string {
  return random() < 0.25 ? `${Math.round(cores * 1000)}m` : String(Math.max(1, Math.round(cores)));
}

/** GiB as a quantity: Gi mostly, some Mi, a few plain bytes. */
function memoryText(gib: number, random: () => number): string {
  const r = random();
  if (r < 0.1) return String(Math.round(gib * 1024 ** 3));
  if (r < 0.3) return `${Math.round(gib * 1024)}Mi`;
  return `${Math.max(1, Math.round(gib))}Gi`;
}

interface NamespaceQuota {
  project: number;
  cpuCores: number;
  memoryGiB: number;
}

/** Namespace k belongs to project k mod P; its name is namespaceName(project, k div P). */
export function clusterState(shape: ClusterShape): FakeClusterState {
  const { namespaces: count, projects, seed } = shape;
  if (Math.ceil(count / projects) > MAX_NAMESPACES_PER_PROJECT)
    throw new Error(`at most ${MAX_NAMESPACES_PER_PROJECT} namespaces per project`);
  const namespaces: NamespaceInput[] = [];
  const resourcequotas: ResourceQuotaInput[] = [];
  const sums: NamespaceQuota[] = Array.from({ length: projects }, (_, project) => ({
    project,
    cpuCores: 0,
    memoryGiB: 0,
  }));
  for (let k = 0; k < count; k += 1) {
    const project = k % projects;
    const name = namespaceName(project, Math.floor(k / projects));
    namespaces.push({
      name,
      uid: uid(1, seed, k),
      creationTimestamp: CREATED,
      labels: { [PROJECT_LABEL]: k8sProjectName(project), 'cpaas.io/cluster': `bench-${seed}` },
    });
    const r = mulberry32(seedOf(RQ_SALT + seed, k));
    const cpu = logUniform(r, 1, 64);
    const memory = logUniform(r, 2, 256);
    const pods = pick(r, [20, 50, 100, 200, 500]);
    const storage = pick(r, [50, 100, 200, 500, 1024, 2048]);
    const used = () => Math.min(1.2, logUniform(r, 0.02, 1.1));
    sums[project]!.cpuCores += cpu;
    sums[project]!.memoryGiB += memory;
    resourcequotas.push({
      name: QUOTA_NAME,
      namespace: name,
      uid: uid(2, seed, k),
      creationTimestamp: CREATED,
      spec: {
        hard: {
          'limits.cpu': cpuText(cpu, r),
          'limits.memory': memoryText(memory, r),
          pods: String(pods),
          'requests.storage': storage >= 1024 ? `${storage / 1024}Ti` : `${storage}Gi`,
        },
      },
      status: {
        used: {
          'limits.cpu': `${Math.round(cpu * used() * 1000)}m`,
          'limits.memory': `${Math.round(memory * used() * 1024)}Mi`,
          pods: String(Math.floor(pods * Math.min(1, used()))),
          'requests.storage': `${Math.round(storage * used())}Gi`,
        },
      },
    });
  }
  // A project's quota is a little above what its namespaces add up to, as an administrator would set it.
  const projectquotas: ProjectQuotaInput[] = sums.map((s) => {
    const r = mulberry32(seedOf(PQ_SALT + seed, s.project));
    const cpu = Math.ceil(Math.max(1, s.cpuCores) * (1 + r() * 0.5));
    const memory = Math.ceil(Math.max(1, s.memoryGiB) * (1 + r() * 0.5));
    return {
      name: k8sProjectName(s.project),
      uid: uid(3, seed, s.project),
      creationTimestamp: CREATED,
      spec: {
        hard: {
          'limits.cpu': String(cpu),
          'limits.memory': `${memory}Gi`,
          'requests.cpu': String(Math.ceil(cpu / 2)),
          'requests.memory': `${Math.ceil(memory / 2)}Gi`,
        },
      },
      status: {
        used: {
          'limits.cpu': `${Math.round(s.cpuCores * 500)}m`,
          'limits.memory': `${Math.round(s.memoryGiB * 512)}Mi`,
          'requests.cpu': `${Math.round(s.cpuCores * 250)}m`,
          'requests.memory': `${Math.round(s.memoryGiB * 256)}Mi`,
        },
      },
    };
  });
  return { namespaces, resourcequotas, projectquotas, projectQuotaCrd: true };
}
