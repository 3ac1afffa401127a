import type { ErrorDetail } from '@kra/contracts';

export interface DetailLabels {
  /** The localized place of a sheet cell, e.g. "行 3, 列 C (CPU配额(核))". */
  cell: (row: number, column: string | undefined) => string;
}

/** A leading "row 3, column C: " / "第 3 行…：" the server may already have put in the message. */
const SHEET_PLACE = /^(?:row\s*\d+|第?\s*\d+\s*行|行\s*\d+)[^:：]*[:：]\s*/i;

/** The message without the place the server already prefixed it with (`file:line: `, `row n …: `). */
export function detailReason(detail: ErrorDetail): string {
  const { message, file, line } = detail;
  if (file !== undefined) {
    const prefix = line !== undefined ? `${file}:${line}: ` : `${file}: `;
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  if (detail.row !== undefined) return message.replace(SHEET_PLACE, '');
  return message;
}

/**
 * One error detail as a line a user can act on: `file:line: message` for daily-report files,
 * `行 row, 列 column: message` for sheets, otherwise the message (with its field when it lacks one).
 */
export function formatErrorDetail(detail: ErrorDetail, labels: DetailLabels): string {
  const reason = detailReason(detail);
  if (detail.file !== undefined && detail.line !== undefined)
    return `${detail.file}:${detail.line}: ${reason}`;
  if (detail.row !== undefined) return `${labels.cell(detail.row, detail.column)}: ${reason}`;
  if (detail.file !== undefined) return `${detail.file}: ${reason}`;
  if (detail.field !== undefined && !reason.includes(detail.field)) return `${detail.field}: ${reason}`;
  return reason;
}

/** A detail's form field without the request part the server may prefix it with (`body.timezone` → `timezone`). */
function detailField(detail: ErrorDetail): string | undefined {
  return detail.field?.replace(/^(?:body|query|params)\./, '');
}

/** The details that concern one of `fields`, grouped per field, their messages without the field prefix. */
export function fieldErrors<F extends string>(
  details: ErrorDetail[],
  fields: readonly F[],
): { name: F; errors: string[] }[] {
  const byField = new Map<F, string[]>();
  for (const detail of details) {
    const field = fields.find((f) => f === detailField(detail));
    if (field === undefined) continue;
    // The server may name the field with or without its request part: `body.project_label: …`.
    const message = detail.message.replace(
      new RegExp(
        `^(?:${escapeRegExp(detail.field ?? '')}|(?:(?:body|query|params)\\.)?${escapeRegExp(field)}):\\s*`,
      ),
      '',
    );
    byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
