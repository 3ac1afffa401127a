import type {
  JobKey,
  JobRun,
  JobRunList,
  JobSchedule,
  SchedulerConfig,
  SchedulerConfigUpdate,
} from '@kra/contracts';
import { useEffect, useRef } from 'react';
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';

/** A run in progress is followed this often (its job's card, the history, its detail). */
const RUN_POLL_MS = 1000;
/** Otherwise the schedules are read again now and then: a scheduled run starts without the page. */
const IDLE_POLL_MS = 30_000;

/** What the history can be narrowed to; an absent field is not filtered on. */
export type RunFilter = Partial<Pick<JobRun, 'job' | 'status' | 'trigger'>>;

/** What each job writes, read again once one of its runs has finished. */
const JOB_CHANGES: Record<JobKey, QueryKey[]> = {
  'namespace-quota-sync': [queryKeys.clusters, queryKeys.namespaceQuotas.all],
  'project-quota-sync': [queryKeys.clusters, queryKeys.quotas.all, queryKeys.reports.all],
  'prometheus-sync': [queryKeys.prometheus.sources, queryKeys.reports.all],
};

const isRunning = (run: JobRun | null | undefined): boolean => run?.status === 'running';

/** Identifies a job's last run and how it stands, so a change of either is noticed. */
const lastRunKey = (job: JobSchedule) => (job.last_run ? `${job.last_run.id}:${job.last_run.status}` : '');

/**
 * Reads again what a job changed once its last run is seen to have finished (or to be a newer,
 * finished one: a quick run may end between two polls).
 */
function useRefreshAfterRuns(jobs: JobSchedule[] | undefined) {
  const client = useQueryClient();
  const seen = useRef<Map<JobKey, string> | null>(null);
  useEffect(() => {
    if (!jobs) return;
    const before = seen.current;
    seen.current = new Map(jobs.map((job) => [job.job, lastRunKey(job)]));
    if (!before) return;
    const finished = jobs.filter(
      (job) => job.last_run && !isRunning(job.last_run) && before.get(job.job) !== lastRunKey(job),
    );
    const keys = finished.flatMap((job) => JOB_CHANGES[job.job]);
    if (finished.length > 0) keys.push(queryKeys.scheduler.runs);
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  }, [jobs, client]);
}

export function useSchedulerConfig() {
  const query = useQuery({
    queryKey: queryKeys.scheduler.config,
    queryFn: ({ signal }) => api.get<SchedulerConfig>('/api/scheduler/config', undefined, signal),
    refetchInterval: (q) =>
      q.state.data?.jobs.some((job) => job.running_run_id !== null) ? RUN_POLL_MS : IDLE_POLL_MS,
  });
  useRefreshAfterRuns(query.data?.jobs);
  return query;
}

export function useUpdateScheduler() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: SchedulerConfigUpdate) => api.post<SchedulerConfig>('/api/scheduler/config', patch),
    onSuccess: (config) => client.setQueryData(queryKeys.scheduler.config, config),
  });
}

function useInvalidateRuns() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [queryKeys.scheduler.config, queryKeys.scheduler.runs].map((queryKey) =>
        client.invalidateQueries({ queryKey }),
      ),
    );
}

/** Starts a job now; a 409 (`job_running`) names the run that holds it, here or on another replica. */
export function useRunJob() {
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (job: JobKey) => api.post<JobRun>(`/api/scheduler/jobs/${job}/run`),
    onSettled: invalidate,
  });
}

export function useCancelRun() {
  const client = useQueryClient();
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (id: number) => api.post<JobRun>(`/api/scheduler/runs/${id}/cancel`),
    onSuccess: (run) => {
      client.setQueryData(queryKeys.scheduler.run(run.id), run);
      return invalidate();
    },
  });
}

/** The newest runs (50), narrowed by `filter`; followed while one of them runs. */
export function useJobRuns(filter: RunFilter) {
  return useQuery({
    queryKey: queryKeys.scheduler.runList(filter),
    queryFn: ({ signal }) => api.get<JobRunList>('/api/scheduler/runs', filter, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some(isRunning) ? RUN_POLL_MS : false),
  });
}

/** One run with its results; followed while it runs. */
export function useJobRun(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.scheduler.run(id ?? 0),
    queryFn: ({ signal }) => api.get<JobRun>(`/api/scheduler/runs/${id}`, undefined, signal),
    enabled: id !== undefined,
    staleTime: 0,
    refetchInterval: (q) => (isRunning(q.state.data) ? RUN_POLL_MS : false),
  });
}
