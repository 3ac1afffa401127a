import type { NamespaceQuotaImportResult, NamespaceQuotaList } from '@kra/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, sheetForm, withQuery, type SheetUpload } from './client';
import { queryKeys } from './keys';

export const NAMESPACE_QUOTA_TEMPLATE_URL = '/api/templates/namespace-quota';

export interface NamespaceQuotaFilters {
  cluster?: string;
  project?: string;
  /** Substring of the namespace or project. */
  search?: string;
}

/** The export of the rows that match `filters`, in the import template's layout. */
export const namespaceQuotaExportUrl = (filters: NamespaceQuotaFilters): string =>
  withQuery('/api/k8s/quotas/export', { ...filters });

export function useNamespaceQuotas(filters: NamespaceQuotaFilters) {
  return useQuery({
    queryKey: queryKeys.namespaceQuotas.list(filters),
    queryFn: ({ signal }) => api.get<NamespaceQuotaList>('/api/k8s/quotas', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

function useInvalidateNamespaceQuotas() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.namespaceQuotas.all });
}

export function useDeleteNamespaceQuota() {
  const invalidate = useInvalidateNamespaceQuotas();
  return useMutation({
    mutationFn: ({ cluster, namespace }: { cluster: string; namespace: string }) =>
      api.delete<void>(`/api/k8s/quotas/${encodeURIComponent(cluster)}/${encodeURIComponent(namespace)}`),
    onSuccess: invalidate,
  });
}

export function useImportNamespaceQuotas() {
  const invalidate = useInvalidateNamespaceQuotas();
  return useMutation({
    mutationFn: (upload: SheetUpload) =>
      api.postForm<NamespaceQuotaImportResult>('/api/k8s/quotas/import', sheetForm(upload)),
    onSuccess: invalidate,
  });
}
