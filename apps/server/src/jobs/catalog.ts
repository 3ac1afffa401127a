import type { SyncResult, UsageSyncResult } from '@kra/contracts';
import { addDays } from '../domain/day-window';
import { daysToSync } from '../domain/schedule';
import { AppError } from '../services/app-error';
import type { QuotaSyncService } from '../services/quota-sync.service';
import type { ReportService } from '../services/report.service';
import type { JobCatalog, JobOutcome } from '../services/scheduler.service';
import type { UsageSyncService } from '../services/usage-sync.service';

/** all ok → succeeded, some → partly failed, none → failed. */
function statusOf(oks: boolean[]): JobOutcome['status'] {
  if (oks.every(Boolean)) return 'succeeded';
  return oks.some(Boolean) ? 'partly-failed' : 'failed';
}

function quotaOutcome(result: SyncResult, what: string): JobOutcome {
  const failed = result.clusters.filter((c) => !c.ok).map((c) => c.cluster_name);
  const counts = result.clusters.reduce(
    (n, c) => ({
      created: n.created + c.created,
      updated: n.updated + c.updated,
      removed: n.removed + c.removed,
    }),
    { created: 0, updated: 0, removed: 0 },
  );
  return {
    status: statusOf(result.clusters.map((c) => c.ok)),
    summary: `${what}: ${result.clusters.length - failed.length} of ${result.clusters.length} cluster(s) synced (${counts.created} created, ${counts.updated} updated, ${counts.removed} removed)${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
    result,
  };
}

/** Nothing to sync is not a failure: the job is skipped with the reason. */
async function unlessNothingToDo(run: () => Promise<JobOutcome>): Promise<JobOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && (error.code === 'no_clusters' || error.code === 'no_sources')) {
      return { status: 'skipped', summary: error.message, result: null };
    }
    throw error;
  }
}

/** What each scheduled job does, in terms of the services. */
export function jobCatalog(deps: {
  quotaSync: QuotaSyncService;
  usageSync: UsageSyncService;
  reports: ReportService;
  prometheusCatchUpDays: () => Promise<number>;
}): JobCatalog {
  return {
    'namespace-quota-sync': (signal) =>
      unlessNothingToDo(async () =>
        quotaOutcome(await deps.quotaSync.syncNamespaces(undefined, signal), 'namespace quotas'),
      ),
    'project-quota-sync': (signal) =>
      unlessNothingToDo(async () =>
        quotaOutcome(await deps.quotaSync.syncProjectQuotas(undefined, signal), 'project quotas'),
      ),
    'prometheus-sync': (signal) =>
      unlessNothingToDo(async () => {
        const yesterday = await deps.usageSync.defaultDate();
        const synced = (await deps.reports.listDates()).items
          .filter((d) => d.sources.includes('prometheus'))
          .map((d) => d.date);
        const last = synced.length > 0 ? synced.reduce((a, b) => (a > b ? a : b)) : null;
        const days = daysToSync(last, yesterday, await deps.prometheusCatchUpDays(), addDays);
        const results: UsageSyncResult[] = [];
        for (const day of days) {
          if (signal.aborted) break;
          results.push(await deps.usageSync.syncDate(day, undefined, signal));
        }
        const oks = results.flatMap((r) => r.sources.map((s) => s.ok));
        const span =
          days.length === 1 ? days[0] : `${days[0]} … ${days[days.length - 1]} (${days.length} days)`;
        return {
          status: statusOf(oks),
          summary: `usage of ${span}: ${oks.filter(Boolean).length} of ${oks.length} source-day(s) synced`,
          result: results,
        };
      }),
  };
}
