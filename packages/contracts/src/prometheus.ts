import { z } from 'zod';
import { ErrorDetail, IsoDate } from './common';

export const UsageStrategy = z
  .enum(['pod-peak', 'replica-dedup', 'concurrent-peak', 'average'])
  .describe(
    "pod-peak: sum of each pod's daily peak; replica-dedup (the seed's 精确同步): per workload only the largest ⌊replicas × tolerance⌋ pod peaks; concurrent-peak: the namespace's peak at any one instant; average: the day's mean",
  );
export type UsageStrategy = z.infer<typeof UsageStrategy>;

export const MemoryMetric = z.enum(['usage_bytes', 'working_set_bytes']);
export const PrometheusAuthKind = z.enum(['none', 'bearer', 'basic']);

export const PrometheusTest = z
  .object({
    at: z.string(),
    ok: z.boolean(),
    message: z.string(),
    error_kind: z.string().nullable(),
    version: z.string().nullable(),
    up_series: z.number().int().nullable().describe('series of `up` (scrape targets) the selector sees'),
    metrics: z
      .array(z.object({ name: z.string(), series: z.number().int() }))
      .describe('series of each metric the strategy needs'),
    duration_ms: z.number(),
  })
  .meta({ id: 'PrometheusTest' });
export type PrometheusTest = z.infer<typeof PrometheusTest>;

export const SourceSyncResult = z
  .object({
    config_id: z.number().int(),
    name: z.string(),
    cluster_name: z.string(),
    date: z.string(),
    strategy: UsageStrategy,
    ok: z.boolean(),
    namespaces: z.number().int().describe('namespaces stored'),
    pods: z.number().int().nullable().describe('pods seen (per-pod strategies)'),
    unassigned_namespaces: z.number().int().describe('namespaces with usage but no project (not stored)'),
    queries: z.number().int().describe('PromQL queries sent'),
    retries: z.number().int(),
    batches: z
      .number()
      .int()
      .describe('namespace batches the cluster was split into (1 = one query per metric)'),
    duration_ms: z.number(),
    errors: z.array(ErrorDetail),
  })
  .meta({ id: 'SourceSyncResult' });
export type SourceSyncResult = z.infer<typeof SourceSyncResult>;

