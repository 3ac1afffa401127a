import { ExcelQuotaWorkbookWriter } from './adapters/excel/quota-workbook.writer';
import { ExcelReportExportWriter } from './adapters/excel/report-export.writer';
import { ExcelSheetWriter } from './adapters/excel/sheet.writer';
import { ClientNodeKubeAccess } from './adapters/kubernetes/client-node.kube-access';
import { HttpPrometheusAccess } from './adapters/prometheus/http.prometheus-client';
import { AesGcmSecretBox, loadSecretKey, parseSecretKey } from './adapters/secrets/aes-gcm-secret-box';
import { ExcelWorkbookReader } from './adapters/excel/workbook.reader';
import type { Config } from './config/config';
import { migrateToLatest, openDatabase } from './db/database';
import type { DatabaseHandle } from './db/database';
import { KyselyClusterRepository } from './db/repositories/cluster.repository';
import { KyselyNamespaceQuotaRepository } from './db/repositories/namespace-quota.repository';
import { KyselyProjectQuotaRepository } from './db/repositories/project-quota.repository';
import { KyselySchedulerRepository } from './db/repositories/scheduler.repository';
import { KyselyPrometheusSourceRepository } from './db/repositories/prometheus-source.repository';
import { KyselySettingsRepository } from './db/repositories/settings.repository';
import { KyselyUsageRepository } from './db/repositories/usage.repository';
import { DatabaseRevisionSource } from './db/revision';
import type { AppServices } from './http/app';
import os from 'node:os';
import type { Clock } from './ports';
import { ClusterService } from './services/cluster.service';
import { ExportService } from './services/export.service';
import { SchedulerService } from './services/scheduler.service';
import type { SchedulerOptions } from './services/scheduler.service';
import { PrometheusCatchUpService } from './services/prometheus-catch-up.service';
import { jobCatalog } from './jobs/catalog';
import { PrometheusSourceService } from './services/prometheus-source.service';
import { UsageBackfillService } from './services/usage-backfill.service';
import { UsageSyncService } from './services/usage-sync.service';
import { NamespaceQuotaService } from './services/namespace-quota.service';
import { QuotaSyncService } from './services/quota-sync.service';
import { QuotaService } from './services/quota.service';
import { ReportIngestService } from './services/report-ingest.service';
import { ReportService } from './services/report.service';
import { SettingsService } from './services/settings.service';
import { UsageJanitor } from './services/usage-janitor';

export const systemClock: Clock = { now: () => new Date() };

export interface Runtime {
  services: AppServices;
  database: DatabaseHandle;
  /** Migrations applied by this start (empty when the schema was current). */
  migrations: string[];
  close(): Promise<void>;
}

/** The composition root: the only place that picks concrete adapters for the ports. */
export const DEFAULT_KUBERNETES: Config['kubernetes'] = {
  allowExec: false,
  timeoutMs: 15_000,
  concurrency: 4,
};

export type RuntimeConfig = Pick<Config, 'database' | 'defaultTimezone' | 'secrets'> & {
  kubernetes?: Config['kubernetes'];
  prometheus?: Config['prometheus'];
};

/** The key that seals stored secrets: KRA_SECRET_KEY, else the key file (created on first start). */
function secretBox(secrets: Config['secrets']): AesGcmSecretBox {
  const { key } = loadSecretKey({
    ...(secrets.key ? { envKey: secrets.key } : {}),
    keyFile: secrets.keyFile,
  });
  return new AesGcmSecretBox(
    key,
    secrets.previousKeys.map((k, i) => parseSecretKey(k, `KRA_SECRET_KEY_PREVIOUS (key ${i + 1})`)),
  );
}

