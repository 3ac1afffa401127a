import ExcelJS from 'exceljs';
import type { Cell, CellValue, Worksheet } from 'exceljs';
import { isUnreadable } from '../../domain/sheet-cell';
import type { SheetCell } from '../../domain/sheet-cell';
import type { SheetContent, SheetRow, WorkbookReader } from '../../ports';
import { WorkbookFormatError } from '../../ports';

const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Local file header, empty archive, spanned archive. */
const ZIP_SIGNATURES = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
  Buffer.from([0x50, 0x4b, 0x07, 0x08]),
];
const SAVE_AS_XLSX = 'open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)"';

/**
 * Reads the first worksheet of an xlsx into plain values. Anything that is not a readable xlsx
 * becomes a WorkbookFormatError with a message that tells the user what the file is and what to
 * do; no exceljs exception leaves this class.
 */
export class ExcelWorkbookReader implements WorkbookReader {
  async readFirstSheet(data: Buffer, fileName: string): Promise<SheetContent> {
    rejectNonWorkbook(data, fileName);

    const workbook = new ExcelJS.Workbook();
    try {
      // exceljs declares its own `Buffer` (an ArrayBuffer); at run time it takes a Node Buffer.
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch (error) {
      throw formatError(
        fileName,
        'not_xlsx',
        `the file looks like an xlsx workbook but cannot be read; it may be damaged or incomplete — ${SAVE_AS_XLSX} again`,
        error,
      );
    }

    const sheet = workbook.worksheets[0];
    if (!sheet) throw formatError(fileName, 'no_sheet', 'the workbook contains no worksheet');

    try {
      return readSheet(sheet);
    } catch (error) {
      throw formatError(
        fileName,
        'not_xlsx',
        `the worksheet "${sheet.name}" cannot be read; ${SAVE_AS_XLSX} again`,
        error,
      );
    }
  }
}

function readSheet(sheet: Worksheet): SheetContent {
  let header: (string | null)[] = [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: SheetCell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      // A merged range stores its value only in the top-left cell; the others read as empty,
      // as they do in Excel's own formulas.
      cells[column - 1] = cell.type === ExcelJS.ValueType.Merge ? null : cellOf(cell);
    });
    const dense = Array.from(cells, (value) => value ?? null);
    if (rowNumber === 1) {
      header = trimTrailingNulls(dense).map((value) =>
        value === null || isUnreadable(value) ? null : String(value),
      );
      return;
    }
    if (dense.every(isBlank)) return;
    rows.push({ row: rowNumber, cells: dense });
  });
  for (const row of rows) {
    while (row.cells.length < header.length) row.cells.push(null);
  }
  return { header, rows };
}

/**
 * What the domain reads of one cell: number, string, null, or why it cannot be read. A formula
 * counts by its cached result, as last calculated by the program that saved the file; a file
 * written by a program that does not calculate has none.
 */
function cellOf(cell: Cell): SheetCell {
  if (cell.type !== ExcelJS.ValueType.Formula) return normalise(cell.value);
  const result: unknown = cell.result;
  if (result === undefined || result === null)
    return { kind: 'formula_without_value', formula: cell.formula };
  return normalise(result as CellValue);
}

/** Converts one exceljs cell value to what the domain reads. */
function normalise(value: CellValue): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  // Kept apart from text: "#REF!" must not become a cloud_id or a project name.
  if ('error' in value) return { kind: 'excel_error', error: value.error };
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) {
    // exceljs types `text` as string, but a hyperlink over formatted text arrives as rich text.
    const text: unknown = value.text;
    return typeof text === 'string' ? text : normalise(text as CellValue);
  }
  return null;
}

function isBlank(value: SheetCell): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function trimTrailingNulls<T>(values: (T | null)[]): (T | null)[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === null) end--;
  return values.slice(0, end);
}

/** Recognises the files users commonly upload by mistake, before exceljs sees them. */
function rejectNonWorkbook(data: Buffer, fileName: string): void {
  if (data.length === 0) {
    throw formatError(fileName, 'not_xlsx', 'the file is empty; choose the xlsx workbook again');
  }
  if (startsWith(data, OLE2_SIGNATURE)) {
    // Password-protected xlsx files are OLE2 containers as well.
    throw formatError(
      fileName,
      'not_xlsx',
      `this is an old Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot be read; ${SAVE_AS_XLSX} without a password and upload that file`,
    );
  }
  if (ZIP_SIGNATURES.some((signature) => startsWith(data, signature))) {
    // Entry names are stored uncompressed in a zip, so a search for the part finds it.
    if (data.includes('xl/workbook.xml')) return;
    if (data.includes('application/vnd.oasis.opendocument.spreadsheet')) {
      throw formatError(
        fileName,
        'not_xlsx',
        `this is an OpenDocument spreadsheet (.ods), not an xlsx; ${SAVE_AS_XLSX}`,
      );
    }
    throw formatError(
      fileName,
      'not_xlsx',
      `this is a zip archive but not an Excel workbook (it has no xl/workbook.xml); upload the .xlsx file itself`,
    );
  }
  if (looksLikeText(data)) {
    throw formatError(
      fileName,
      'not_xlsx',
      `this is a text file (such as CSV, HTML or XML), not an Excel workbook; ${SAVE_AS_XLSX}`,
    );
  }
  throw formatError(fileName, 'not_xlsx', `this is not an Excel workbook (.xlsx); ${SAVE_AS_XLSX}`);
}

function startsWith(data: Buffer, signature: Buffer): boolean {
  return data.length >= signature.length && data.subarray(0, signature.length).equals(signature);
}

/** No control bytes besides tab, CR, LF, FF in the first 4 KiB; a UTF-16 BOM also counts. */
function looksLikeText(data: Buffer): boolean {
  if (
    data.length >= 2 &&
    ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))
  ) {
    return true;
  }
  const head = data.subarray(0, 4096);
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

/** The user sees `message`; the exceljs error, if any, stays on `cause` for the logs. */
function formatError(
  fileName: string,
  code: 'not_xlsx' | 'no_sheet',
  problem: string,
  cause?: unknown,
): WorkbookFormatError {
  const message = `${fileName}: ${problem}`;
  const error = new WorkbookFormatError(message, { code, file: fileName, message });
  if (cause !== undefined) error.cause = cause;
  return error;
}
