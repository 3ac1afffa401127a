import { finished } from 'node:stream';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { EXPORT_COLUMNS, EXPORT_SHEET_NAME } from '@kra/contracts';
import type { ExportFormat } from '@kra/contracts';
import type { ExportRow, ReportExportWriter } from '../../ports';
import { neutraliseFormulaText } from '../../domain/spreadsheet-cell';

export interface ExcelReportExportWriterOptions {
  /** zlib level of the xlsx zip entries, 0 (store) to 9; 1 is the speed/size sweet spot. */
  xlsxCompressionLevel?: number;
}

const UTF8_BOM = '\uFEFF';
const CSV_HEADER = `${UTF8_BOM}${EXPORT_COLUMNS.join(',')}\r\n`;
const COLUMN_WIDTHS = [28, 12, 12, 12];

/**
 * Streams the report export as xlsx or csv. Rows are written as their chunks arrive and the
 * writer waits for the destination to take them, so memory holds about one chunk at a time.
 *
 * The writer ends `out`; the promise resolves once `out` has finished (everything flushed) and
 * rejects when `out` errors or closes early, or when `rows` throws. On any failure `out` is
 * destroyed, so a half-written file never looks complete (an HTTP client sees an aborted
 * download, not a truncated workbook), and iteration of `rows` stops.
 */
export class ExcelReportExportWriter implements ReportExportWriter {
  private readonly compressionLevel: number;

  constructor(options: ExcelReportExportWriterOptions = {}) {
    this.compressionLevel = options.xlsxCompressionLevel ?? 1;
  }

  async write(format: ExportFormat, rows: AsyncIterable<ExportRow[]>, out: Writable): Promise<void> {
    switch (format) {
      case 'xlsx':
        return guard(out, (sink) => this.writeXlsx(rows, out, sink));
      case 'csv':
        return guard(out, (sink) => writeCsv(rows, out, sink));
      default:
        throw new Error(`unsupported export format: ${String(format)}`);
    }
  }

  private async writeXlsx(rows: AsyncIterable<ExportRow[]>, out: Writable, sink: Sink): Promise<void> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      useStyles: false,
      zip: { zlib: { level: this.compressionLevel } },
    });
    // archiver reports failures on its zip stream, which exceljs listens to only once commit()
    // runs; an earlier one would be an unhandled 'error' event. Route it to `out` instead.
    const zip = (workbook as unknown as { zip?: Partial<Pick<Writable, 'on'>> }).zip;
    if (typeof zip?.on === 'function') zip.on('error', (error: Error) => out.destroy(error));
    const sheet = workbook.addWorksheet(EXPORT_SHEET_NAME);
    sheet.columns = EXPORT_COLUMNS.map((header, i) => ({ header, width: COLUMN_WIDTHS[i] ?? 12 }));
    const xml = sheetXmlStream(sheet);

    for await (const chunk of rows) {
      sink.check();
      for (const row of chunk) {
        // Strings stay string cells (t="str"): the date never becomes an Excel date serial.
        sheet
          .addRow([neutraliseFormulaText(row.cloudId), row.date, rate(row.cpuRate), rate(row.memoryRate)])
          .commit();
      }
      // exceljs writes the sheet XML into a stream without waiting for it, so a slow consumer
      // would let the whole export pile up in memory; wait for it to take this chunk first.
      if (xml?._writableState.needDrain)
        await sink.until(new Promise<void>((resolve) => xml.once('drain', resolve)));
      if (out.writableNeedDrain) await sink.until(once(out, 'drain'));
    }
    sink.check();
    sheet.commit();
    // Resolves on `out`'s 'finish', i.e. after the zip is complete and flushed.
    await sink.until(workbook.commit());
  }
}

/** A null or non-finite rate is an empty cell; a number is written exactly as given. */
function rate(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** The part of a (readable-stream 2) Writable the xlsx writer needs. */
interface XmlStream {
  _writableState: { needDrain: boolean };
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * The stream exceljs writes the worksheet XML into. exceljs's StreamBuf ignores backpressure and
 * forwards to the PassThrough archiver wrapped it in; that PassThrough's buffer is where data
 * piles up when the zip or `out` is slower than us. Reached through exceljs 4.4 / archiver 5
 * internals (a readable-stream 2 PassThrough, hence `_writableState`), so the lookup is
 * defensive: without it the writer still works, only less tightly bounded.
 */
function sheetXmlStream(sheet: ExcelJS.Worksheet): XmlStream | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  const first = (Array.isArray(pipes) ? pipes[0] : undefined) as Partial<XmlStream> | undefined;
  return typeof first?.once === 'function' && typeof first._writableState?.needDrain === 'boolean'
    ? (first as XmlStream)
    : undefined;
}

async function writeCsv(rows: AsyncIterable<ExportRow[]>, out: Writable, sink: Sink): Promise<void> {
  await writeText(out, CSV_HEADER, sink);
  for await (const chunk of rows) {
    sink.check();
    let text = '';
    for (const row of chunk) {
      text += `${csvField(neutraliseFormulaText(row.cloudId))},${csvField(row.date)},${csvNumber(row.cpuRate)},${csvNumber(row.memoryRate)}\r\n`;
    }
    if (text !== '') await writeText(out, text, sink);
  }
  sink.check();
  out.end();
  await sink.finished;
}

async function writeText(out: Writable, text: string, sink: Sink): Promise<void> {
  if (!out.write(text, 'utf8')) await sink.until(once(out, 'drain'));
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, and double its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Decimals of an exported rate: the rates arrive rounded to them already. */
const CSV_DECIMALS = 10;

/**
 * A rate as a plain decimal (5e-7 is written 0.0000005): String() switches to exponent notation
 * below 1e-6, which the downstream platform and many spreadsheets do not read as a number.
 */
function csvNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return value.toFixed(CSV_DECIMALS).replace(/\.?0+$/, '');
}

/** Watches `out` while a format writes to it. */
interface Sink {
  /** Settles when `out` finishes (resolves) or errors or closes early (rejects). */
  readonly finished: Promise<void>;
  /** Throws the failure of `out`, if any: stops the loop over `rows`. */
  check(): void;
  /** Waits for `step`, but fails as soon as `out` fails, so no wait can hang on a dead stream. */
  until<T>(step: Promise<T>): Promise<T>;
}

async function guard(out: Writable, write: (sink: Sink) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  const outcome = new Promise<void>((resolve, reject) => {
    const cleanup = finished(out, (error) => {
      cleanup();
      if (error) {
        failure ??= { error };
        reject(error);
      } else {
        resolve();
      }
    });
  });
  // Observed through `sink`; this keeps an early failure from counting as unhandled.
  outcome.catch(() => undefined);

  const sink: Sink = {
    finished: outcome,
    check() {
      if (failure) throw failure.error;
    },
    until<T>(step: Promise<T>): Promise<T> {
      return Promise.race([step, outcome.then(() => step)]);
    },
  };

  try {
    await write(sink);
    await outcome;
  } catch (error) {
    failure ??= { error };
    if (!out.destroyed) out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw failure.error;
  }
}
