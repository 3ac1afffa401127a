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
      ['zero', null, false, null, null],
      ['zulu', null, false, null, null],
    ]);
  });

  it('shows a quota of 0 CPU and 0 memory as unmatched, without its cloud_id, rates or over-quota flag', () => {
    const [row] = buildUtilization([usage('zero', 3, 2)], quotas);
    expect(row).toMatchObject({
      cloudId: null,
      project: 'zero',
      cpuCores: 3,
      cpuQuotaCores: 0,
      cpuRate: null,
      memoryQuotaBytes: 0,
      memoryRate: null,
      level: null,
      overQuota: false,
      matched: false,
    });
  });

  it('matches a quota with 0 CPU but some memory, with a memory rate only', () => {
    const halfZero = new Map([['mem-only', { cloudId: '8', cpuCores: 0, memoryBytes: 4 * GiB }]]);
    const [row] = buildUtilization([usage('mem-only', 1, 3)], halfZero);
    // 3 GiB of 4 GiB = 75 %
    expect(row).toMatchObject({
      cloudId: '8',
      cpuRate: null,
      cpuLevel: null,
      memoryRate: 75,
      level: 'medium',
      matched: true,
    });
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

  it('puts 9.04 of 11.3 cores in high: the rate is 80 %, not the 79.99999999999999 floating point gives', () => {
    const tight = new Map([['gamma', { cloudId: '3', cpuCores: 11.3, memoryBytes: 10 * GiB }]]);
    const [row] = buildUtilization([usage('gamma', 9.04, 4.99999)], tight);
    // 9.04 / 11.3 = 0.8 exactly on paper; 4.99999 / 10 GiB = 49.9999 % stays below medium
    expect(row).toMatchObject({ cpuRate: 80, cpuLevel: 'high', memoryRate: 49.9999, memoryLevel: 'low' });
  });

  it('does not flag 0.1 + 0.2 cores of a 0.3-core quota as over quota: the rate is 100 %', () => {
    const small = new Map([['delta', { cloudId: '4', cpuCores: 0.3, memoryBytes: 1 * GiB }]]);
    const [row] = buildUtilization([usage('delta', 0.1 + 0.2, 1.5)], small);
    // 1.5 GiB of 1 GiB = 150 %: over quota by memory, not by CPU
    expect(row).toMatchObject({ cpuRate: 100, cpuLevel: 'high', memoryRate: 150, overQuota: true });
    const [cpuOnly] = buildUtilization([usage('delta', 0.1 + 0.2, 0.5)], small);
    expect(cpuOnly).toMatchObject({ cpuRate: 100, memoryRate: 50, overQuota: false });
  });

  it('keeps a rate just above 100 % over quota', () => {
    const [row] = buildUtilization([usage('beta', 4.0004, 1)], quotas);
    // 4.0004 / 4 = 100.01 %
    expect(row).toMatchObject({ cpuRate: 100.01, overQuota: true });
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
