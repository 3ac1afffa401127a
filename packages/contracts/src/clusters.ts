import { z } from 'zod';
import { ErrorDetail } from './common';

/** Namespace label that names a namespace's project; null means "the namespace is the project". */
export const PROJECT_LABEL_PRESETS = [
  { id: 'alauda', label: 'cpaas.io/project', title: 'Alauda ACP' },
  { id: 'rancher', label: 'field.cattle.io/projectId', title: 'Rancher' },
  { id: 'capsule', label: 'capsule.clastix.io/tenant', title: 'Capsule' },
  { id: 'namespace', label: null, title: 'namespace = project' },
] as const;
export const DEFAULT_PROJECT_LABEL = 'cpaas.io/project';

export const ClusterKind = z.enum(['kubeconfig', 'in-cluster']);
export type ClusterKind = z.infer<typeof ClusterKind>;

export const AuthKind = z.enum([
  'token',
  'token-file',
  'client-certificate',
  'exec',
  'auth-provider',
  'basic',
  'in-cluster',
  'none',
]);
export type AuthKind = z.infer<typeof AuthKind>;

export const QuotaSourceKind = z.enum(['projectquota', 'resourcequota']);

export const Permission = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  allowed: z.boolean(),
  reason: z.string().nullable(),
});
export type Permission = z.infer<typeof Permission>;

export const ConnectionTest = z
  .object({
    at: z.string(),
    ok: z.boolean(),
    message: z.string().describe('what failed and what to do, or a one-line success summary'),
    error_kind: z
      .enum(['unauthorized', 'forbidden', 'tls', 'timeout', 'unreachable', 'not_found', 'server', 'config'])
      .nullable(),
    version: z.string().nullable().describe('server gitVersion, e.g. v1.30.4'),
    identity: z.string().nullable().describe('the user the credentials authenticate as'),
    groups: z.array(z.string()),
    permissions: z.array(Permission),
    projectquota_crd: z.boolean().nullable().describe('whether auth.alauda.io/v1 projectquotas is served'),
    duration_ms: z.number(),
  })
  .meta({ id: 'ConnectionTest' });
export type ConnectionTest = z.infer<typeof ConnectionTest>;

export const K8sConfig = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: ClusterKind,
    server: z.string().describe('API server URL from the kubeconfig (no credentials)'),
    context: z.string().nullable(),
    auth_kind: AuthKind,
    insecure_skip_tls_verify: z
      .boolean()
      .describe('the kubeconfig turns TLS verification off: shown as a warning'),
    use_projectquota: z.boolean(),
    quota_source: QuotaSourceKind,
    project_label: z.string().nullable(),
    last_test: ConnectionTest.nullable(),
    last_sync_at: z.string().nullable(),
    last_sync_ok: z.boolean().nullable(),
    last_sync_message: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'K8sConfig' });
export type K8sConfig = z.infer<typeof K8sConfig>;

export const K8sConfigList = z.object({ items: z.array(K8sConfig) });
export type K8sConfigList = z.infer<typeof K8sConfigList>;

const ClusterName = z.string().trim().min(1, 'name must not be empty').max(100);
const ProjectLabel = z
  .string()
  .trim()
  .max(317)
  .regex(
    /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    'not a Kubernetes label key such as cpaas.io/project',
  )
  .nullable();

export const K8sConfigCreate = z
  .object({
    name: ClusterName,
    kind: ClusterKind.default('kubeconfig'),
    kubeconfig: z
      .string()
      .max(1_000_000)
      .optional()
      .describe('kubeconfig YAML, raw or base64; required unless kind is in-cluster'),
    use_projectquota: z
      .boolean()
      .default(true)
      .describe('read the ProjectQuota CRD where it exists; false: sum namespace ResourceQuotas'),
    project_label: ProjectLabel.default(DEFAULT_PROJECT_LABEL),
  })
  .meta({ id: 'K8sConfigCreate' });
export type K8sConfigCreate = z.infer<typeof K8sConfigCreate>;

export const K8sConfigUpdate = z
  .object({
    name: ClusterName,
    kubeconfig: z.string().max(1_000_000).describe('omit to keep the stored kubeconfig'),
    use_projectquota: z.boolean(),
    project_label: ProjectLabel,
  })
  .partial()
  .meta({ id: 'K8sConfigUpdate' });
export type K8sConfigUpdate = z.infer<typeof K8sConfigUpdate>;

export const ConfigIdQuery = z.object({
  config_id: z
    .string()
    .optional()
    .describe('one cluster id, or several comma-separated; omitted = all clusters')
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const ids = value.split(',').map((v) => Number(v.trim()));
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a cluster id or a comma-separated list of ids`,
        });
        return z.NEVER;
      }
      return ids;
    }),
});

export const ClusterSyncResult = z
  .object({
    cluster_id: z.number().int(),
    cluster_name: z.string(),
    ok: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    removed: z.number().int(),
    errors: z
      .array(ErrorDetail)
      .describe('problems of a cluster that failed, or of single namespaces (field) of one that synced'),
    namespaces: z
      .number()
      .int()
      .describe('namespaces listed (0 for a project-quota sync that read ProjectQuotas)'),
    requests: z.number().int().describe('HTTP requests made to the API server'),
    duration_ms: z.number(),
  })
  .meta({ id: 'ClusterSyncResult' });
export type ClusterSyncResult = z.infer<typeof ClusterSyncResult>;

export const SyncResult = z
  .object({
    ok: z.boolean().describe('every cluster synced'),
    clusters: z.array(ClusterSyncResult),
    skipped_projects: z
      .array(z.string())
      .describe('projects whose manual quota was left as it is (project-quota sync)'),
  })
  .meta({ id: 'SyncResult' });
export type SyncResult = z.infer<typeof SyncResult>;

export const K8sConfigImportResult = z
  .object({
    stored: z.boolean(),
    total_rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    errors: z.array(ErrorDetail),
  })
  .meta({ id: 'K8sConfigImportResult' });
export type K8sConfigImportResult = z.infer<typeof K8sConfigImportResult>;

export const K8S_CONFIG_TEMPLATE_COLUMNS = [
  '集群名称',
  'Kubeconfig (Base64编码或原始内容)',
  '使用ProjectQuota',
] as const;
