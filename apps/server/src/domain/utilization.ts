import { levelOfRate } from '@kra/contracts';
import type { UsageLevel, UsageSource } from '@kra/contracts';
import { sortNaturally } from './natural-order';

export interface ProjectUsage {
  project: string;
  source: UsageSource;
  cpuCores: number;
  memoryBytes: number;
  namespaceCount: number;
}

export interface QuotaForProject {
  cloudId: string;
  cpuCores: number;
  memoryBytes: number;
}

/** One project's utilization of a date, in base units; rates in percent, never capped. */
export interface ProjectUtilization {
  cloudId: string | null;
  project: string;
  source: UsageSource;
  namespaceCount: number;
  cpuCores: number;
  cpuQuotaCores: number | null;
  cpuRate: number | null;
  memoryBytes: number;
  memoryQuotaBytes: number | null;
  memoryRate: number | null;
  cpuLevel: UsageLevel | null;
  memoryLevel: UsageLevel | null;
  level: UsageLevel | null;
  overQuota: boolean;
  matched: boolean;
}

const SOURCE_PRIORITY: Record<UsageSource, number> = { upload: 0, prometheus: 1 };
const LEVEL_SEVERITY: Record<UsageLevel, number> = { low: 0, medium: 1, high: 2 };

/** Uploads of a date win over Prometheus for the same project: a report someone uploaded is deliberate. */
export function pickSourcePerProject(totals: ProjectUsage[]): ProjectUsage[] {
  const chosen = new Map<string, ProjectUsage>();
  for (const total of totals) {
    const current = chosen.get(total.project);
    if (!current || SOURCE_PRIORITY[total.source] < SOURCE_PRIORITY[current.source])
      chosen.set(total.project, total);
  }
  return [...chosen.values()];
}

/**
 * Decimals a rate keeps, as the export does: binary floating point puts 9.04 of 11.3 cores at
 * 79.99999999999999 % and 0.1 + 0.2 of 0.3 at 100.00000000000003 %, which would cross the level and
 * over-quota boundaries the wrong way. Rounding first makes the boundaries hold for the figures as typed.
 */
const RATE_DECIMALS = 10;

export function ratePercent(usage: number, quota: number | null): number | null {
  if (quota === null || quota <= 0) return null;
  return Number(((usage / quota) * 100).toFixed(RATE_DECIMALS));
}

function higherLevel(a: UsageLevel | null, b: UsageLevel | null): UsageLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return LEVEL_SEVERITY[a] >= LEVEL_SEVERITY[b] ? a : b;
}

export function utilizationOf(usage: ProjectUsage, quota: QuotaForProject | undefined): ProjectUtilization {
  const cpuRate = ratePercent(usage.cpuCores, quota?.cpuCores ?? null);
  const memoryRate = ratePercent(usage.memoryBytes, quota?.memoryBytes ?? null);
  const cpuLevel = cpuRate === null ? null : levelOfRate(cpuRate);
  const memoryLevel = memoryRate === null ? null : levelOfRate(memoryRate);
  // A quota of 0 CPU and 0 memory gives no rate to report, so the project is unmatched (design §4);
  // its cloud_id is left out with it, as the contract promises null for every unmatched row.
  const matched = cpuRate !== null || memoryRate !== null;
  return {
    cloudId: matched ? (quota?.cloudId ?? null) : null,
    project: usage.project,
    source: usage.source,
    namespaceCount: usage.namespaceCount,
    cpuCores: usage.cpuCores,
    cpuQuotaCores: quota?.cpuCores ?? null,
    cpuRate,
    memoryBytes: usage.memoryBytes,
    memoryQuotaBytes: quota?.memoryBytes ?? null,
    memoryRate,
    cpuLevel,
    memoryLevel,
    level: higherLevel(cpuLevel, memoryLevel),
    overQuota: (cpuRate ?? 0) > 100 || (memoryRate ?? 0) > 100,
    matched,
  };
}

/**
 * The report of a date: one row per project with usage, matched projects first by cloud_id in
 * natural order (2 before 10), then unmatched ones by name. Linear in projects + quotas.
 */
export function buildUtilization(
  totals: ProjectUsage[],
  quotasByProject: Map<string, QuotaForProject>,
): ProjectUtilization[] {
  const rows = pickSourcePerProject(totals).map((usage) =>
    utilizationOf(usage, quotasByProject.get(usage.project)),
  );
  const matched = sortNaturally(
    rows.filter((r) => r.matched),
    (r) => r.cloudId!,
  );
  const unmatched = sortNaturally(
    rows.filter((r) => !r.matched),
    (r) => r.project,
  );
  return [...matched, ...unmatched];
}

export interface UtilizationSummary {
  projectCount: number;
  matchedCount: number;
  unmatchedCount: number;
  overQuotaCount: number;
  highCount: number;
  mediumCount: number;
  lowCount: number;
}

export function summarize(rows: ProjectUtilization[]): UtilizationSummary {
  const summary: UtilizationSummary = {
    projectCount: rows.length,
    matchedCount: 0,
    unmatchedCount: 0,
    overQuotaCount: 0,
    highCount: 0,
    mediumCount: 0,
    lowCount: 0,
  };
  for (const row of rows) {
    if (row.matched) summary.matchedCount += 1;
    else summary.unmatchedCount += 1;
    if (row.overQuota) summary.overQuotaCount += 1;
    if (row.level === 'high') summary.highCount += 1;
    if (row.level === 'medium') summary.mediumCount += 1;
    if (row.level === 'low') summary.lowCount += 1;
  }
  return summary;
}