export async function createRuntime(
  config: RuntimeConfig,
  options: {
    clock?: Clock;
    postgresSchema?: string;
    onBackgroundError?: (error: unknown) => void;
    /** Names this process in job runs and locks (default host:pid). */
    instance?: string;
    scheduler?: Partial<Omit<SchedulerOptions, 'instance'>>;
  } = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const kubernetes = config.kubernetes ?? DEFAULT_KUBERNETES;
  const secrets = secretBox(config.secrets);
  const database = openDatabase(
    config.database,
    options.postgresSchema ? { postgresSchema: options.postgresSchema } : {},
  );
  let migrations: string[];
  try {
    migrations = await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const { db } = database;
  const quotaRepository = new KyselyProjectQuotaRepository(db, clock, database.dialect);
  const usageRepository = new KyselyUsageRepository(database, clock);
  const janitor = new UsageJanitor(
    usageRepository,
    options.onBackgroundError ?? ((error) => console.error('purging replaced usage rows failed:', error)),
  );
  const settingsRepository = new KyselySettingsRepository(db);
  const settings = new SettingsService(settingsRepository, config.defaultTimezone);
  const reports = new ReportService(
    usageRepository,
    quotaRepository,
    new DatabaseRevisionSource(db),
    janitor,
  );
  const sheets = new ExcelSheetWriter();
  const reader = new ExcelWorkbookReader();
  const clusterRepository = new KyselyClusterRepository(db, clock, database.dialect);
  const kubeAccess = new ClientNodeKubeAccess(
    { allowExec: kubernetes.allowExec },
    { timeoutMs: kubernetes.timeoutMs, attempts: 3, pageSize: 500, backoffMs: 500 },
  );
  const clusters = new ClusterService(clusterRepository, kubeAccess, secrets, clock, reader, sheets);
  const namespaceQuotaRepository = new KyselyNamespaceQuotaRepository(db, database.dialect);
  const prometheusRepository = new KyselyPrometheusSourceRepository(db, clock);
  const prometheus = new PrometheusSourceService(
    prometheusRepository,
    new HttpPrometheusAccess(),
    secrets,
    clock,
    reader,
    sheets,
  );
  const usageSync = new UsageSyncService(
    prometheusRepository,
    prometheus,
    usageRepository,
    namespaceQuotaRepository,
    clusterRepository,
    clusters,
    settings,
    janitor,
    clock,
    config.prometheus?.concurrency ?? 4,
  );
  const quotaSync = new QuotaSyncService(
    clusterRepository,
    clusters,
    namespaceQuotaRepository,
    quotaRepository,
    clock,
    kubernetes.concurrency,
  );
  // The catalog reads a scheduler setting when a job runs, long after both exist.
  const scheduler: SchedulerService = new SchedulerService(
    new KyselySchedulerRepository(db, clock),
    settingsRepository,
    config.defaultTimezone,
    jobCatalog({
      quotaSync,
      usageSync,
      catchUp: new PrometheusCatchUpService(usageRepository, settings),
      prometheusCatchUpDays: () => scheduler.prometheusCatchUpDays(),
    }),
    clock,
    {
      instance: options.instance ?? `${os.hostname()}:${process.pid}`,
      leaseMs: 120_000,
      heartbeatMs: 15_000,
      tickMs: 30_000,
      ...options.scheduler,
    },
  );
  const services: AppServices = {
    quotas: new QuotaService(quotaRepository, quotaRepository, reader, new ExcelQuotaWorkbookWriter()),
    ingest: new ReportIngestService(usageRepository, janitor),
    reports,
    exports: new ExportService(reports, usageRepository, settings, new ExcelReportExportWriter()),
    settings,
    clusters,
    quotaSync,
    namespaceQuotas: new NamespaceQuotaService(namespaceQuotaRepository, reader, sheets, clock),
    prometheus,
    usageSync,
    backfill: new UsageBackfillService(usageSync, clock),
    scheduler,
  };
  janitor.request();
  return {
    services,
    database,
    migrations,
    close: async () => {
      await scheduler.stop();
      await janitor.idle();
      await database.close();
    },
  };
}
