import { bytesToGiB } from '@kra/contracts';
import type {
  DeleteReportResult,
  WorkloadUsageList,
  NamespaceUsageList,
  Report,
  ReportDateList,
  ReportRow,
} from '@kra/contracts';
import { buildUtilization, summarize } from '../domain/utilization';
import type { ProjectUtilization, QuotaForProject } from '../domain/utilization';
import type { ProjectQuotaRepository, RevisionSource, UsageRepository } from '../ports';
import { AppError } from './app-error';
import type { UsageJanitor } from './usage-janitor';

const CACHED_DATES = 8;

export function presentReportRow(row: ProjectUtilization): ReportRow {
  return {
    cloud_id: row.cloudId,
    project_name: row.project,
    cpu_usage: row.cpuCores,
    cpu_quota: row.cpuQuotaCores,
    cpu_rate: row.cpuRate,
    memory_usage: bytesToGiB(row.memoryBytes),
    memory_quota: row.memoryQuotaBytes === null ? null : bytesToGiB(row.memoryQuotaBytes),
    memory_rate: row.memoryRate,
    cpu_level: row.cpuLevel,
    memory_level: row.memoryLevel,
    level: row.level,
    over_quota: row.overQuota,
    matched: row.matched,
    source: row.source,
    namespace_count: row.namespaceCount,
  };
}

export class ReportService {
  /** Reports by date, valid while the data revision they were built at is current. */
  private readonly cache = new Map<string, { revision: number; report: Report }>();

  constructor(
    private readonly usage: UsageRepository,
    private readonly quotas: ProjectQuotaRepository,
    private readonly revision: RevisionSource,
    private readonly janitor: UsageJanitor,
  ) {}

  async listDates(): Promise<ReportDateList> {
    const dates = await this.usage.listDates();
    return {
      items: dates.map((d) => ({
        date: d.date,
        record_count: d.recordCount,
        project_count: d.projectCount,
        sources: d.sources,
        files: d.files,
        updated_at: d.updatedAt,
      })),
    };
  }

  /** The same object is returned while nothing changed, so callers may cache what they derive from it. */
  async getReport(date: string): Promise<Report> {
    const revision = await this.revision.current();
    const hit = this.cache.get(date);
    if (hit && hit.revision === revision) {
      this.cache.delete(date);
      this.cache.set(date, hit);
      return hit.report;
    }
    const rows = await this.utilization(date);
    if (rows.length === 0) throw noData(date);
    const summary = summarize(rows);
    const report: Report = {
      date,
      rows: rows.map(presentReportRow),
      summary: {
        project_count: summary.projectCount,
        matched_count: summary.matchedCount,
        unmatched_count: summary.unmatchedCount,
        over_quota_count: summary.overQuotaCount,
        high_count: summary.highCount,
        medium_count: summary.mediumCount,
        low_count: summary.lowCount,
      },
    };
    this.cache.delete(date);
    this.cache.set(date, { revision, report });
    while (this.cache.size > CACHED_DATES) this.cache.delete(this.cache.keys().next().value!);
    return report;
  }

  /** Quotas by project name: what a report matches usage against. */
  async quotaIndex(): Promise<Map<string, QuotaForProject>> {
    const quotas = await this.quotas.list();
    return new Map(
      quotas.map((q) => [
        q.projectName,
        { cloudId: q.cloudId, cpuCores: q.cpuCores, memoryBytes: q.memoryBytes },
      ]),
    );
  }

  /**
   * Utilization of every project with usage on the date, in base units (empty when no data).
   * Callers building several dates pass one quota index, read once.
   */
  async utilization(date: string, quotas?: Map<string, QuotaForProject>): Promise<ProjectUtilization[]> {
    const [totals, index] = await Promise.all([this.usage.projectTotals(date), quotas ?? this.quotaIndex()]);
    return buildUtilization(totals, index);
  }

  async namespaces(date: string, project: string): Promise<NamespaceUsageList> {
    const rows = await this.usage.namespaces(date, project);
    if (rows.length === 0)
      throw new AppError(
        'not_found',
        'project_not_in_report',
        `project "${project}" has no usage on ${date}`,
      );
    const counted = rows.some((r) => r.source === 'upload') ? 'upload' : 'prometheus';
    return {
      date,
      project_name: project,
      items: rows.map((r) => ({
        namespace: r.namespace,
        cluster: r.cluster,
        cpu_usage: r.cpuCores,
        memory_usage: bytesToGiB(r.memoryBytes),
        source: r.source,
        origin: r.origin,
        strategy: r.strategy,
        counted: r.source === counted,
      })),
    };
  }

  /** What replica-dedup saw and kept per workload of a namespace (empty for other strategies). */
  async workloads(date: string, cluster: string | null, namespace: string): Promise<WorkloadUsageList> {
    const items = await this.usage.workloads(date, cluster, namespace);
    return {
      date,
      cluster,
      namespace,
      items: items.map((w) => ({
        kind: w.kind,
        name: w.name,
        replicas: w.replicas,
        pods_seen: w.podsSeen,
        pods_kept: w.podsKept,
        cpu_usage: w.cpuCores,
        memory_usage: bytesToGiB(w.memoryBytes),
      })),
    };
  }

  async deleteUploads(date: string, fileName?: string): Promise<DeleteReportResult> {
    const { files, rows } = await this.usage.deleteUploads(date, fileName);
    if (files.length === 0) {
      throw new AppError(
        'not_found',
        'upload_not_found',
        fileName === undefined
          ? `no uploaded daily report for ${date}`
          : `no uploaded file "${fileName}" for ${date}`,
      );
    }
    this.janitor.request();
    return { deleted_files: files, deleted_rows: rows };
  }
}

function noData(date: string): AppError {
  return new AppError(
    'not_found',
    'report_not_found',
    `no usage data for ${date}: upload a daily report or sync Prometheus for that date`,
  );
}
