/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/** The first calendar date YYYY-MM-DD in a file name such as `Day_report_2026-11-20.txt`. */
export function dateFromFileName(fileName: string): string | null {
  for (const match of fileName.matchAll(/(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/g)) {
    if (isCalendarDate(match[1]!)) return match[1]!;
  }
  return null;
}
