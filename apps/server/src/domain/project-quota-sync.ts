import { nearlyEqual } from './diff-by-key';
import { naturalOrder } from './natural-order';
import type { ProjectClusterQuota } from './quota-figures';

export interface ExistingQuota {
  cloudId: string;
  projectName: string;
  source: string;
  cpuCores: number;
  memoryBytes: number;
}

export interface Share {
  projectName: string;
  clusterName: string;
  cpuCores: number;
  memoryBytes: number;
}

export interface ProjectQuotaPlan {
  shareUpserts: Share[];
  /** Projects whose share of this cluster is gone. */
  shareDeletes: string[];
  creates: { cloudId: string; projectName: string; cpuCores: number; memoryBytes: number }[];
  updates: { cloudId: string; cpuCores: number; memoryBytes: number }[];
  deletes: string[];
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: string[];
  errors: string[];
}

export const MANUAL_SOURCE = 'manual';
export const K8S_SOURCE = 'k8s';

/**
 * How one cluster's project quotas change the stored ones. A project's synced quota is the sum of
 * its shares over every cluster that reports it; this cluster's shares are replaced, the others
 * kept. Quotas entered by hand are never written (skipped). A new project gets its name as 云序号
 * until someone sets the real key. Nothing incoming withdraws the cluster (as deleting it does): each
 * of its projects keeps the sum of its other shares, or is removed when it has none.
 */
export function planProjectQuotaSync(input: {
  clusterName: string;
  incoming: ProjectClusterQuota[];
  shares: Share[];
  quotas: Map<string, ExistingQuota>;
  takenCloudIds: Set<string>;
  /** Projects whose figures in this cluster could not be read: their share and quota stay as they are. */
  unreadable?: Set<string>;
}): ProjectQuotaPlan {
  const { clusterName, incoming, quotas, takenCloudIds } = input;
  const plan: ProjectQuotaPlan = {
    shareUpserts: [],
    shareDeletes: [],
    creates: [],
    updates: [],
    deletes: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    skipped: [],
    errors: [],
  };
  const incomingByProject = new Map<string, ProjectClusterQuota>();
  for (const q of incoming) {
    const sum = incomingByProject.get(q.project) ?? { project: q.project, cpuCores: 0, memoryBytes: 0 };
    sum.cpuCores += q.cpuCores;
    sum.memoryBytes += q.memoryBytes;
    incomingByProject.set(q.project, sum);
  }
  const sharesByProject = new Map<string, Share[]>();
  for (const share of input.shares)
    sharesByProject.set(share.projectName, [...(sharesByProject.get(share.projectName) ?? []), share]);
  const projects = [
    ...new Set([
      ...incomingByProject.keys(),
      ...[...sharesByProject.values()]
        .flat()
        .filter((s) => s.clusterName === clusterName)
        .map((s) => s.projectName),
    ]),
  ].sort(naturalOrder);

  for (const project of projects) {
    if (input.unreadable?.has(project)) continue;
    const fresh = incomingByProject.get(project);
    const quota = quotas.get(project);
    const others = (sharesByProject.get(project) ?? []).filter((s) => s.clusterName !== clusterName);
    const ownShare = (sharesByProject.get(project) ?? []).find((s) => s.clusterName === clusterName);
    const hadShare = ownShare !== undefined;
    if (quota && quota.source === MANUAL_SOURCE) {
      if (fresh) plan.skipped.push(project);
      if (hadShare) plan.shareDeletes.push(project);
      continue;
    }
    if (!quota && fresh && takenCloudIds.has(project)) {
      plan.errors.push(
        `project "${project}": 云序号 "${project}" already belongs to another project; give one of them another 云序号`,
      );
      continue;
    }
    const shareUnchanged =
      ownShare !== undefined &&
      fresh !== undefined &&
      nearlyEqual(ownShare.cpuCores, fresh.cpuCores) &&
      nearlyEqual(ownShare.memoryBytes, fresh.memoryBytes);
    if (fresh && !shareUnchanged) {
      plan.shareUpserts.push({
        projectName: project,
        clusterName,
        cpuCores: fresh.cpuCores,
        memoryBytes: fresh.memoryBytes,
      });
    } else if (!fresh && hadShare) plan.shareDeletes.push(project);
    const shares = fresh ? [...others, { cpuCores: fresh.cpuCores, memoryBytes: fresh.memoryBytes }] : others;
    if (shares.length === 0) {
      if (quota) {
        plan.deletes.push(quota.cloudId);
        plan.removed += 1;
      }
      continue;
    }
    const cpuCores = shares.reduce((n, s) => n + s.cpuCores, 0);
    const memoryBytes = shares.reduce((n, s) => n + s.memoryBytes, 0);
    if (!quota) {
      plan.creates.push({ cloudId: project, projectName: project, cpuCores, memoryBytes });
      plan.created += 1;
    } else if (nearlyEqual(quota.cpuCores, cpuCores) && nearlyEqual(quota.memoryBytes, memoryBytes)) {
      plan.unchanged += 1;
    } else {
      plan.updates.push({ cloudId: quota.cloudId, cpuCores, memoryBytes });
      plan.updated += 1;
    }
  }
  return plan;
}
