import type {
  ConnectionTest,
  K8sConfig,
  K8sConfigCreate,
  K8sConfigImportResult,
  K8sConfigList,
  K8sConfigUpdate,
  SyncResult,
} from '@kra/contracts';
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, sheetForm, type SheetUpload } from './client';
import { queryKeys } from './keys';

export const CLUSTER_TEMPLATE_URL = '/api/templates/k8s-config';

/** What a sync writes: namespace quotas, or project quotas. */
export type SyncKind = 'namespaces' | 'projects';

const SYNC_PATHS: Record<SyncKind, string> = {
  namespaces: '/api/k8s/sync',
  projects: '/api/k8s/sync-project-quota',
};

/** Every cluster records its last test and sync, so each of these changes the cluster list too. */
const SYNC_CHANGES: Record<SyncKind, QueryKey[]> = {
  namespaces: [queryKeys.clusters, queryKeys.namespaceQuotas.all],
  // A report's matching depends on the project quotas.
  projects: [queryKeys.clusters, queryKeys.quotas.all, queryKeys.reports.all],
};

function useInvalidate(keys: QueryKey[]) {
  const client = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useClusters() {
  return useQuery({
    queryKey: queryKeys.clusters,
    queryFn: ({ signal }) => api.get<K8sConfigList>('/api/k8s/configs', undefined, signal),
  });
}

export function useCreateCluster() {
  const invalidate = useInvalidate([queryKeys.clusters]);
  return useMutation({
    mutationFn: (input: K8sConfigCreate) => api.post<K8sConfig>('/api/k8s/configs', input),
    onSuccess: invalidate,
  });
}

export function useUpdateCluster() {
  const invalidate = useInvalidate([queryKeys.clusters]);
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: K8sConfigUpdate }) =>
      api.put<K8sConfig>(`/api/k8s/configs/${id}`, patch),
    onSuccess: invalidate,
  });
}

/** Deleting a cluster deletes its synced namespace quotas too. */
export function useDeleteCluster() {
  const invalidate = useInvalidate([queryKeys.clusters, queryKeys.namespaceQuotas.all]);
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/k8s/configs/${id}`),
    onSuccess: invalidate,
  });
}

export function useTestCluster() {
  const invalidate = useInvalidate([queryKeys.clusters]);
  return useMutation({
    mutationFn: (id: number) => api.post<ConnectionTest>(`/api/k8s/configs/${id}/test`),
    onSuccess: invalidate,
  });
}

export function useImportClusters() {
  const invalidate = useInvalidate([queryKeys.clusters]);
  return useMutation({
    mutationFn: (upload: SheetUpload) =>
      api.postForm<K8sConfigImportResult>('/api/k8s/configs/import', sheetForm(upload)),
    onSuccess: invalidate,
  });
}

/** Syncs the clusters with `ids`, or every cluster when undefined. */
export function useClusterSync(kind: SyncKind) {
  const invalidate = useInvalidate(SYNC_CHANGES[kind]);
  return useMutation({
    mutationFn: (ids: number[] | undefined) =>
      api.post<SyncResult>(SYNC_PATHS[kind], undefined, { config_id: ids?.join(',') }),
    onSuccess: invalidate,
  });
}
