import type {
  DeleteReportResult,
  ExportFormat,
  NamespaceUsageList,
  Report,
  ReportDateList,
  WorkloadUsageList,
} from '@kra/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, type DownloadedFile } from './client';
import { queryKeys } from './keys';

export const REPORT_TEMPLATE_URL = '/api/templates/report';

export function useReportDates() {
  return useQuery({
    queryKey: queryKeys.reports.dates,
    queryFn: ({ signal }) => api.get<ReportDateList>('/api/reports', undefined, signal),
  });
}

export function useReport(date: string | undefined) {
  return useQuery({
    queryKey: queryKeys.reports.report(date ?? ''),
    queryFn: ({ signal }) => api.get<Report>(`/api/reports/${date ?? ''}`, undefined, signal),
    enabled: Boolean(date),
  });
}

export function useProjectNamespaces(date: string, project: string) {
  return useQuery({
    queryKey: queryKeys.reports.namespaces(date, project),
    queryFn: ({ signal }) =>
      api.get<NamespaceUsageList>(`/api/reports/${date}/namespaces`, { project }, signal),
  });
}

/** What replica-dedup saw and kept per workload of a namespace; fetched only while `enabled`. */
export function useNamespaceWorkloads(
  date: string,
  cluster: string | null,
  namespace: string,
  enabled: boolean,
) {
  return useQuery({
    queryKey: queryKeys.reports.workloads(date, cluster, namespace),
    queryFn: ({ signal }) =>
      api.get<WorkloadUsageList>(
        `/api/reports/${date}/workloads`,
        { cluster: cluster ?? undefined, namespace },
        signal,
      ),
    enabled,
  });
}

export function useDeleteReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ date, file }: { date: string; file?: string }) =>
      api.delete<DeleteReportResult>(`/api/reports/${date}`, { file }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.reports.all }),
  });
}

/** Invalidates every report query after new usage data arrived. */
export function useRefreshReports() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.reports.all });
}

export function exportReports(dates: string[], format: ExportFormat): Promise<DownloadedFile> {
  const fallback = `resource-usage-report.${format}`;
  return download('/api/reports/export', { dates: dates.join(','), format }, fallback);
}
