import { describe, expect, it } from 'vitest';
import { buildUtilization, summarize } from './utilization';
import type { ProjectUsage, QuotaForProject } from './utilization';

const GiB = 1024 ** 3;
const usage = (
  project: string,
  cpuCores: number,
  memoryGiB: number,
  source: ProjectUsage['source'] = 'upload',
): ProjectUsage => ({
  project,
  source,
  cpuCores,
  memoryBytes: memoryGiB * GiB,
  namespaceCount: 1,
});

describe('buildUtilization', () => {
  const quotas = new Map<string, QuotaForProject>([
    ['alpha', { cloudId: '10', cpuCores: 4, memoryBytes: 10 * GiB }],
    ['beta', { cloudId: '2', cpuCores: 4, memoryBytes: 8 * GiB }],
    ['zero', { cloudId: '7', cpuCores: 0, memoryBytes: 0 }],
  ]);

  it('computes uncapped rates, levels and the over-quota flag', () => {
    const rows = buildUtilization([usage('alpha', 3, 9), usage('beta', 5, 2)], quotas);
    // beta: 5/4 = 125 % CPU (high, over), 2/8 = 25 % memory (low)
    expect(rows[0]).toMatchObject({
      cloudId: '2',
      project: 'beta',
      cpuRate: 125,
      memoryRate: 25,
      cpuLevel: 'high',
      memoryLevel: 'low',
      level: 'high',
      overQuota: true,
      matched: true,
    });
    // alpha: 3/4 = 75 % CPU (medium), 9/10 = 90 % memory (high)
    expect(rows[1]).toMatchObject({
      cloudId: '10',
      project: 'alpha',
      cpuRate: 75,
      memoryRate: 90,
      cpuLevel: 'medium',
      memoryLevel: 'high',
      level: 'high',
      overQuota: false,
    });
  });

  it('lists projects without a positive quota as unmatched, after the matched ones, by name', () => {
    const rows = buildUtilization([usage('zulu', 1, 1), usage('zero', 1, 1), usage('alpha', 2, 5)], quotas);
    expect(rows.map((r) => [r.project, r.cloudId, r.matched, r.cpuRate, r.level])).toEqual([
      ['alpha', '10', true, 50, 'medium'],
      ['zero', '7', false, null, null],
      ['zulu', null, false, null, null],
    ]);
  });

  it('takes uploads over Prometheus for the same project, and Prometheus when there is no upload', () => {
    const rows = buildUtilization(
      [usage('alpha', 1, 1, 'prometheus'), usage('alpha', 2, 2, 'upload'), usage('beta', 1, 4, 'prometheus')],
      quotas,
    );
    expect(rows.map((r) => [r.project, r.source, r.cpuCores])).toEqual([
      ['beta', 'prometheus', 1],
      ['alpha', 'upload', 2],
    ]);
  });

  it('puts a rate of exactly 80 % in high and 50 % in medium', () => {
    const [row] = buildUtilization([usage('beta', 3.2, 4)], quotas);
    expect(row).toMatchObject({ cpuRate: 80, cpuLevel: 'high', memoryRate: 50, memoryLevel: 'medium' });
  });

  it('summarizes counts', () => {
    const rows = buildUtilization([usage('alpha', 3, 9), usage('beta', 5, 2), usage('x', 1, 1)], quotas);
    expect(summarize(rows)).toEqual({
      projectCount: 3,
      matchedCount: 2,
      unmatchedCount: 1,
      overQuotaCount: 1,
      highCount: 2,
      mediumCount: 0,
      lowCount: 0,
    });
  });
});
