import { finished } from 'node:stream';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { EXPORT_COLUMNS, EXPORT_SHEET_NAME } from '@kra/contracts';
import type { ExportFormat } from '@kra/contracts';
import type { ExportRow, ReportExportWriter } from '../../ports';
import { neutraliseFormulaText } from '../../domain/spreadsheet-cell';
import { ZipWriter } from './zip-writer';

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
 * The xlsx is written directly (sheet XML into a streamed zip): exceljs's streaming writer builds
 * an object per cell and spent more time than reading the 30 dates' usage (`npm run bench -- export`).
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
    const zip = new ZipWriter((chunk) => writeChunk(out, chunk, sink), this.compressionLevel);
    for (const [name, content] of XLSX_PARTS) await zip.file(name, content);
    const sheet = await zip.begin('xl/worksheets/sheet1.xml');
    await sheet.write(Buffer.from(SHEET_START, 'utf8'));
    let rowNumber = 1;
    for await (const chunk of rows) {
      sink.check();
      let xml = '';
      for (const row of chunk) {
        const n = ++rowNumber;
        // Strings stay string cells (t="str"): the date never becomes an Excel date serial.
        xml += `<row r="${n}"><c r="A${n}" t="str"><v>${xmlText(neutraliseFormulaText(row.cloudId))}</v></c><c r="B${n}" t="str"><v>${xmlText(row.date)}</v></c>${numberCell('C', n, row.cpuRate)}${numberCell('D', n, row.memoryRate)}</row>`;
      }
      await sheet.write(Buffer.from(xml, 'utf8'));
    }
    sink.check();
    await sheet.write(Buffer.from(SHEET_END, 'utf8'));
    await sheet.end();
    await zip.finish();
    out.end();
    await sink.finished;
  }
}

/**
 * Characters XML 1.0 cannot hold at all (a workbook with one would not open): dropped. With the u
 * flag a surrogate pair is one code point, so only a lone surrogate matches its range.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOCUMENT_RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a one-sheet workbook besides the sheet: what Excel, LibreOffice and exceljs need to open it. */
const XLSX_PARTS: [string, string][] = [
  [
    '[Content_Types].xml',
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  ],
  [
    '_rels/.rels',
    `${XML_DECLARATION}<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${DOCUMENT_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    'xl/workbook.xml',
    `${XML_DECLARATION}<workbook xmlns="${MAIN}" xmlns:r="${DOCUMENT_RELATIONSHIPS}"><sheets><sheet name="${xmlText(EXPORT_SHEET_NAME)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    `${XML_DECLARATION}<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${DOCUMENT_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${DOCUMENT_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>`,
  ],
  [
    'xl/styles.xml',
    `${XML_DECLARATION}<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  ],
];

const SHEET_START =
  `${XML_DECLARATION}<worksheet xmlns="${MAIN}"><cols>` +
  EXPORT_COLUMNS.map(
    (_, i) => `<col min="${i + 1}" max="${i + 1}" width="${COLUMN_WIDTHS[i] ?? 12}" customWidth="1"/>`,
  ).join('') +
  '</cols><sheetData><row r="1">' +
  EXPORT_COLUMNS.map((header, i) => `<c r="${'ABCD'[i]}1" t="str"><v>${xmlText(header)}</v></c>`).join('') +
  '</row>';
const SHEET_END = '</sheetData></worksheet>';

function xmlText(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A null or non-finite rate is no cell; a number is written exactly as given. */
function numberCell(column: string, row: number, value: number | null): string {
  return value !== null && Number.isFinite(value) ? `<c r="${column}${row}"><v>${value}</v></c>` : '';
}

async function writeChunk(out: Writable, chunk: Buffer, sink: Sink): Promise<void> {
  sink.check();
  if (!out.write(chunk)) await sink.until(once(out, 'drain'));
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
