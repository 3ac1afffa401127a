import type { ErrorDetail } from '@kra/contracts';
import { AppError } from '../services/app-error';

export interface Output {
  json: boolean;
}

/**
 * Exit code of a `kra` command that could not do its work: wrong arguments, unreadable files,
 * nothing to export, a database, cluster or Prometheus that failed (the README lists the codes).
 */
export const EXIT_FAILED = 1;
/** Rows or files were rejected for their content; each problem is named on stderr. */
export const EXIT_REJECTED = 2;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table; wide characters (Chinese) count as two columns. */
export function printTable(headers: string[], rows: (string | number | null)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const width = (text: string) => [...text].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  for (const row of cells) {
    process.stdout.write(
      `${row
        .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

export const fixed = (value: number | null, digits: number): string | null =>
  value === null ? null : value.toFixed(digits);

/**
 * Prints a failure as one line (plus its located details) on stderr and sets the exit code: an input
 * rejected for its content (an import with row errors, a file that is not an xlsx) is EXIT_REJECTED,
 * like a rejected daily report, so a script can tell bad data from a failed command.
 */
export function reportFailure(error: unknown, output: Output): void {
  process.exitCode =
    error instanceof AppError && error.kind === 'unprocessable' ? EXIT_REJECTED : EXIT_FAILED;
  if (error instanceof AppError) {
    if (output.json) {
      process.stderr.write(
        `${JSON.stringify({ error: error.code, message: error.message, details: error.details, ...error.extra })}\n`,
      );
      return;
    }
    process.stderr.write(`error: ${error.message}\n`);
    // A single detail often is the message itself, located for a form field.
    printDetails(error.details.filter((d) => d.message !== error.message));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    output.json ? `${JSON.stringify({ error: 'failed', message })}\n` : `error: ${message}\n`,
  );
}

export function printDetails(details: ErrorDetail[]): void {
  for (const detail of details) process.stderr.write(`  ${detail.message}\n`);
}
