import { z } from 'zod';
import { ErrorDetail } from './common';

/** A namespace's quota and usage (the seed's NamespaceQuota fields; memory and storage in GiB). */
export const NamespaceQuota = z
  .object({
    cluster_name: z.string(),
    namespace: z.string(),
    project_name: z
      .string()
      .nullable()
      .describe('from the cluster project label; null when the namespace has none'),
    cpu_limit: z.number().nullable().describe('cores; the tightest hard limit of its ResourceQuotas'),
    memory_limit: z.number().nullable().describe('GiB'),
    cpu_used: z.number().nullable(),
    memory_used: z.number().nullable(),
    pods_limit: z.number().nullable(),
    pods_used: z.number().nullable(),
    storage_limit: z.number().nullable().describe('GiB (requests.storage)'),
    storage_used: z.number().nullable(),
    cpu_rate: z.number().nullable().describe('used / limit, percent'),
    memory_rate: z.number().nullable(),
    pods_rate: z.number().nullable(),
    storage_rate: z.number().nullable(),
    quota_count: z.number().int().describe('ResourceQuota objects combined'),
    source: z.enum(['k8s', 'import']),
    synced_at: z.string(),
  })
  .meta({ id: 'NamespaceQuota' });
export type NamespaceQuota = z.infer<typeof NamespaceQuota>;

export const NamespaceQuotaQuery = z.object({
  cluster: z.string().optional().describe('cluster name'),
  project: z.string().optional(),
  search: z.string().optional().describe('substring of namespace or project'),
});

export const NamespaceQuotaList = z.object({ items: z.array(NamespaceQuota), total: z.number().int() });
export type NamespaceQuotaList = z.infer<typeof NamespaceQuotaList>;

export const NamespaceQuotaImportResult = z
  .object({
    stored: z.boolean(),
    total_rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected_rows: z.number().int(),
    errors: z.array(ErrorDetail),
  })
  .meta({ id: 'NamespaceQuotaImportResult' });
export type NamespaceQuotaImportResult = z.infer<typeof NamespaceQuotaImportResult>;

export const NAMESPACE_QUOTA_TEMPLATE_COLUMNS = [
  '集群名称',
  '命名空间',
  '项目名称',
  'CPU限制(核)',
  '内存限制(GB)',
  'CPU已用(核)',
  '内存已用(GB)',
  'Pod限制',
  'Pod已用',
  '存储限制(GB)',
  '存储已用(GB)',
] as const;
