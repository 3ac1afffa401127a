import { describe, expect, it } from 'vitest';
import {
  combineQuotas,
  projectOf,
  projectQuotasFromCrd,
  projectQuotasFromNamespaces,
  QuotaFigureError,
} from './quota-figures';

const GiB = 1024 ** 3;

describe('combineQuotas', () => {
  it('reads limits.*, and the pods and storage of one ResourceQuota', () => {
    const figures = combineQuotas(
      [
        {
          hard: {
            'limits.cpu': '8',
            'limits.memory': '16Gi',
            'requests.cpu': '4',
            pods: '50',
            'requests.storage': '100Gi',
          },
          used: {
            'limits.cpu': '2500m',
            'limits.memory': '6Gi',
            'requests.cpu': '1',
            pods: '12',
            'requests.storage': '20Gi',
          },
        },
      ],
      'c/ns',
    );
    expect(figures).toEqual({
      cpuLimit: 8,
      memoryLimit: 16 * GiB,
      cpuUsed: 2.5,
      memoryUsed: 6 * GiB,
      podsLimit: 50,
      podsUsed: 12,
      storageLimit: 100 * GiB,
      storageUsed: 20 * GiB,
    });
  });

  it('leaves scoped quotas out: they limit and count only the pods in their scope', () => {
    const compute = {
      hard: { 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50' },
      used: { 'limits.cpu': '3', 'limits.memory': '4Gi', pods: '12' },
    };
    // 2 of the 12 pods are BestEffort, 1 core of the 3 is used by PriorityClass "low" pods
    const bestEffort = { hard: { pods: '5' }, used: { pods: '2' }, scoped: true };
    const lowPriority = {
      hard: { 'limits.cpu': '2', 'limits.memory': '2Gi' },
      used: { 'limits.cpu': '1', 'limits.memory': '1Gi' },
      scoped: true,
    };
    expect(combineQuotas([bestEffort, compute, lowPriority], 'c/ns')).toEqual({
      cpuLimit: 8,
      memoryLimit: 16 * GiB,
      cpuUsed: 3,
      memoryUsed: 4 * GiB,
      podsLimit: 50,
      podsUsed: 12,
      storageLimit: null,
      storageUsed: null,
    });
    // only scoped quotas: nothing limits the namespace as a whole
    expect(combineQuotas([bestEffort, lowPriority], 'c/ns')).toEqual(combineQuotas([], 'c/ns'));
  });

  it('falls back to requests.* and then to plain cpu/memory', () => {
    expect(
      combineQuotas(
        [{ hard: { 'requests.cpu': '3', 'requests.memory': '1G' }, used: { 'requests.cpu': '1' } }],
        'x',
      ),
    ).toMatchObject({
      cpuLimit: 3,
      cpuUsed: 1,
      memoryLimit: 1e9,
      memoryUsed: 0,
    });
    expect(combineQuotas([{ hard: { cpu: '500m', memory: '512Mi' }, used: {} }], 'x')).toMatchObject({
      cpuLimit: 0.5,
      memoryLimit: 512 * 1024 ** 2,
    });
  });

  it('takes the tightest hard limit of several quotas and their common usage once', () => {
    const figures = combineQuotas(
      [
        {
          hard: { 'limits.cpu': '10', 'limits.memory': '8Gi' },
          used: { 'limits.cpu': '3', 'limits.memory': '2Gi' },
        },
        { hard: { 'limits.cpu': '6', pods: '20' }, used: { 'limits.cpu': '3', pods: '7' } },
      ],
      'x',
    );
    // CPU: min(10, 6) = 6, used 3 (both quotas report the namespace total 3, not 3 + 3)
    expect(figures).toMatchObject({
      cpuLimit: 6,
      cpuUsed: 3,
      memoryLimit: 8 * GiB,
      memoryUsed: 2 * GiB,
      podsLimit: 20,
      podsUsed: 7,
    });
  });

  it('leaves figures without a quota null', () => {
    expect(combineQuotas([], 'x')).toEqual({
      cpuLimit: null,
      memoryLimit: null,
      cpuUsed: null,
      memoryUsed: null,
      podsLimit: null,
      podsUsed: null,
      storageLimit: null,
      storageUsed: null,
    });
  });

  it('names the quota and resource of a value it cannot read', () => {
    expect(() => combineQuotas([{ hard: { 'limits.cpu': 'lots' }, used: {} }], 'prod/team-a')).toThrow(
      new QuotaFigureError('prod/team-a: limits.cpu "lots" is not a Kubernetes quantity'),
    );
  });
});

describe('project quotas', () => {
  it('reads ProjectQuota limits with requests as fallback', () => {
    expect(
      projectQuotasFromCrd(
        [
          { name: 'payments', hard: { 'limits.cpu': '40', 'limits.memory': '80Gi', 'requests.cpu': '20' } },
          { name: 'search', hard: { 'requests.cpu': '12', 'requests.memory': '24Gi' } },
          { name: 'empty', hard: {} },
        ],
        'prod',
      ),
    ).toEqual([
      { project: 'payments', cpuCores: 40, memoryBytes: 80 * GiB },
      { project: 'search', cpuCores: 12, memoryBytes: 24 * GiB },
      { project: 'empty', cpuCores: 0, memoryBytes: 0 },
    ]);
  });

  it('sums namespaces per project, ignoring namespaces without a project or a quota', () => {
    const f = (cpu: number | null, memGiB: number | null) => ({
      ...combineQuotas([], ''),
      cpuLimit: cpu,
      memoryLimit: memGiB === null ? null : memGiB * GiB,
    });
    expect(
      projectQuotasFromNamespaces([
        { project: 'a', figures: f(4, 8) },
        { project: 'a', figures: f(2, null) },
        { project: 'b', figures: f(null, null) },
        { project: null, figures: f(100, 100) },
      ]),
    ).toEqual([{ project: 'a', cpuCores: 6, memoryBytes: 8 * GiB }]);
  });

  it('maps a namespace to its project by label, or by name when the cluster has no label', () => {
    const ns = { name: 'team-a-prod', labels: { 'cpaas.io/project': 'team-a' } };
    expect(projectOf(ns, 'cpaas.io/project')).toBe('team-a');
    expect(projectOf(ns, 'field.cattle.io/projectId')).toBeNull();
    expect(projectOf(ns, null)).toBe('team-a-prod');
  });
});
