import { describe, expect, it } from 'vitest';
import { planProjectQuotaSync } from './project-quota-sync';
import type { ExistingQuota, Share } from './project-quota-sync';

const quota = (
  projectName: string,
  source: string,
  cpuCores: number,
  memoryBytes: number,
  cloudId = projectName,
): ExistingQuota => ({
  cloudId,
  projectName,
  source,
  cpuCores,
  memoryBytes,
});
const share = (projectName: string, clusterName: string, cpuCores: number, memoryBytes: number): Share => ({
  projectName,
  clusterName,
  cpuCores,
  memoryBytes,
});

describe('planProjectQuotaSync', () => {
  it('creates new projects under their name as 云序号 and sums a project over clusters', () => {
    const plan = planProjectQuotaSync({
      clusterName: 'prod',
      incoming: [
        { project: 'payments', cpuCores: 40, memoryBytes: 80 },
        { project: 'search', cpuCores: 10, memoryBytes: 20 },
      ],
      // payments also lives in staging with 8 cores / 16
      shares: [share('payments', 'staging', 8, 16)],
      quotas: new Map([['payments', quota('payments', 'k8s', 8, 16, 'P-001')]]),
      takenCloudIds: new Set(['P-001']),
    });
    expect(plan.creates).toEqual([
      { cloudId: 'search', projectName: 'search', cpuCores: 10, memoryBytes: 20 },
    ]);
    // payments: 8 (staging) + 40 (prod) = 48 cores, 16 + 80 = 96
    expect(plan.updates).toEqual([{ cloudId: 'P-001', cpuCores: 48, memoryBytes: 96 }]);
    expect(plan.shareUpserts.map((s) => s.projectName)).toEqual(['payments', 'search']);
    expect([plan.created, plan.updated, plan.unchanged, plan.removed]).toEqual([1, 1, 0, 0]);
  });

  it('never writes a manual quota and reports it as skipped', () => {
    const plan = planProjectQuotaSync({
      clusterName: 'prod',
      incoming: [{ project: 'payments', cpuCores: 40, memoryBytes: 80 }],
      shares: [],
      quotas: new Map([['payments', quota('payments', 'manual', 1, 1)]]),
      takenCloudIds: new Set(['payments']),
    });
    expect(plan.skipped).toEqual(['payments']);
    expect([plan.creates, plan.updates, plan.shareUpserts]).toEqual([[], [], []]);
  });

  it('removes a project gone from its only cluster, and keeps one other clusters still report', () => {
    const plan = planProjectQuotaSync({
      clusterName: 'prod',
      incoming: [],
      shares: [share('old', 'prod', 4, 4), share('shared', 'prod', 4, 4), share('shared', 'dr', 2, 2)],
      quotas: new Map([
        ['old', quota('old', 'k8s', 4, 4)],
        ['shared', quota('shared', 'k8s', 6, 6)],
      ]),
      takenCloudIds: new Set(['old', 'shared']),
    });
    expect(plan.deletes).toEqual(['old']);
    expect(plan.shareDeletes).toEqual(['old', 'shared']);
    // shared: only dr's 2 / 2 remain
    expect(plan.updates).toEqual([{ cloudId: 'shared', cpuCores: 2, memoryBytes: 2 }]);
    expect([plan.removed, plan.updated]).toEqual([1, 1]);
  });

  it('counts an unchanged project, and refuses a 云序号 another project holds', () => {
    const plan = planProjectQuotaSync({
      clusterName: 'prod',
      incoming: [
        { project: 'same', cpuCores: 3, memoryBytes: 6 },
        { project: 'clash', cpuCores: 1, memoryBytes: 1 },
      ],
      shares: [share('same', 'prod', 3, 6)],
      quotas: new Map([['same', quota('same', 'k8s', 3, 6)]]),
      takenCloudIds: new Set(['same', 'clash']),
    });
    expect(plan.unchanged).toBe(1);
    // an unchanged share is not written again
    expect(plan.shareUpserts).toEqual([]);
    expect(plan.errors).toEqual([
      'project "clash": 云序号 "clash" already belongs to another project; give one of them another 云序号',
    ]);
    expect(plan.creates).toEqual([]);
  });
});
