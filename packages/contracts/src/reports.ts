import { z } from 'zod';
import { ErrorDetail, IsoDate } from './common';

export const UsageSource = z.enum(['upload', 'prometheus']);
export type UsageSource = z.infer<typeof UsageSource>;

export const Level = z.enum(['high', 'medium', 'low']);

export const ReportDate = z
  .object({
    date: z.string(),
    record_count: z
      .number()
      .int()
      .describe('Usage rows stored for the date (data lines of its uploads plus synced namespaces)'),
    project_count: z.number().int(),
    sources: z.array(UsageSource),
    files: z.array(z.string()).describe('Uploaded daily-report files of the date'),
    updated_at: z.string(),
  })
  .meta({ id: 'ReportDate' });
export type ReportDate = z.infer<typeof ReportDate>;

export const ReportDateList = z.object({ items: z.array(ReportDate) });
export type ReportDateList = z.infer<typeof ReportDateList>;

export const ReportRow = z
  .object({
    cloud_id: z
      .string()
      .nullable()
      .describe('null when no quota matches the project name, or the quota is 0 CPU and 0 memory'),
    project_name: z.string(),
    cpu_usage: z.number().describe('cores'),
    cpu_quota: z.number().nullable().describe('cores'),
    cpu_rate: z
      .number()
      .nullable()
      .describe('percent, not capped, rounded to 10 decimals; null without a positive quota'),
    memory_usage: z.number().describe('GiB'),
    memory_quota: z.number().nullable().describe('GiB'),
    memory_rate: z
      .number()
      .nullable()
      .describe('percent, not capped, rounded to 10 decimals; null without a positive quota'),
    cpu_level: Level.nullable(),
    memory_level: Level.nullable(),
    level: Level.nullable().describe('the higher of cpu_level and memory_level'),
    over_quota: z.boolean().describe('cpu_rate or memory_rate above 100 %'),
    matched: z.boolean(),
    source: UsageSource.describe('uploads of the date win over Prometheus for a project'),
    namespace_count: z
      .number()
      .int()
      .describe(
        'namespaces of the project in the counted source; one per file or Prometheus source it comes from',
      ),
  })
  .meta({ id: 'ReportRow' });
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportSummary = z.object({
  project_count: z.number().int(),
  matched_count: z.number().int(),
  unmatched_count: z.number().int(),
  over_quota_count: z.number().int(),
  high_count: z.number().int(),
  medium_count: z.number().int(),
  low_count: z.number().int(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const Report = z
  .object({ date: z.string(), rows: z.array(ReportRow), summary: ReportSummary })
  .meta({ id: 'Report' });
export type Report = z.infer<typeof Report>;

export const DateParam = z.object({ date: IsoDate });

export const NamespaceQuery = z.object({ project: z.string().min(1) });

export const NamespaceUsage = z
  .object({
    namespace: z.string(),
    cluster: z.string().nullable(),
    cpu_usage: z.number().describe('cores'),
    memory_usage: z.number().describe('GiB'),
    source: UsageSource,
    origin: z.string().describe('file name of the upload, or the Prometheus source'),
    strategy: z.string().nullable().describe('the Prometheus strategy that measured it; null for uploads'),
    counted: z.boolean().describe('false when the project takes its usage from another source this date'),
  })
  .meta({ id: 'NamespaceUsage' });
export type NamespaceUsage = z.infer<typeof NamespaceUsage>;

export const NamespaceUsageList = z.object({
  date: z.string(),
  project_name: z.string(),
  items: z.array(NamespaceUsage),
});
export type NamespaceUsageList = z.infer<typeof NamespaceUsageList>;

export const UploadedFile = z
  .object({
    file_name: z.string(),
    ok: z.boolean(),
    date: z.string().nullable(),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'gbk']).nullable(),
    line_count: z.number().int().describe('Lines read, including header and blank lines'),
    row_count: z
      .number()
      .int()
      .describe(
        'Data lines stored (a namespace listed twice in one file counts twice here and is summed in the report)',
      ),
    replaced: z.boolean().describe('an earlier upload of the same file name and date was replaced'),
    errors: z.array(ErrorDetail),
    error_count: z.number().int().describe('All errors; `errors` lists at most the first 100'),
  })
  .meta({ id: 'UploadedFile' });
export type UploadedFile = z.infer<typeof UploadedFile>;

export const UploadResult = z.object({ files: z.array(UploadedFile) }).meta({ id: 'UploadResult' });
export type UploadResult = z.infer<typeof UploadResult>;

export const DeleteReportQuery = z.object({
  file: z.string().optional().describe('Delete only this uploaded file of the date'),
});

export const DeleteReportResult = z.object({
  deleted_files: z.array(z.string()),
  deleted_rows: z.number().int(),
});
export type DeleteReportResult = z.infer<typeof DeleteReportResult>;

export const ExportFormat = z.enum(['xlsx', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportQuery = z.object({
  dates: z
    .string()
    .min(1)
    .describe('Comma-separated dates, e.g. 2026-11-20,2026-11-21')
    .transform((s, ctx) => {
      const dates = [
        ...new Set(
          s
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean),
        ),
      ];
      for (const d of dates) {
        if (!IsoDate.safeParse(d).success)
          ctx.addIssue({ code: 'custom', message: `"${d}" is not a date as YYYY-MM-DD` });
      }
      return dates.sort();
    }),
  format: ExportFormat.default('xlsx'),
});

/** Export sheet name and header (ARCHITECTURE §4): the downstream platform imports exactly this. */
export const EXPORT_SHEET_NAME = 'Resource Usage Report';
export const EXPORT_COLUMNS = ['主键', '周期', 'CPU利用率', '内存利用率'] as const;

/** Header line of the daily-report template; a first line like it is skipped on upload. */
export const REPORT_TEMPLATE_HEADER = '项目名称;命名空间;CPU(核);内存(bytes)';
