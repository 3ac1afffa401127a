import type { ErrorDetail } from '@kra/contracts';
import { columnLetter } from '../domain/quota-sheet';
import { isUnreadable, unreadableReason } from '../domain/sheet-cell';
import type { SheetRow, WorkbookReader } from '../ports';
import { WorkbookFormatError } from '../ports';
import { AppError } from './app-error';

/** Words a 是/否 column accepts (an empty cell is "no"). */
export const YES_WORDS = new Set(['是', 'true', 'yes', 'y', '1']);
export const NO_WORDS = new Set(['否', 'false', 'no', 'n', '0', '']);

/**
 * A filled-in import template: its columns found by their header titles, and errors collected as
 * `row N, column X (title): reason` so every import reports problems the same way.
 */
export class TemplateSheet {
  private readonly found: ErrorDetail[] = [];
  /** `row:column` of the unreadable cells: they read as empty, and "is empty" would only repeat their error. */
  private readonly unreadableCells = new Set<string>();
  private readonly failedRows = new Set<number>();

  private constructor(
    readonly fileName: string,
    readonly rows: SheetRow[],
    private readonly header: string[],
  ) {}

  /** Every error, by row. */
  get errors(): ErrorDetail[] {
    return [...this.found].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  }

  /** Reads the first sheet; a file that is not a workbook or lacks a column is refused (422). */
  static async read(
    reader: WorkbookReader,
    data: Buffer,
    fileName: string,
    columns: readonly string[],
  ): Promise<TemplateSheet> {
    let sheet;
    try {
      sheet = await reader.readFirstSheet(data, fileName);
    } catch (error) {
      if (error instanceof WorkbookFormatError)
        throw new AppError('unprocessable', error.detail.code, error.message, [error.detail]);
      throw error;
    }
    const header = sheet.header.map((h) => String(h ?? '').trim());
    const missing = columns.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      throw new AppError(
        'unprocessable',
        'missing_column',
        `${fileName}: row 1 must be the header ${columns.join(' | ')}; missing ${missing.join(', ')}`,
        [
          {
            code: 'missing_column',
            file: fileName,
            row: 1,
            message: `${fileName}: missing ${missing.join(', ')}`,
          },
        ],
      );
    }
    const template = new TemplateSheet(fileName, sheet.rows, header);
    template.rejectUnreadableCells(columns);
    return template;
  }

  /** An Excel error or a formula without a saved value is an error of its own; the cell then reads as empty. */
  private rejectUnreadableCells(columns: readonly string[]): void {
    for (const row of this.rows)
      for (const title of columns) {
        const value = row.cells[this.header.indexOf(title)] ?? null;
        if (!isUnreadable(value)) continue;
        const { code, reason } = unreadableReason(value);
        this.fail(row, title, reason, code);
        this.unreadableCells.add(this.cellKey(row, title));
      }
  }

  cell(row: SheetRow, title: string): string | number | null {
    const value = row.cells[this.header.indexOf(title)] ?? null;
    return isUnreadable(value) ? null : value;
  }

  /** Whether an error was found in the row (its cells, or by the caller). */
  hasErrors(row: SheetRow): boolean {
    return this.failedRows.has(row.row);
  }

  text(row: SheetRow, title: string): string {
    return String(this.cell(row, title) ?? '').trim();
  }

  fail(row: SheetRow, title: string, reason: string, code = 'invalid_value'): void {
    this.failedRows.add(row.row);
    if (this.unreadableCells.has(this.cellKey(row, title))) return;
    const column = `${columnLetter(this.header.indexOf(title))} (${title})`;
    this.found.push({
      code,
      file: this.fileName,
      row: row.row,
      column,
      field: title,
      message: `row ${row.row}, column ${column}: ${reason}`,
    });
  }

  private cellKey(row: SheetRow, title: string): string {
    return `${row.row}:${title}`;
  }

  /** With errors and without `partial`, nothing is stored: 422 listing every error. */
  assertStorable(code: string, validRows: number, partial: boolean): void {
    if (this.found.length === 0 || partial) return;
    const rejected = this.rows.length - validRows;
    throw new AppError(
      'unprocessable',
      code,
      `${this.fileName}: ${this.found.length} error(s) in ${rejected} of ${this.rows.length} row(s); nothing was imported`,
      this.errors,
    );
  }
}
