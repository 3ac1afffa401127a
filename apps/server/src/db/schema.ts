import type { Generated } from 'kysely';

export type BatchStatus = 'loading' | 'active' | 'retired';

export interface ProjectQuotasTable {
  cloud_id: string;
  project_name: string;
  cpu_cores: number;
  memory_bytes: number;
  source: string;
  created_at: string;
  updated_at: string;
}

export interface UsageBatchesTable {
  id: Generated<number>;
  date: string;
  source: string;
  origin: string;
  /** The Prometheus source of a sync (null for uploads, and for syncs of a deleted source). */
  source_id: number | null;
  cluster: string | null;
  strategy: string | null;
  status: BatchStatus;
  line_count: number;
  row_count: number;
  created_at: string;
}

export interface NamespaceUsageTable {
  id: Generated<number>;
  batch_id: number;
  cluster: string | null;
  namespace: string;
  project: string;
  cpu_cores: number;
  memory_bytes: number;
}

/** A committed batch's totals per project: what a report reads. */
export interface ProjectUsageTable {
  batch_id: number;
  project: string;
  cpu_cores: number;
  memory_bytes: number;
  /** Distinct namespaces of the project in the batch. */
  namespace_count: number;
}

/** Per-date figures kept up to date when a batch becomes visible or is retired. */
export interface UsageDatesTable {
  date: string;
  record_count: number;
  project_count: number;
  sources: string;
  files: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DataRevisionTable {
  id: number;
  revision: number;
}

export interface ClustersTable {
  id: Generated<number>;
  name: string;
  kind: string;
  sealed_kubeconfig: string | null;
  server: string;
  context: string | null;
  auth_kind: string;
  insecure: number;
  use_projectquota: number;
  project_label: string | null;
  /** JSON of the last connection test. */
  last_test: string | null;
  last_sync_at: string | null;
  last_sync_ok: number | null;
  last_sync_message: string | null;
  created_at: string;
  updated_at: string;
}

/** One namespace's quota in base units (cores, bytes, pods); limits null where no ResourceQuota sets them. */
export interface NamespaceQuotasTable {
  cluster_name: string;
  namespace: string;
  project_name: string | null;
  cpu_limit: number | null;
  memory_limit: number | null;
  cpu_used: number | null;
  memory_used: number | null;
  pods_limit: number | null;
  pods_used: number | null;
  storage_limit: number | null;
  storage_used: number | null;
  quota_count: number;
  source: string;
  synced_at: string;
}

/** The per-cluster part of a synced project quota; the project's quota is their sum. */
export interface ProjectQuotaClustersTable {
  project_name: string;
  cluster_name: string;
  cpu_cores: number;
  memory_bytes: number;
  origin: string;
  synced_at: string;
}

export interface PrometheusSourcesTable {
  id: Generated<number>;
  name: string;
  url: string;
  cluster_name: string;
  selector: string | null;
  strategy: string;
  memory_metric: string;
  step: string;
  timeout_seconds: number;
  tolerance: number;
  auth_kind: string;
  username: string | null;
  /** The bearer token or basic-auth password, sealed. */
  sealed_secret: string | null;
  /** JSON of the extra headers, sealed: a tenant id can be a credential. */
  sealed_headers: string | null;
  /** JSON array of the extra headers' names, shown in lists. */
  header_names: string;
  ca_pem: string | null;
  insecure: number;
  last_test: string | null;
  last_sync_at: string | null;
  last_sync_ok: number | null;
  last_sync_message: string | null;
  /** JSON of the last sync's SourceSyncResult. */
  last_sync_result: string | null;
  created_at: string;
  updated_at: string;
}

/** replica-dedup detail: per workload of a namespace, what was seen and what was counted. */
export interface WorkloadUsageTable {
  id: Generated<number>;
  batch_id: number;
  namespace: string;
  kind: string | null;
  name: string;
  replicas: number | null;
  pods_seen: number;
  pods_kept: number;
  cpu_cores: number;
  memory_bytes: number;
}

export interface SchedulesTable {
  job: string;
  enabled: number;
  timing_kind: string;
  hour: number;
  minute: number;
  interval_hours: number;
  cron: string | null;
  retries: number;
  retry_backoff_seconds: number;
  /** The latest slot already run or skipped: a slot after it, at or before now, is due. */
  last_slot_at: string | null;
  updated_at: string;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  trigger: string;
  scheduled_for: string | null;
  attempt: number;
  status: string;
  instance: string;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string | null;
  summary: string;
  /** JSON of the run's per-cluster / per-source results. */
  result: string | null;
  next_retry_at: string | null;
  cancel_requested: Generated<number>;
}

/** A lease per job: a run holds it while it works and renews it; an expired lease can be taken over. */
export interface JobLocksTable {
  job: string;
  holder: string | null;
  run_id: number | null;
  expires_at: string | null;
}

export interface Database {
  project_quotas: ProjectQuotasTable;
  usage_batches: UsageBatchesTable;
  namespace_usage: NamespaceUsageTable;
  project_usage: ProjectUsageTable;
  usage_dates: UsageDatesTable;
  settings: SettingsTable;
  data_revision: DataRevisionTable;
  clusters: ClustersTable;
  namespace_quotas: NamespaceQuotasTable;
  project_quota_clusters: ProjectQuotaClustersTable;
  prometheus_sources: PrometheusSourcesTable;
  workload_usage: WorkloadUsageTable;
  schedules: SchedulesTable;
  job_runs: JobRunsTable;
  job_locks: JobLocksTable;
}
