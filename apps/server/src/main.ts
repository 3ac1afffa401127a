import { ExcelQuotaWorkbookWriter } from './adapters/excel/quota-workbook.writer';
import { ExcelReportExportWriter } from './adapters/excel/report-export.writer';
import { ExcelWorkbookReader } from './adapters/excel/workbook.reader';
import type { Config } from './config/config';
import { migrateToLatest, openDatabase } from './db/database';
import type { DatabaseHandle } from './db/database';
import { KyselyProjectQuotaRepository } from './db/repositories/project-quota.repository';
import { KyselySettingsRepository } from './db/repositories/settings.repository';
import { KyselyUsageRepository } from './db/repositories/usage.repository';
import { DatabaseRevisionSource } from './db/revision';
import type { AppServices } from './http/app';
import type { Clock } from './ports';
import { ExportService } from './services/export.service';
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
export async function createRuntime(
  config: Pick<Config, 'database' | 'defaultTimezone'>,
  options: { clock?: Clock; postgresSchema?: string; onBackgroundError?: (error: unknown) => void } = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
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
  const quotaRepository = new KyselyProjectQuotaRepository(db, clock);
  const usageRepository = new KyselyUsageRepository(database, clock);
  const janitor = new UsageJanitor(
    usageRepository,
    options.onBackgroundError ?? ((error) => console.error('purging replaced usage rows failed:', error)),
  );
  const settings = new SettingsService(new KyselySettingsRepository(db), config.defaultTimezone);
  const reports = new ReportService(
    usageRepository,
    quotaRepository,
    new DatabaseRevisionSource(db),
    janitor,
  );
  const services: AppServices = {
    quotas: new QuotaService(quotaRepository, new ExcelWorkbookReader(), new ExcelQuotaWorkbookWriter()),
    ingest: new ReportIngestService(usageRepository, janitor),
    reports,
    exports: new ExportService(reports, usageRepository, settings, new ExcelReportExportWriter()),
    settings,
  };
  janitor.request();
  return {
    services,
    database,
    migrations,
    close: async () => {
      await janitor.idle();
      await database.close();
    },
  };
}