export const PrometheusConfig = z
  .object({
    id: z.number().int(),
    name: z.string(),
    url: z.string(),
    cluster_name: z.string(),
    selector: z.string().nullable(),
    strategy: UsageStrategy,
    use_accurate_sync: z.boolean().describe('strategy is replica-dedup'),
    memory_metric: MemoryMetric,
    step: z.string(),
    timeout_seconds: z.number(),
    tolerance: z.number(),
    auth_kind: PrometheusAuthKind,
    username: z.string().nullable(),
    header_names: z.array(z.string()).describe('names of the extra headers; their values are never returned'),
    has_ca: z.boolean(),
    insecure_skip_tls_verify: z.boolean(),
    last_test: PrometheusTest.nullable(),
    last_sync_at: z.string().nullable(),
    last_sync_ok: z.boolean().nullable(),
    last_sync_message: z.string().nullable(),
    last_sync: SourceSyncResult.nullable().describe(
      "the last sync's full result: namespaces, pods, queries, retries, duration and errors",
    ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'PrometheusConfig' });
export type PrometheusConfig = z.infer<typeof PrometheusConfig>;

export const PrometheusConfigList = z.object({ items: z.array(PrometheusConfig) });
export type PrometheusConfigList = z.infer<typeof PrometheusConfigList>;

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A PromQL duration with one unit (`1500ms`, `30s`, `1m`, `1h`) in milliseconds; null when it is not one. */
export function durationMs(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  return match ? Number(match[1]) * DURATION_UNIT_MS[match[2]!]! : null;
}

/**
 * A usable subquery step: whole seconds from 1 s to 1 h. 0 would divide the day's average by
 * zero and 1 ms make 86.4 million steps of a day; whole seconds keep every step off the instant
 * (…999 ms) where the day's two query parts meet.
 */
export function isUsableStep(step: string): boolean {
  const ms = durationMs(step);
  return ms !== null && ms % 1000 === 0 && ms >= 1000 && ms <= 3_600_000;
}

const Url = z
  .string()
  .trim()
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const Fields = z.object({
  name: z.string().trim().min(1).max(100),
  url: Url,
  cluster_name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('the cluster it measures (as named under K8s接入)'),
  selector: z
    .string()
    .trim()
    .max(500)
    .nullable()
    .describe('label matchers that select the cluster in a shared Prometheus, e.g. cluster="prod"'),
  use_accurate_sync: z.boolean().describe("the seed's 精确同步: true alone means strategy replica-dedup"),
  strategy: UsageStrategy,
  memory_metric: MemoryMetric,
  step: z.string().trim().describe('subquery resolution, e.g. 1m'),
  timeout_seconds: z.number().positive().max(600),
  tolerance: z
    .number()
    .min(1)
    .max(10)
    .describe('replica-dedup keeps ⌊replicas × tolerance⌋ pods per workload'),
  auth_kind: PrometheusAuthKind,
  username: z.string().max(200).nullable(),
  secret: z
    .string()
    .max(10_000)
    .describe('bearer token or basic-auth password; stored encrypted, never returned'),
  headers: z.record(z.string(), z.string()).describe('extra headers such as X-Scope-OrgID; stored encrypted'),
  ca_pem: z.string().max(100_000).nullable().describe('PEM CA certificate(s) to trust'),
  insecure_skip_tls_verify: z.boolean(),
});

export const PrometheusConfigCreate = Fields.partial()
  .required({ name: true, url: true, cluster_name: true })
  .meta({ id: 'PrometheusConfigCreate' });
export type PrometheusConfigCreate = z.infer<typeof PrometheusConfigCreate>;

export const PrometheusConfigUpdate = Fields.partial().meta({ id: 'PrometheusConfigUpdate' });
export type PrometheusConfigUpdate = z.infer<typeof PrometheusConfigUpdate>;

export const PrometheusImportResult = z
  .object({
    stored: z.boolean(),
    total_rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    errors: z.array(ErrorDetail),
  })
  .meta({ id: 'PrometheusImportResult' });
export type PrometheusImportResult = z.infer<typeof PrometheusImportResult>;

export const PROMETHEUS_TEMPLATE_COLUMNS = ['配置名称', 'Prometheus URL', '集群名称', '精确同步'] as const;

export const UsageSyncResult = z
  .object({ date: z.string(), ok: z.boolean(), sources: z.array(SourceSyncResult) })
  .meta({ id: 'UsageSyncResult' });
export type UsageSyncResult = z.infer<typeof UsageSyncResult>;

export const UsageSyncQuery = z.object({
  config_id: z
    .string()
    .optional()
    .describe('one source id, or several comma-separated; omitted = all sources')
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const ids = value.split(',').map((v) => Number(v.trim()));
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a source id or a comma-separated list of ids`,
        });
        return z.NEVER;
      }
      return ids;
    }),
  date: IsoDate.optional().describe('the day to sync; default yesterday in the configured timezone'),
  from: IsoDate.optional().describe('first day of a range sync (backfill); runs in the background'),
  to: IsoDate.optional().describe('last day of a range sync, included'),
});

export const SyncJob = z
  .object({
    id: z.string(),
    kind: z.literal('prometheus-range'),
    status: z.enum(['running', 'succeeded', 'partly-failed', 'failed', 'cancelled']),
    from: z.string(),
    to: z.string(),
    total_days: z.number().int(),
    done_days: z.number().int(),
    current_date: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    results: z.array(UsageSyncResult),
  })
  .meta({ id: 'SyncJob' });
export type SyncJob = z.infer<typeof SyncJob>;

export const WorkloadUsageRow = z.object({
  kind: z
    .string()
    .nullable()
    .describe('Deployment, StatefulSet, DaemonSet, Job, CronJob; null = a pod of no known workload'),
  name: z.string(),
  replicas: z.number().int().nullable(),
  pods_seen: z.number().int(),
  pods_kept: z.number().int(),
  cpu_usage: z.number(),
  memory_usage: z.number().describe('GiB'),
});

export const WorkloadUsageList = z.object({
  date: z.string(),
  cluster: z.string().nullable(),
  namespace: z.string(),
  items: z.array(WorkloadUsageRow),
});
export type WorkloadUsageList = z.infer<typeof WorkloadUsageList>;
