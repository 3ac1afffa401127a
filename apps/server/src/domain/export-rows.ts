import type { ProjectUtilization } from './utilization';

export interface ExportRate {
  cloudId: string;
  date: string;
  cpuRate: number | null;
  memoryRate: number | null;
}

/** A rate as the downstream platform reads it: a fraction with 10 decimals, optionally capped at 1. */
export function exportFraction(usage: number, quota: number | null, capAtOne: boolean): number | null {
  if (quota === null || quota <= 0) return null;
  const fraction = Number((usage / quota).toFixed(10));
  return capAtOne ? Math.min(1, fraction) : fraction;
}

/** Matched projects of one date, in the report's order (cloud_id, natural). */
export function exportRowsOf(date: string, rows: ProjectUtilization[], capAtOne: boolean): ExportRate[] {
  const out: ExportRate[] = [];
  for (const row of rows) {
    if (!row.matched || row.cloudId === null) continue;
    out.push({
      cloudId: row.cloudId,
      date,
      cpuRate: exportFraction(row.cpuCores, row.cpuQuotaCores, capAtOne),
      memoryRate: exportFraction(row.memoryBytes, row.memoryQuotaBytes, capAtOne),
    });
  }
  return out;
}
