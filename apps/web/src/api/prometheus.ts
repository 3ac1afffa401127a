import type {
  PrometheusConfig,
  PrometheusConfigCreate,
  PrometheusConfigList,
  PrometheusConfigUpdate,
  PrometheusImportResult,
  PrometheusTest,
  SyncJob,
  UsageSyncResult,
} from '@kra/contracts';
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, sheetForm, type SheetUpload } from './client';
import { queryKeys } from './keys';

export const PROMETHEUS_TEMPLATE_URL = '/api/templates/prometheus-config';

/** A range job is followed this often while it runs. */
const JOB_POLL_MS = 1000;

/** A sync stores usage (reports) and records its outcome on each source. */
const SYNC_CHANGES: QueryKey[] = [queryKeys.prometheus.sources, queryKeys.reports.all];

function useInvalidate(keys: QueryKey[]) {
  const client = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function usePrometheusSources() {
  return useQuery({
    queryKey: queryKeys.prometheus.sources,
    queryFn: ({ signal }) => api.get<PrometheusConfigList>('/api/prometheus/configs', undefined, signal),
  });
}

export function useCreateSource() {
  const invalidate = useInvalidate([queryKeys.prometheus.sources]);
  return useMutation({
    mutationFn: (input: PrometheusConfigCreate) =>
      api.post<PrometheusConfig>('/api/prometheus/configs', input),
    onSuccess: invalidate,
  });
}

export function useUpdateSource() {
  const invalidate = useInvalidate([queryKeys.prometheus.sources]);
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: PrometheusConfigUpdate }) =>
      api.put<PrometheusConfig>(`/api/prometheus/configs/${id}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteSource() {
  const invalidate = useInvalidate([queryKeys.prometheus.sources]);
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/prometheus/configs/${id}`),
    onSuccess: invalidate,
  });
}

export function useTestSource() {
  const invalidate = useInvalidate([queryKeys.prometheus.sources]);
  return useMutation({
    mutationFn: (id: number) => api.post<PrometheusTest>(`/api/prometheus/configs/${id}/test`),
    onSuccess: invalidate,
  });
}

export function useImportSources() {
  const invalidate = useInvalidate([queryKeys.prometheus.sources]);
  return useMutation({
    mutationFn: (upload: SheetUpload) =>
      api.postForm<PrometheusImportResult>('/api/prometheus/import', sheetForm(upload)),
    onSuccess: invalidate,
  });
}

/** Which sources a sync covers (all when undefined). */
const sourceQuery = (ids: number[] | undefined) => ({ config_id: ids?.join(',') });

/** Syncs one day (the server's yesterday when `date` is undefined) and answers its per-source result. */
export function useUsageSync() {
  const invalidate = useInvalidate(SYNC_CHANGES);
  return useMutation({
    mutationFn: ({ ids, date }: { ids?: number[]; date?: string }) =>
      api.post<UsageSyncResult>('/api/prometheus/sync', undefined, { ...sourceQuery(ids), date }),
    onSuccess: invalidate,
  });
}

/** Starts a range sync in the background; the answer is the job to follow. */
export function useStartRangeSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, from, to }: { ids?: number[]; from: string; to: string }) =>
      api.post<SyncJob>('/api/prometheus/sync', undefined, { ...sourceQuery(ids), from, to }),
    onSuccess: (job) => {
      client.setQueryData(queryKeys.prometheus.job(job.id), job);
      return client.invalidateQueries({ queryKey: queryKeys.prometheus.jobs });
    },
  });
}

/** This server's range jobs; followed while one of them runs. */
export function useSyncJobs() {
  return useQuery({
    queryKey: queryKeys.prometheus.jobs,
    queryFn: ({ signal }) => api.get<{ items: SyncJob[] }>('/api/prometheus/sync/jobs', undefined, signal),
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => job.status === 'running') ? JOB_POLL_MS : false,
  });
}

/**
 * A range job, polled every second while it runs. Once it has finished, what it stored shows in the
 * reports and on the sources, so those are read again.
 */
export function useSyncJob(id: string) {
  const query = useQuery({
    queryKey: queryKeys.prometheus.job(id),
    queryFn: ({ signal }) => api.get<SyncJob>(`/api/prometheus/sync/jobs/${id}`, undefined, signal),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? JOB_POLL_MS : false),
  });
  const client = useQueryClient();
  const finished = query.data !== undefined && query.data.status !== 'running';
  useEffect(() => {
    if (!finished) return;
    for (const queryKey of [...SYNC_CHANGES, queryKeys.prometheus.jobs])
      void client.invalidateQueries({ queryKey });
  }, [finished, id, client]);
  return query;
}

export function useCancelSyncJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<SyncJob>(`/api/prometheus/sync/jobs/${id}`),
    onSuccess: (job) => client.setQueryData(queryKeys.prometheus.job(job.id), job),
  });
}
