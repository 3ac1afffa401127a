import type { ReportRow, UsageLevel, UsageSource } from '@kra/contracts';

/** Filters of the matched-projects table, shared with the summary bar that can set them. */
export interface MatchedFilters {
  /** Levels to show, `over` meaning over quota; rows matching any of them are shown. */
  levels: LevelFilter[] | null;
  sources: UsageSource[] | null;
  search: string;
}

export type LevelFilter = UsageLevel | 'over';

export const NO_FILTERS: MatchedFilters = { levels: null, sources: null, search: '' };

export const matchesLevel = (row: ReportRow, filter: LevelFilter): boolean =>
  filter === 'over' ? row.over_quota : row.level === filter;

/** Case-insensitive match of a project name or cloud ID. */
export function matchesSearch(row: ReportRow, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return (
    row.project_name.toLowerCase().includes(needle) || (row.cloud_id ?? '').toLowerCase().includes(needle)
  );
}

/** The highest of a row's CPU and memory rates, for ranking projects. */
export const peakRate = (row: ReportRow): number => Math.max(row.cpu_rate ?? 0, row.memory_rate ?? 0);
