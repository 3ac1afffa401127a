import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { ExportFormat, IsoDate } from '@kra/contracts';
import type { ErrorDetail, UploadedFile } from '@kra/contracts';
import { AppError } from '../services/app-error';
import type { IngestProgress } from '../services/report-ingest.service';
import type { RuntimeFactory } from './runtime';
import { EXIT_REJECTED, fixed, printDetails, printJson, printTable } from './output';

function parseDate(value: string): string {
  if (!IsoDate.safeParse(value).success)
    throw new InvalidArgumentError(`"${value}" is not a date as YYYY-MM-DD`);
  return value;
}

function progressPrinter(): ((p: IngestProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    process.stderr.write(
      `\r${p.fileName}: ${p.linesRead.toLocaleString('en')} lines, ${(p.bytesRead / 1024 / 1024).toFixed(1)} MiB`,
    );
  };
}

/**
 * Checks that every file can be read before the first is stored, so that a typo in the last name
 * does not leave the others uploaded and the command failed.
 */
async function ensureReadable(files: string[]): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const file of files) {
    let problem: string | null = null;
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile()) problem = 'is not a file';
      else await fs.promises.access(file, fs.constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problem = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    }
    if (problem !== null) problems.push({ code: 'file_unreadable', file, message: `${file}: ${problem}` });
  }
  if (problems.length > 0)
    throw new AppError(
      'not_found',
      'file_unreadable',
      `${problems.length} of ${files.length} file(s) cannot be read; nothing was uploaded`,
      problems,
    );
}

function describeUpload(f: UploadedFile): string {
  if (!f.ok) return `${f.file_name}: rejected, ${f.error_count} error(s); nothing stored`;
  return `${f.file_name}: ${f.date}, ${f.encoding}, ${f.line_count} line(s), ${f.row_count} row(s) stored${f.replaced ? ' (replaced the earlier upload)' : ''}`;
}

export function reportsCommand(program: Command, withRuntime: RuntimeFactory): void {
  const reports = program
    .command('reports')
    .description('daily reports, report view and export (日报上传 / 报表查看 / 导出)');

  reports
    .command('upload')
    .description(
      'upload daily-report files (Day_report_YYYY-MM-DD.txt); each file is stored whole or not at all',
    )
    .argument('<files...>', 'files with lines project;namespace;cpu_cores;memory_bytes')
    .option('-d, --date <date>', 'date for the files instead of the one in their names', parseDate)
    .option('--json', 'machine-readable output')
    .action((files: string[], opts: { date?: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const onProgress = opts.json ? undefined : progressPrinter();
        await ensureReadable(files);
        const results: UploadedFile[] = [];
        for (const file of files) {
          const result = await services.ingest.ingest(
            {
              fileName: path.basename(file),
              open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
            },
            { ...(opts.date ? { date: opts.date } : {}), ...(onProgress ? { onProgress } : {}) },
          );
          if (onProgress) process.stderr.write('\r\x1b[K');
          results.push(result);
          if (!opts.json) {
            console.log(describeUpload(result));
            printDetails(result.errors);
            if (result.error_count > result.errors.length)
              process.stderr.write(`  … and ${result.error_count - result.errors.length} more\n`);
          }
        }
        if (opts.json) printJson({ files: results });
        if (results.some((r) => !r.ok)) process.exitCode = EXIT_REJECTED;
      }),
    );

  reports
    .command('list')
    .description('dates with usage data')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const list = await services.reports.listDates();
        if (opts.json) return printJson(list);
        printTable(
          ['date', 'records', 'projects', 'sources', 'files'],
          list.items.map((d) => [
            d.date,
            d.record_count,
            d.project_count,
            d.sources.join(','),
            d.files.join(', '),
          ]),
        );
      }),
    );

  reports
    .command('show')
    .description('utilization per project on a date')
    .argument('<date>', 'YYYY-MM-DD', parseDate)
    .option('--json', 'machine-readable output')
    .action((date: string, opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const report = await services.reports.getReport(date);
        if (opts.json) return printJson(report);
        const s = report.summary;
        console.log(
          `${date}: ${s.project_count} project(s), ${s.matched_count} matched, ${s.unmatched_count} unmatched, ${s.over_quota_count} over quota (high ${s.high_count}, medium ${s.medium_count}, low ${s.low_count})`,
        );
        printTable(
          [
            '云序号',
            '项目名称',
            'CPU用量',
            'CPU配额',
            'CPU%',
            '内存用量(GB)',
            '内存配额(GB)',
            '内存%',
            'level',
            'over',
            'source',
          ],
          report.rows.map((r) => [
            r.cloud_id,
            r.project_name,
            fixed(r.cpu_usage, 3),
            r.cpu_quota,
            fixed(r.cpu_rate, 2),
            fixed(r.memory_usage, 2),
            fixed(r.memory_quota, 2),
            fixed(r.memory_rate, 2),
            r.matched ? r.level : 'unmatched',
            r.over_quota ? 'OVER' : '',
            r.source,
          ]),
        );
      }),
    );

  reports
    .command('export')
    .description('export dates in the downstream platform format (主键 | 周期 | CPU利用率 | 内存利用率)')
    .requiredOption('--dates <dates>', 'comma-separated dates, e.g. 2026-11-20,2026-11-21')
    .option('-o, --output <file>', 'file to write (default: resource-usage-report_<dates>.<format>)')
    .option('-f, --format <format>', 'xlsx or csv', 'xlsx')
    .option('--json', 'machine-readable output: the file written, its rows and dates')
    .action((opts: { dates: string; output?: string; format: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const dates = opts.dates.split(',').map((d) => d.trim());
        const wrong = dates.find((d) => !IsoDate.safeParse(d).success);
        if (wrong !== undefined)
          throw new AppError(
            'invalid_input',
            'invalid_date',
            `--dates: "${wrong}" is not a date as YYYY-MM-DD`,
          );
        const format = ExportFormat.safeParse(opts.format);
        if (!format.success)
          throw new AppError('invalid_input', 'invalid_format', `--format "${opts.format}": use xlsx or csv`);
        let prepared;
        try {
          prepared = await services.exports.prepare(dates, format.data);
        } catch (error) {
          if (error instanceof AppError && Array.isArray(error.extra.available_dates)) {
            throw new AppError(
              error.kind,
              error.code,
              `${error.message}. Dates that can be exported: ${error.extra.available_dates.join(', ') || 'none'}`,
            );
          }
          throw error;
        }
        const target = opts.output ?? prepared.fileName;
        const out = fs.createWriteStream(target);
        const finished = new Promise<void>((resolve, reject) => {
          out.on('finish', resolve);
          out.on('error', reject);
        });
        const written = await prepared.write(out);
        await finished;
        if (opts.json)
          return printJson({
            path: path.resolve(target),
            format: format.data,
            rows: written.rows,
            dates: written.dates,
            dates_without_rows: [...new Set(dates)].filter((d) => !written.dates.includes(d)).sort(),
          });
        console.log(`wrote ${target}: ${written.rows} row(s) of ${written.dates.join(', ')}`);
      }),
    );

  reports
    .command('delete')
    .description("delete a date's uploaded data")
    .argument('<date>', 'YYYY-MM-DD', parseDate)
    .option('--file <name>', 'only this uploaded file')
    .option('--json', 'machine-readable output')
    .action((date: string, opts: { file?: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const result = await services.reports.deleteUploads(date, opts.file);
        if (opts.json) return printJson(result);
        console.log(`${date}: deleted ${result.deleted_files.join(', ')} (${result.deleted_rows} row(s))`);
      }),
    );
}
