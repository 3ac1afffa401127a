import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DateParam,
  DeleteReportQuery,
  DeleteReportResult,
  ErrorBody,
  ExportQuery,
  IsoDate,
  NamespaceQuery,
  NamespaceUsageList,
  Report,
  ReportDateList,
  UploadResult,
  WorkloadUsageList,
} from '@kra/contracts';
import type { ExportService } from '../../services/export.service';
import type { ReportIngestService } from '../../services/report-ingest.service';
import type { ReportService } from '../../services/report.service';
import { AppError } from '../../services/app-error';
import { attachment } from '../content-disposition';
import { spoolMultipart } from '../uploads';

/**
 * A report is the same object until the data changes, so its encoded JSON (and a gzip of it, made
 * on first demand) is kept beside it: a 20,000-project report is 6 MB of JSON, and encoding it per
 * request under load costs far more memory and CPU than the report itself.
 */
const encoded = new WeakMap<object, { json: Buffer; gzip?: Promise<Buffer> }>();

function encodedReport(report: object): { json: Buffer; gzip?: Promise<Buffer> } {
  let entry = encoded.get(report);
  if (!entry) {
    entry = { json: Buffer.from(JSON.stringify(report)) };
    encoded.set(report, entry);
  }
  return entry;
}

const gzip = promisify(gzipCallback);

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)/i.test(header);
}

export function reportRoutes(
  reports: ReportService,
  ingest: ReportIngestService,
  exports: ExportService,
  maxUploadBytes: number,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['reports'];
    app.post(
      '/api/reports/upload',
      {
        schema: {
          tags,
          summary: '上传日报文件 — upload daily reports',
          description:
            "multipart/form-data: one or more `files` named Day_report_YYYY-MM-DD.txt, lines `project;namespace;cpu_cores;memory_bytes` (UTF-8, UTF-8 BOM or GBK; LF or CRLF; a header line is skipped). Optional `date` overrides the date in the file names. Each file is stored whole or not at all; re-uploading a file name for its date replaces it. 200 when every file is stored; 422 lists every bad line as `file:line: reason` and still carries `files` with each file's outcome.",
          consumes: ['multipart/form-data'],
          response: { 200: UploadResult, 422: ErrorBody },
        },
      },
      async (req) => {
        const upload = await spoolMultipart(req, 'files', maxUploadBytes);
        try {
          const date = upload.fields.date?.trim() || undefined;
          if (date !== undefined && !IsoDate.safeParse(date).success) {
            throw new AppError(
              'invalid_input',
              'invalid_date',
              `date "${date}" is not a date as YYYY-MM-DD`,
              [
                {
                  code: 'invalid_date',
                  field: 'date',
                  message: `date "${date}" is not a date as YYYY-MM-DD`,
                },
              ],
            );
          }
          if (upload.files.length === 0)
            throw new AppError('invalid_input', 'file_missing', 'no file in the form field "files"');
          const files = [];
          for (const source of upload.files)
            files.push(await ingest.ingest(source, date === undefined ? {} : { date }));
          const failed = files.filter((f) => !f.ok);
          if (failed.length > 0) {
            throw new AppError(
              'unprocessable',
              'report_invalid',
              `${failed.length} of ${files.length} file(s) rejected, nothing of them stored: ${failed.map((f) => `${f.file_name} (${f.error_count} error(s))`).join(', ')}`,
              failed.flatMap((f) => f.errors),
              { files },
            );
          }
          return { files };
        } finally {
          await upload.cleanup();
        }
      },
    );

    app.get(
      '/api/reports',
      {
        schema: { tags, summary: '获取已上传日期列表 — dates with data', response: { 200: ReportDateList } },
      },
      () => reports.listDates(),
    );

    app.get(
      '/api/reports/export',
      {
        schema: {
          tags,
          summary: '导出Excel报告 — export dates',
          description:
            'Sheet "Resource Usage Report": 主键 | 周期 | CPU利用率 | 内存利用率, one row per matched project per date, rates as fractions with 10 decimals (capped at 1 while the setting export_cap_at_one is on). 404 with `available_dates` when no project with a quota has usage on the dates.',
          querystring: ExportQuery,
          produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
          response: { 200: z.unknown().describe('the xlsx or csv file'), 404: ErrorBody },
        },
      },
      async (req, reply) => {
        const prepared = await exports.prepare(req.query.dates, req.query.format);
        const body = new PassThrough();
        prepared.write(body).catch((error: unknown) => {
          req.log.error({ err: error }, 'export failed while streaming');
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        });
        return reply
          .type(prepared.contentType)
          .header('content-disposition', attachment(prepared.fileName))
          .send(body);
      },
    );

    app.get(
      '/api/reports/:date',
      {
        schema: {
          tags,
          summary: '获取指定日期数据 — the report of a date',
          params: DateParam,
          response: { 200: Report, 404: ErrorBody },
        },
      },
      async (req, reply) => {
        const report = await reports.getReport(req.params.date);
        const entry = encodedReport(report);
        reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
        if (acceptsGzip(req.headers['accept-encoding'])) {
          entry.gzip ??= gzip(entry.json);
          reply.header('content-encoding', 'gzip');
          return reply.send((await entry.gzip) as unknown as Report);
        }
        // Fastify sends a Buffer as is, skipping a second serialization.
        return reply.send(entry.json as unknown as Report);
      },
    );

    app.get(
      '/api/reports/:date/namespaces',
      {
        schema: {
          tags,
          summary: 'namespaces of a project on a date (drill-down)',
          params: DateParam,
          querystring: NamespaceQuery,
          response: { 200: NamespaceUsageList, 404: ErrorBody },
        },
      },
      (req) => reports.namespaces(req.params.date, req.query.project),
    );

    app.get(
      '/api/reports/:date/workloads',
      {
        schema: {
          tags,
          summary: 'replica-dedup detail of a namespace: per workload, pods seen, replicas, pods kept',
          params: DateParam,
          querystring: z.object({ namespace: z.string().min(1), cluster: z.string().optional() }),
          response: { 200: WorkloadUsageList },
        },
      },
      (req) => reports.workloads(req.params.date, req.query.cluster ?? null, req.query.namespace),
    );

    app.delete(
      '/api/reports/:date',
      {
        schema: {
          tags,
          summary: "delete a date's uploaded data (all files, or ?file=)",
          params: DateParam,
          querystring: DeleteReportQuery,
          response: { 200: DeleteReportResult, 404: ErrorBody },
        },
      },
      (req) => reports.deleteUploads(req.params.date, req.query.file),
    );
  };
}
