/**
 * A cell whose content cannot stand for a value: an Excel error such as #REF! (which would
 * otherwise read as the text "#REF!"), or a formula saved without its result (which would
 * otherwise read as empty). Imports reject it with a reason of its own.
 */
export type UnreadableCell =
  { kind: 'excel_error'; error: string } | { kind: 'formula_without_value'; formula: string };

/** One cell of an imported sheet, as the validators read it. */
export type SheetCell = string | number | null | UnreadableCell;

export function isUnreadable(cell: SheetCell): cell is UnreadableCell {
  return cell !== null && typeof cell === 'object';
}

/** The error code and the reason, to follow `row N, column X: `. */
export function unreadableReason(cell: UnreadableCell): { code: string; reason: string } {
  if (cell.kind === 'excel_error')
    return {
      code: 'excel_error',
      reason: `holds the Excel error ${cell.error}; correct the formula or type the value`,
    };
  return {
    code: 'formula_without_value',
    reason: `formula has no saved value (=${cell.formula}); open the file in Excel, WPS or LibreOffice and save it again so that it is calculated`,
  };
}
