import type { SyncResult, UsageSyncResult } from '@kra/contracts';
import { AppError } from '../services/app-error';
import type { PrometheusCatchUpService } from '../services/prometheus-catch-up.service';
import type { QuotaSyncService } from '../services/quota-sync.service';
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

/**
 * The Prometheus job: the days of the catch-up window some source has not synced (a failed source,
 * a hole before a synced day), each with just those sources; yesterday with all when none is
 * missing. Each source-day counts towards the status; stopping for a cancel says so.
 */
async function prometheusOutcome(
  deps: {
    usageSync: UsageSyncService;
    catchUp: PrometheusCatchUpService;
    prometheusCatchUpDays: () => Promise<number>;
  },
  signal: AbortSignal,
): Promise<JobOutcome> {
  const sources = await deps.usageSync.chooseSources();
  const yesterday = await deps.usageSync.defaultDate();
  const plan = await deps.catchUp.plan(sources, yesterday, await deps.prometheusCatchUpDays());
  const results: UsageSyncResult[] = [];
  for (const { date, sourceIds } of plan) {
    if (signal.aborted) break;
    results.push(await deps.usageSync.syncDate(date, sourceIds, signal));
  }
  const oks = results.flatMap((r) => r.sources.map((s) => s.ok));
  const days = plan.map((p) => p.date).join(', ');
  const synced = `${oks.filter(Boolean).length} of ${oks.length} source-day(s) synced`;
  if (signal.aborted && results.length < plan.length)
    return { status: 'cancelled', summary: `usage of ${days}: cancelled after ${synced}`, result: results };
  return { status: statusOf(oks), summary: `usage of ${days}: ${synced}`, result: results };
}

/** What each scheduled job does, in terms of the services. */
export function jobCatalog(deps: {
  quotaSync: QuotaSyncService;
  usageSync: UsageSyncService;
  catchUp: PrometheusCatchUpService;
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
    'prometheus-sync': (signal) => unlessNothingToDo(() => prometheusOutcome(deps, signal)),
  };
}
