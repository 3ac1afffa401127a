import { z } from 'zod';
import { ErrorDetail } from './common';

const CloudId = z.string().trim().min(1, 'cloud_id must not be empty').max(128);
const ProjectName = z.string().trim().min(1, 'project_name must not be empty').max(253);
const Cores = z.number().finite().nonnegative().describe('CPU cores');
const GiB = z.number().finite().nonnegative().describe('Memory in GiB (2^30 bytes)');

export const QuotaSource = z
  .string()
  .describe(
    '`manual` (API, console, Excel: a cluster sync never overwrites it) or `k8s` (kept up to date by the project-quota sync)',
  );

export const QuotaShare = z.object({
  cluster_name: z.string(),
  cpu_quota: z.number().describe('cores'),
  memory_quota: z.number().describe('GiB'),
  origin: z
    .enum(['projectquota', 'resourcequota'])
    .describe("ProjectQuota CRD, or the sum of the namespaces' ResourceQuotas"),
});
export type QuotaShare = z.infer<typeof QuotaShare>;

export const ProjectQuota = z
  .object({
    cloud_id: z.string().describe('云序号: the key exported as 主键'),
    project_name: z.string(),
    cpu_quota: Cores,
    memory_quota: GiB,
    source: QuotaSource,
    clusters: z
      .array(QuotaShare)
      .describe('per-cluster parts of a synced quota (their sum is the quota); empty for manual quotas'),
    updated_at: z.string().describe('ISO 8601 timestamp'),
  })
  .meta({ id: 'ProjectQuota' });
export type ProjectQuota = z.infer<typeof ProjectQuota>;

export const QuotaCreate = z
  .object({ cloud_id: CloudId, project_name: ProjectName, cpu_quota: Cores, memory_quota: GiB })
  .meta({ id: 'QuotaCreate' });
export type QuotaCreate = z.infer<typeof QuotaCreate>;

export const QuotaUpdate = z
  .object({
    cloud_id: CloudId.describe(
      'a new 云序号 (e.g. for a project a cluster sync created under its name); the quota stays synced',
    ),
    project_name: ProjectName,
    cpu_quota: Cores,
    memory_quota: GiB,
  })
  .partial()
  .refine(
    (v) => Object.keys(v).length > 0,
    'give at least one of cloud_id, project_name, cpu_quota, memory_quota',
  )
  .meta({ id: 'QuotaUpdate' });
export type QuotaUpdate = z.infer<typeof QuotaUpdate>;

export const QuotaListQuery = z.object({
  search: z.string().trim().optional().describe('Case-insensitive substring of project_name or cloud_id'),
});
export type QuotaListQuery = z.infer<typeof QuotaListQuery>;

export const QuotaList = z.object({ items: z.array(ProjectQuota), total: z.number().int() });
export type QuotaList = z.infer<typeof QuotaList>;

export const QuotaBatchDelete = z.object({ cloud_ids: z.array(CloudId).min(1).max(10000) });
export type QuotaBatchDelete = z.infer<typeof QuotaBatchDelete>;

export const QuotaBatchDeleteResult = z.object({ deleted: z.number().int(), not_found: z.array(z.string()) });
export type QuotaBatchDeleteResult = z.infer<typeof QuotaBatchDeleteResult>;

export const QuotaImportResult = z
  .object({
    stored: z.boolean().describe('false when nothing was written'),
    total_rows: z.number().int().describe('Data rows read from the sheet (header and blank rows excluded)'),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected_rows: z.number().int().describe('Rows left out because of an error (partial import only)'),
    errors: z.array(ErrorDetail),
  })
  .meta({ id: 'QuotaImportResult' });
export type QuotaImportResult = z.infer<typeof QuotaImportResult>;

/** Columns of the quota template, in order (seed §4.2.2). */
export const QUOTA_TEMPLATE_COLUMNS = ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'] as const;
