import type {
  ProjectQuota,
  QuotaBatchDeleteResult,
  QuotaCreate,
  QuotaImportResult,
  QuotaList,
  QuotaUpdate,
} from '@kra/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, sheetForm, type SheetUpload } from './client';
import { queryKeys } from './keys';

export const QUOTA_TEMPLATE_URL = '/api/templates/quota';
export const QUOTA_EXPORT_URL = '/api/quotas/export';

export function useQuotas(search: string) {
  return useQuery({
    queryKey: queryKeys.quotas.list(search),
    queryFn: ({ signal }) => api.get<QuotaList>('/api/quotas', { search: search || undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Quotas and reports both change: a report's matching depends on the quotas. */
function useInvalidateQuotas() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.quotas.all }),
      client.invalidateQueries({ queryKey: queryKeys.reports.all }),
    ]);
}

export function useCreateQuota() {
  const invalidate = useInvalidateQuotas();
  return useMutation({
    mutationFn: (quota: QuotaCreate) => api.post<ProjectQuota>('/api/quotas', quota),
    onSuccess: invalidate,
  });
}

export function useUpdateQuota() {
  const invalidate = useInvalidateQuotas();
  return useMutation({
    mutationFn: ({ cloudId, patch }: { cloudId: string; patch: QuotaUpdate }) =>
      api.put<ProjectQuota>(`/api/quotas/${encodeURIComponent(cloudId)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteQuota() {
  const invalidate = useInvalidateQuotas();
  return useMutation({
    mutationFn: (cloudId: string) => api.delete<void>(`/api/quotas/${encodeURIComponent(cloudId)}`),
    onSuccess: invalidate,
  });
}

export function useBatchDeleteQuotas() {
  const invalidate = useInvalidateQuotas();
  return useMutation({
    mutationFn: (cloudIds: string[]) =>
      api.post<QuotaBatchDeleteResult>('/api/quotas/batch-delete', { cloud_ids: cloudIds }),
    onSuccess: invalidate,
  });
}

export function useImportQuotas() {
  const invalidate = useInvalidateQuotas();
  return useMutation({
    mutationFn: (upload: SheetUpload) =>
      api.postForm<QuotaImportResult>('/api/quotas/import', sheetForm(upload)),
    onSuccess: invalidate,
  });
}
