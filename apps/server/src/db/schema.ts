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

export interface Database {
  project_quotas: ProjectQuotasTable;
  usage_batches: UsageBatchesTable;
  namespace_usage: NamespaceUsageTable;
  usage_dates: UsageDatesTable;
  settings: SettingsTable;
  data_revision: DataRevisionTable;
}
