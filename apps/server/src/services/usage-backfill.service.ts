import { randomUUID } from 'node:crypto';
import type { SyncJob, UsageSyncResult } from '@kra/contracts';
import { datesBetween } from '../domain/day-window';
import type { Clock } from '../ports';
import { AppError } from './app-error';
import type { UsageSyncService } from './usage-sync.service';

const MAX_DAYS = 400;
const KEPT_JOBS = 20;

export interface BackfillProgress {
  date: string;
  done: number;
  total: number;
  result?: UsageSyncResult;
}

/**
 * Range syncs (backfill): one day after the other, with progress, cancellable between and during
 * days. Jobs live in this process; the console polls them.
 */
export class UsageBackfillService {
  private readonly jobs = new Map<string, { job: SyncJob; controller: AbortController }>();

  constructor(
    private readonly sync: UsageSyncService,
    private readonly clock: Clock,
  ) {}

  /** Checks the range, then runs it day by day; `onProgress` after each day. */
  async run(
    from: string,
    to: string,
    ids: number[] | undefined,
    options: { signal?: AbortSignal; onProgress?: (p: BackfillProgress) => void } = {},
  ): Promise<UsageSyncResult[]> {
    const dates = await this.validate(from, to);
    await this.sync.chooseSources(ids);
    const results: UsageSyncResult[] = [];
    for (const [i, date] of dates.entries()) {
      if (options.signal?.aborted) break;
      options.onProgress?.({ date, done: i, total: dates.length });
      const result = await this.sync.syncDate(date, ids, options.signal);
      results.push(result);
      options.onProgress?.({ date, done: i + 1, total: dates.length, result });
    }
    return results;
  }

  async start(from: string, to: string, ids: number[] | undefined): Promise<SyncJob> {
    const dates = await this.validate(from, to);
    await this.sync.chooseSources(ids);
    const controller = new AbortController();
    const job: SyncJob = {
      id: randomUUID(),
      kind: 'prometheus-range',
      status: 'running',
      from,
      to,
      total_days: dates.length,
      done_days: 0,
      current_date: null,
      started_at: this.clock.now().toISOString(),
      finished_at: null,
      results: [],
    };
    this.jobs.set(job.id, { job, controller });
    this.prune();
    void this.run(from, to, ids, {
      signal: controller.signal,
      onProgress: (p) => {
        job.current_date = p.date;
        job.done_days = p.done;
        if (p.result) job.results.push(p.result);
      },
    })
      .then(() => {
        job.status = controller.signal.aborted
          ? 'cancelled'
          : job.results.every((r) => r.ok)
            ? 'succeeded'
            : job.results.some((r) => r.ok)
              ? 'partly-failed'
              : 'failed';
      })
      .catch(() => {
        job.status = 'failed';
      })
      .finally(() => {
        job.current_date = null;
        job.finished_at = this.clock.now().toISOString();
      });
    return job;
  }

  list(): SyncJob[] {
    return [...this.jobs.values()].map((j) => j.job).reverse();
  }

  get(id: string): SyncJob {
    const entry = this.jobs.get(id);
    if (!entry)
      throw new AppError(
        'not_found',
        'job_not_found',
        `no sync job ${id} (jobs are kept until the server restarts)`,
      );
    return entry.job;
  }

  cancel(id: string): SyncJob {
    const entry = this.jobs.get(id);
    if (!entry) throw new AppError('not_found', 'job_not_found', `no sync job ${id}`);
    entry.controller.abort();
    return entry.job;
  }

  private async validate(from: string, to: string): Promise<string[]> {
    if (from > to) throw new AppError('invalid_input', 'invalid_range', `from ${from} is after to ${to}`);
    const lastComplete = await this.sync.defaultDate();
    if (to > lastComplete)
      throw new AppError(
        'invalid_input',
        'day_not_over',
        `${to} is not over yet; the last complete day is ${lastComplete}`,
      );
    const dates = datesBetween(from, to);
    if (dates.length > MAX_DAYS)
      throw new AppError(
        'invalid_input',
        'range_too_long',
        `${dates.length} days is more than ${MAX_DAYS}; sync a shorter range at a time`,
      );
    return dates;
  }

  private prune(): void {
    const finished = [...this.jobs.entries()].filter(([, e]) => e.job.status !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) this.jobs.delete(id);
  }
}
