import type { Writable } from 'node:stream';
import type { ExportFormat } from '@kra/contracts';
import { exportRowsOf } from '../domain/export-rows';
import type { ExportRate } from '../domain/export-rows';
import type { ReportExportWriter, UsageRepository } from '../ports';
import { AppError } from './app-error';
import type { ReportService } from './report.service';
import type { SettingsService } from './settings.service';

/** What a finished export holds: its rows, and the dates that had any, in the file's order. */
export interface ExportSummary {
  rows: number;
  dates: string[];
}

export interface PreparedExport {
  fileName: string;
  contentType: string;
  write(out: Writable): Promise<ExportSummary>;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export class ExportService {
  constructor(
    private readonly reports: ReportService,
    private readonly usage: UsageRepository,
    private readonly settings: SettingsService,
    private readonly writer: ReportExportWriter,
  ) {}

  /**
   * Checks there is something to export before a byte is sent (the seed's "Report not found"
   * becomes a 404 naming the dates that have data), then streams one date at a time.
   */
  async prepare(dates: string[], format: ExportFormat): Promise<PreparedExport> {
    const sorted = [...new Set(dates)].sort();
    const { export_cap_at_one: capAtOne } = await this.settings.get();
    const quotas = await this.reports.quotaIndex();
    let firstIndex = -1;
    let firstRows: ExportRate[] = [];
    for (let i = 0; i < sorted.length && firstIndex === -1; i += 1) {
      firstRows = exportRowsOf(sorted[i]!, await this.reports.utilization(sorted[i]!, quotas), capAtOne);
      if (firstRows.length > 0) firstIndex = i;
    }
    if (firstIndex === -1) {
      const available = await this.usage.exportableDates();
      throw new AppError(
        'not_found',
        'report_not_found',
        `no project with a quota has usage on ${sorted.join(', ')}; upload daily reports for these dates or add quotas whose project names match`,
        [],
        { available_dates: available },
      );
    }
    const reports = this.reports;
    async function* chunks(summary: ExportSummary): AsyncGenerator<ExportRate[]> {
      const written = (date: string, rows: ExportRate[]) => {
        summary.rows += rows.length;
        summary.dates.push(date);
        return rows;
      };
      yield written(sorted[firstIndex]!, firstRows);
      for (const date of sorted.slice(firstIndex + 1)) {
        const rows = exportRowsOf(date, await reports.utilization(date, quotas), capAtOne);
        if (rows.length > 0) yield written(date, rows);
      }
    }
    const span = sorted.length === 1 ? sorted[0] : `${sorted[0]}_${sorted[sorted.length - 1]}`;
    return {
      fileName: `resource-usage-report_${span}.${format}`,
      contentType: CONTENT_TYPES[format],
      write: async (out) => {
        const summary: ExportSummary = { rows: 0, dates: [] };
        await this.writer.write(format, chunks(summary), out);
        return summary;
      },
    };
  }
}
