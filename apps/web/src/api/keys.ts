import type { NamespaceQuotaFilters } from './namespace-quotas';
import type { RunFilter } from './scheduler';

/** TanStack Query keys, one tree per resource so a mutation can invalidate all of it. */
export const queryKeys = {
  health: ['health'] as const,
  quotas: {
    all: ['quotas'] as const,
    list: (search: string) => ['quotas', 'list', search] as const,
  },
  reports: {
    all: ['reports'] as const,
    dates: ['reports', 'dates'] as const,
    report: (date: string) => ['reports', 'report', date] as const,
    namespaces: (date: string, project: string) => ['reports', 'namespaces', date, project] as const,
    workloads: (date: string, cluster: string | null, namespace: string) =>
      ['reports', 'workloads', date, cluster, namespace] as const,
  },
  settings: ['settings'] as const,
  clusters: ['clusters'] as const,
  prometheus: {
    sources: ['prometheus', 'sources'] as const,
    jobs: ['prometheus', 'jobs'] as const,
    job: (id: string) => ['prometheus', 'job', id] as const,
  },
  namespaceQuotas: {
    all: ['namespace-quotas'] as const,
    list: (filters: NamespaceQuotaFilters) => ['namespace-quotas', 'list', filters] as const,
  },
  scheduler: {
    config: ['scheduler', 'config'] as const,
    runs: ['scheduler', 'runs'] as const,
    runList: (filter: RunFilter) => ['scheduler', 'runs', 'list', filter] as const,
    run: (id: number) => ['scheduler', 'runs', 'run', id] as const,
  },
};
