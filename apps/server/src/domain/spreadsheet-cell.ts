/**
 * Characters a spreadsheet (Excel, LibreOffice Calc, WPS, Google Sheets) may take as the start of
 * a formula when a text value is typed in or read from a CSV: `=`, `+`, `-`, `@`, and their
 * full-width forms, which an East Asian input method or spreadsheet may fold to ASCII.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '＝', '＋', '－', '＠']);

/**
 * Control characters that are themselves known CSV-injection vectors as the first character
 * (OWASP and ASVS 1.2.10 list tab and CR; NUL and LF are in the same family): some importers
 * drop them and evaluate what follows.
 */
const CONTROL_START = new Set(['\t', '\r', '\n', '\0']);

/** Whitespace (`\s` includes NBSP and the ideographic space) an importer may trim first. */
const LEADING_WHITESPACE = /^\s*/;

/**
 * Makes a text cell inert: a value that a spreadsheet could evaluate as a formula gets a leading
 * apostrophe, so Excel, LibreOffice and WPS show it as text.
 *
 * Why leading whitespace counts too: Excel's text import and LibreOffice's CSV dialog can trim
 * spaces before they look at the first character, so ` =cmd|' /C calc'!A0` and `\t=…` are live
 * formulas there. We look at the first character that is not whitespace, and additionally treat a
 * leading tab, CR, LF or NUL as dangerous on its own. Over-neutralising costs one visible
 * apostrophe on an odd value; under-neutralising runs code on an administrator's machine.
 *
 * Idempotent: a value that already starts with `'` is left alone.
 */
export function neutraliseFormulaText(text: string): string {
  const first = text.charAt(0);
  if (first === '') return text;
  if (CONTROL_START.has(first)) return `'${text}`;
  const firstVisible = text.charAt(LEADING_WHITESPACE.exec(text)?.[0].length ?? 0);
  return FORMULA_START.has(firstVisible) ? `'${text}` : text;
}
