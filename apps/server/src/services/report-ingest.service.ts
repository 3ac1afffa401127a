import type { ErrorDetail, UploadedFile } from '@kra/contracts';
import { dateFromFileName, isCalendarDate } from '../domain/calendar-date';
import { createDecoder, InvalidUtf8Error, startsWithUtf8Bom } from '../domain/report-encoding';
import type { ReportEncoding } from '../domain/report-encoding';
import { ReportLineParser } from '../domain/report-lines';
import type { UsageBatchWriter, UsageRepository } from '../ports';
import type { UsageJanitor } from './usage-janitor';

/** A daily-report file that can be read more than once (GBK is detected by failing UTF-8). */
export interface ReportSource {
  fileName: string;
  open(): AsyncIterable<Uint8Array>;
}

export interface IngestProgress {
  fileName: string;
  bytesRead: number;
  linesRead: number;
}

export interface IngestOptions {
  /** Overrides the date in the file name. */
  date?: string;
  onProgress?: (progress: IngestProgress) => void;
}

interface ParseOutcome {
  encoding: ReportEncoding;
  lineCount: number;
  rowCount: number;
  errors: ErrorDetail[];
  errorCount: number;
}

export class ReportIngestService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly janitor: UsageJanitor,
  ) {}

  /**
   * Stores one daily report: all of it or, on any bad line, nothing — with every error as
   * `file:line: reason`. Rows stream into an invisible batch, so memory stays flat for a
   * million lines and readers keep the previous data until the commit.
   */
  async ingest(source: ReportSource, options: IngestOptions = {}): Promise<UploadedFile> {
    const { fileName } = source;
    const date = options.date ?? dateFromFileName(fileName);
    if (date === null || !isCalendarDate(date)) {
      const message =
        date === null
          ? `${fileName}: no date YYYY-MM-DD in the file name; name it Day_report_YYYY-MM-DD.txt or give the date`
          : `${fileName}: "${date}" is not a calendar date`;
      return failed(fileName, null, null, 0, [{ code: 'no_date', file: fileName, message }], 1);
    }
    const attempt = async (encoding: 'utf-8' | 'gbk') => {
      const writer = await this.usage.beginBatch({ date, source: 'upload', origin: fileName });
      try {
        return { writer, outcome: await this.parseInto(source, encoding, writer, options) };
      } catch (error) {
        await writer.abort();
        this.janitor.request();
        throw error;
      }
    };
    let run;
    try {
      run = await attempt('utf-8');
    } catch (error) {
      if (!(error instanceof InvalidUtf8Error)) throw error;
      run = await attempt('gbk');
    }
    const { writer, outcome } = run;
    if (outcome.errorCount === 0 && outcome.rowCount === 0) {
      outcome.errorCount = 1;
      outcome.errors.push({
        code: 'empty_file',
        file: fileName,
        message: `${fileName}: no data lines (project;namespace;cpu_cores;memory_bytes)`,
      });
    }
    if (outcome.errorCount > 0) {
      await writer.abort();
      this.janitor.request();
      return failed(fileName, date, outcome.encoding, outcome.lineCount, outcome.errors, outcome.errorCount);
    }
    let replaced: boolean;
    try {
      ({ replaced } = await writer.commit({ lineCount: outcome.lineCount }));
    } catch (error) {
      // A failed commit must not leave its batch loading (and its rows unpurged) for hours.
      await writer.abort();
      this.janitor.request();
      throw error;
    }
    if (replaced) this.janitor.request();
    return {
      file_name: fileName,
      ok: true,
      date,
      encoding: outcome.encoding,
      line_count: outcome.lineCount,
      row_count: outcome.rowCount,
      replaced,
      errors: [],
      error_count: 0,
    };
  }

  private async parseInto(
    source: ReportSource,
    guess: 'utf-8' | 'gbk',
    writer: UsageBatchWriter,
    options: IngestOptions,
  ): Promise<ParseOutcome> {
    const parser = new ReportLineParser(source.fileName);
    const decoder = createDecoder(guess);
    let encoding: ReportEncoding = guess;
    let bytesRead = 0;
    let rowCount = 0;
    const take = async (text: string, last: boolean) => {
      const lines = parser.feed(text);
      if (last) lines.push(...parser.finish());
      if (parser.errorCount > 0 || lines.length === 0) return;
      rowCount += lines.length;
      await writer.append(
        lines.map((l) => ({
          cluster: null,
          namespace: l.namespace,
          project: l.project,
          cpuCores: l.cpuCores,
          memoryBytes: l.memoryBytes,
        })),
      );
    };
    for await (const chunk of source.open()) {
      if (bytesRead === 0 && guess === 'utf-8' && startsWithUtf8Bom(chunk)) encoding = 'utf-8-bom';
      bytesRead += chunk.byteLength;
      await take(decoder.decode(chunk), false);
      options.onProgress?.({ fileName: source.fileName, bytesRead, linesRead: parser.linesRead });
    }
    await take(decoder.end(), true);
    return {
      encoding,
      lineCount: parser.linesRead,
      rowCount,
      errors: parser.errors,
      errorCount: parser.errorCount,
    };
  }
}

function failed(
  fileName: string,
  date: string | null,
  encoding: ReportEncoding | null,
  lineCount: number,
  errors: ErrorDetail[],
  errorCount: number,
): UploadedFile {
  return {
    file_name: fileName,
    ok: false,
    date,
    encoding,
    line_count: lineCount,
    row_count: 0,
    replaced: false,
    errors,
    error_count: errorCount,
  };
}
