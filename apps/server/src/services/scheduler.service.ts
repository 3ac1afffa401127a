import { Cron } from 'croner';
import type {
  JobRun,
  JobSchedule,
  JobScheduleUpdate,
  SchedulerConfig,
  SchedulerConfigUpdate,
} from '@kra/contracts';
import { cronOf, JOB_KEYS, timingProblem } from '../domain/schedule';
import type { JobKey, Timing } from '../domain/schedule';
import type {
  Clock,
  JobRunRecord,
  RunStatus,
  RunTrigger,
  SchedulerRepository,
  SettingsRecord,
  SettingsRepository,
} from '../ports';
import { AppError } from './app-error';

export interface JobOutcome {
  status: Exclude<RunStatus, 'running' | 'cancelled'>;
  summary: string;
  result: unknown;
}

/** What each job does; the scheduler decides when, and records how it went. */
export type JobCatalog = Record<JobKey, (signal: AbortSignal) => Promise<JobOutcome>>;

export interface SchedulerOptions {
  /** Names this process in run records and locks. */
  instance: string;
  /** How long a lock lasts without renewal; a run whose process died frees its job after it. */
  leaseMs: number;
  heartbeatMs: number;
}

export interface StartedRun {
  job: JobKey;
  run: JobRunRecord;
  done: Promise<JobRunRecord>;
}

export interface TickOutcome {
  started: StartedRun[];
  /** Slots this instance did not run: another instance claimed them, or the job was busy or catch-up is off. */
  skipped: { job: JobKey; slot: string; reason: string }[];
}

const SCHEDULER_DEFAULTS = {
  schedulerEnabled: true,
  catchUpMissed: true,
  prometheusCatchUpDays: 7,
  keepRunsDays: 30,
};

export function presentRun(r: JobRunRecord): JobRun {
  return {
    id: r.id,
    job: r.job,
    trigger: r.trigger,
    scheduled_for: r.scheduledFor,
    attempt: r.attempt,
    status: r.status,
    instance: r.instance,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    summary: r.summary,
    result: r.result,
    next_retry_at: r.nextRetryAt,
    cancel_requested: r.cancelRequested,
  };
}

/**
 * Runs the jobs on their schedules in the configured time zone, exactly once: a scheduled slot is
 * claimed by inserting its run (unique per job, slot and attempt, whichever replica is first), and
 * a run holds its job's lease in the database while it works, so a manual run never overlaps a
 * scheduled one. Time comes from the clock; `tick` does one round and is what the timer calls.
 */
export class SchedulerService {
  private readonly local = new Map<number, AbortController>();
  /** The last slot of each job this instance looked at, so a slot another replica took is reported once. */
  private readonly slotsSeen = new Map<JobKey, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: SchedulerRepository,
    private readonly settings: SettingsRepository,
    private readonly defaultTimezone: string,
    private readonly catalog: JobCatalog,
    private readonly clock: Clock,
    private readonly options: SchedulerOptions,
  ) {}

  async config(): Promise<SchedulerConfig> {
    const [s, schedules, lastSuccess] = await Promise.all([
      this.globals(),
      this.repo.schedules(),
      this.repo.lastSuccess(),
    ]);
    const jobs: JobSchedule[] = [];
    for (const schedule of schedules) {
      const lastRun = await this.repo.lastRun(schedule.job);
      const holder = await this.repo.lockHolder(schedule.job, this.clock.now().toISOString());
      jobs.push({
        job: schedule.job,
        enabled: schedule.enabled,
        mode: schedule.timing.kind,
        hour: schedule.timing.kind === 'daily' ? schedule.timing.hour : 0,
        minute: schedule.timing.kind === 'daily' ? schedule.timing.minute : 0,
        interval_hours: schedule.timing.kind === 'daily' ? schedule.timing.intervalHours : 24,
        cron: schedule.timing.kind === 'cron' ? schedule.timing.expression : null,
        expression: cronOf(schedule.timing),
        retries: schedule.retries,
        retry_backoff_seconds: schedule.retryBackoffSeconds,
        next_runs: this.cron(schedule.timing, s.timezone)
          .nextRuns(3, this.clock.now())
          .map((d) => d.toISOString()),
        last_run: lastRun ? presentRun(lastRun) : null,
        last_success_at: lastSuccess.get(schedule.job) ?? null,
        running_run_id: holder?.runId ?? null,
      });
    }
    const byJob = new Map(schedules.map((j) => [j.job, j.timing]));
    const hourOf = (job: JobKey) => {
      const t = byJob.get(job);
      return t?.kind === 'daily' ? t.hour : 0;
    };
    const quotaTiming = byJob.get('namespace-quota-sync');
    return {
      enabled: s.schedulerEnabled,
      namespace_quota_hour: hourOf('namespace-quota-sync'),
      prometheus_sync_hour: hourOf('prometheus-sync'),
      interval_hours: quotaTiming?.kind === 'daily' ? quotaTiming.intervalHours : 24,
      catch_up_missed: s.catchUpMissed,
      prometheus_catch_up_days: s.prometheusCatchUpDays,
      keep_runs_days: s.keepRunsDays,
      timezone: s.timezone,
      jobs,
    };
  }

  /**
   * The seed's fields apply to the jobs they name (namespace_quota_hour to both quota syncs,
   * interval_hours to all three); `jobs` sets one job, a cron expression included.
   */
  async updateConfig(patch: SchedulerConfigUpdate): Promise<SchedulerConfig> {
    const schedules = new Map((await this.repo.schedules()).map((s) => [s.job, s]));
    const timings = new Map<JobKey, Timing>();
    const daily = (job: JobKey, change: Partial<{ hour: number; minute: number; intervalHours: number }>) => {
      const current = timings.get(job) ?? schedules.get(job)!.timing;
      const base =
        current.kind === 'daily'
          ? current
          : { kind: 'daily' as const, hour: 0, minute: 0, intervalHours: 24 };
      timings.set(job, { ...base, ...change });
    };
    if (patch.namespace_quota_hour !== undefined) {
      daily('namespace-quota-sync', { hour: patch.namespace_quota_hour });
      daily('project-quota-sync', { hour: patch.namespace_quota_hour });
    }
    if (patch.prometheus_sync_hour !== undefined)
      daily('prometheus-sync', { hour: patch.prometheus_sync_hour });
    if (patch.interval_hours !== undefined)
      for (const job of JOB_KEYS) daily(job, { intervalHours: patch.interval_hours });
    const perJob = new Map<JobKey, JobScheduleUpdate>();
    for (const update of patch.jobs ?? []) {
      perJob.set(update.job, update);
      const mode = update.mode ?? (update.cron !== undefined ? 'cron' : undefined);
      if (mode === 'cron') timings.set(update.job, { kind: 'cron', expression: update.cron ?? '' });
      else if (
        mode === 'daily' ||
        update.hour !== undefined ||
        update.minute !== undefined ||
        update.interval_hours !== undefined
      ) {
        daily(update.job, {
          ...(update.hour !== undefined ? { hour: update.hour } : {}),
          ...(update.minute !== undefined ? { minute: update.minute } : {}),
          ...(update.interval_hours !== undefined ? { intervalHours: update.interval_hours } : {}),
        });
      }
    }
    for (const [job, timing] of timings) {
      const problem = timingProblem(timing) ?? this.cronProblem(timing);
      if (problem)
        throw new AppError('invalid_input', 'invalid_schedule', `${job}: ${problem}`, [
          { code: 'invalid_schedule', field: job, message: `${job}: ${problem}` },
        ]);
    }
    for (const job of JOB_KEYS) {
      const update = perJob.get(job);
      const timing = timings.get(job);
      if (!update && !timing) continue;
      await this.repo.saveSchedule(job, {
        ...(timing ? { timing } : {}),
        ...(update?.enabled !== undefined ? { enabled: update.enabled } : {}),
        ...(update?.retries !== undefined ? { retries: update.retries } : {}),
        ...(update?.retry_backoff_seconds !== undefined
          ? { retryBackoffSeconds: update.retry_backoff_seconds }
          : {}),
      });
    }
    await this.settings.save({
      ...(patch.enabled !== undefined ? { schedulerEnabled: patch.enabled } : {}),
      ...(patch.catch_up_missed !== undefined ? { catchUpMissed: patch.catch_up_missed } : {}),
      ...(patch.prometheus_catch_up_days !== undefined
        ? { prometheusCatchUpDays: patch.prometheus_catch_up_days }
        : {}),
      ...(patch.keep_runs_days !== undefined ? { keepRunsDays: patch.keep_runs_days } : {}),
    });
    return this.config();
  }

  async runs(filter: {
    job?: JobKey;
    status?: RunStatus;
    trigger?: RunTrigger;
    limit: number;
  }): Promise<JobRun[]> {
    return (await this.repo.listRuns(filter)).map(presentRun);
  }

  async run(id: number): Promise<JobRun> {
    const run = await this.repo.getRun(id);
    if (!run) throw new AppError('not_found', 'run_not_found', `no job run ${id}`);
    return presentRun(run);
  }

  /** Starts a job now; 409 while a run of the same job is in progress here or on another replica. */
  async runNow(job: JobKey, trigger: Extract<RunTrigger, 'manual' | 'cli'>): Promise<StartedRun> {
    const now = this.clock.now().toISOString();
    const busy = await this.repo.lockHolder(job, now);
    if (busy) throw this.busy(job, busy.runId);
    const run = (await this.repo.claimRun({
      job,
      trigger,
      scheduledFor: null,
      attempt: 1,
      instance: this.options.instance,
      startedAt: now,
    }))!;
    if (!(await this.repo.acquireLock(job, this.options.instance, run.id, now, this.leaseUntil()))) {
      const holder = await this.repo.lockHolder(job, now);
      await this.repo.finishRun(run.id, {
        status: 'skipped',
        finishedAt: now,
        summary: 'another run of this job started at the same moment',
        result: null,
        nextRetryAt: null,
      });
      throw this.busy(job, holder?.runId ?? null);
    }
    return { job, run, done: this.track(this.execute(run)) };
  }

  /** Cancels a run: at once when it runs in this process, through the database when it runs elsewhere. */
  async cancel(id: number): Promise<JobRun> {
    const run = await this.repo.getRun(id);
    if (!run) throw new AppError('not_found', 'run_not_found', `no job run ${id}`);
    if (run.status !== 'running')
      throw new AppError('conflict', 'run_not_running', `run ${id} is not running (${run.status})`);
    const requested = (await this.repo.requestCancel(id))!;
    this.local.get(id)?.abort();
    return presentRun(requested);
  }

  /**
   * One round: start the slots that came due (once across replicas), the retries that came due,
   * fail runs whose process died, prune old runs. `startup` applies the catch-up setting to slots
   * missed while nothing was running.
   */
  async tick(options: { startup?: boolean } = {}): Promise<TickOutcome> {
    const now = this.clock.now();
    const iso = now.toISOString();
    const s = await this.globals();
    const outcome: TickOutcome = { started: [], skipped: [] };
    await this.repo.failAbandoned(new Date(now.getTime() - this.options.leaseMs).toISOString(), iso);
    await this.repo.pruneRuns(new Date(now.getTime() - s.keepRunsDays * 86_400_000).toISOString());
    for (const failed of await this.repo.takeDueRetries(iso)) {
      const run = await this.repo.claimRun({
        job: failed.job,
        trigger: 'retry',
        scheduledFor: failed.scheduledFor,
        attempt: failed.attempt + 1,
        instance: this.options.instance,
        startedAt: iso,
      });
      if (run) await this.begin(run, outcome);
    }
    if (!s.schedulerEnabled) return outcome;
    for (const schedule of await this.repo.schedules()) {
      if (!schedule.enabled) continue;
      const slot = this.cron(schedule.timing, s.timezone).previousRuns(1, new Date(now.getTime() + 1))[0];
      if (!slot) continue;
      const slotIso = slot.toISOString();
      const seenBefore = this.slotsSeen.get(schedule.job);
      this.slotsSeen.set(schedule.job, slotIso);
      if (schedule.lastSlotAt === null) {
        // First sight of this schedule: nothing was missed yet.
        await this.repo.saveSchedule(schedule.job, { lastSlotAt: slotIso });
        continue;
      }
      if (slotIso <= schedule.lastSlotAt) {
        // A replica that ran its round first took this slot; say so once, as a lost claim would.
        if (seenBefore !== undefined && seenBefore < slotIso && slotIso === schedule.lastSlotAt) {
          outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'claimed by another instance' });
        }
        continue;
      }
      await this.repo.saveSchedule(schedule.job, { lastSlotAt: slotIso });
      const run = await this.repo.claimRun({
        job: schedule.job,
        trigger: 'schedule',
        scheduledFor: slotIso,
        attempt: 1,
        instance: this.options.instance,
        startedAt: iso,
      });
      if (!run) {
        outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'claimed by another instance' });
        continue;
      }
      if (options.startup && !s.catchUpMissed) {
        await this.repo.finishRun(run.id, {
          status: 'skipped',
          finishedAt: iso,
          summary: 'missed while no instance was running; catch-up is off',
          result: null,
          nextRetryAt: null,
        });
        outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'missed; catch-up is off' });
        continue;
      }
      await this.begin(run, outcome);
    }
    return outcome;
  }

  /** The timer: a round now (with catch-up), then every `everyMs`. */
  start(everyMs: number, onError: (error: unknown) => void): void {
    let startup = true;
    const round = () => {
      this.tick({ startup })
        .catch(onError)
        .finally(() => {
          startup = false;
          this.timer = setTimeout(round, everyMs);
          this.timer.unref();
        });
    };
    round();
  }

  /** Stops the timer, cancels the runs of this process and waits for them to record how they ended. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    for (const controller of this.local.values()) controller.abort();
    await this.running;
  }

  private async begin(run: JobRunRecord, outcome: TickOutcome): Promise<void> {
    const now = this.clock.now().toISOString();
    if (!(await this.repo.acquireLock(run.job, this.options.instance, run.id, now, this.leaseUntil()))) {
      const holder = await this.repo.lockHolder(run.job, now);
      const summary = `another run of this job (run ${holder?.runId ?? '?'}) was in progress`;
      await this.repo.finishRun(run.id, {
        status: 'skipped',
        finishedAt: now,
        summary,
        result: null,
        nextRetryAt: null,
      });
      outcome.skipped.push({ job: run.job, slot: run.scheduledFor ?? now, reason: summary });
      return;
    }
    outcome.started.push({ job: run.job, run, done: this.track(this.execute(run)) });
  }

  private async execute(run: JobRunRecord): Promise<JobRunRecord> {
    const controller = new AbortController();
    this.local.set(run.id, controller);
    const heartbeat = setInterval(() => {
      void this.repo
        .heartbeat(run.id, this.clock.now().toISOString())
        .then(({ cancelRequested }) => {
          if (cancelRequested) controller.abort();
          return this.repo.renewLock(run.job, this.options.instance, this.leaseUntil());
        })
        .catch(() => undefined);
    }, this.options.heartbeatMs);
    let outcome: JobOutcome | { status: 'cancelled'; summary: string; result: unknown };
    try {
      outcome = await this.catalog[run.job](controller.signal);
    } catch (error) {
      outcome = {
        status: 'failed',
        summary: error instanceof Error ? error.message : String(error),
        result: null,
      };
    } finally {
      clearInterval(heartbeat);
      this.local.delete(run.id);
    }
    if (controller.signal.aborted)
      outcome = { status: 'cancelled', summary: 'cancelled', result: outcome.result };
    const schedule = (await this.repo.schedules()).find((s) => s.job === run.job)!;
    const finished = this.clock.now();
    const retry =
      (outcome.status === 'failed' || outcome.status === 'partly-failed') && run.attempt <= schedule.retries;
    const nextRetryAt = retry
      ? new Date(
          finished.getTime() + schedule.retryBackoffSeconds * 1000 * 2 ** (run.attempt - 1),
        ).toISOString()
      : null;
    await this.repo.finishRun(run.id, {
      status: outcome.status,
      finishedAt: finished.toISOString(),
      summary: outcome.summary,
      result: outcome.result,
      nextRetryAt,
    });
    await this.repo.releaseLock(run.job, this.options.instance);
    return (await this.repo.getRun(run.id))!;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.running = Promise.allSettled([this.running, promise]);
    return promise;
  }

  private busy(job: JobKey, runId: number | null): AppError {
    return new AppError(
      'conflict',
      'job_running',
      `${job} is already running${runId === null ? '' : ` (run ${runId})`}; wait for it or cancel it`,
      [],
      {
        running_run_id: runId,
      },
    );
  }

  private leaseUntil(): string {
    return new Date(this.clock.now().getTime() + this.options.leaseMs).toISOString();
  }

  private cron(timing: Timing, timezone: string): Cron {
    return new Cron(cronOf(timing), { timezone, paused: true });
  }

  private cronProblem(timing: Timing): string | null {
    try {
      this.cron(timing, 'UTC');
      return null;
    } catch (error) {
      return `"${cronOf(timing)}" is not a cron expression (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  private async globals(): Promise<
    Pick<
      SettingsRecord,
      'schedulerEnabled' | 'catchUpMissed' | 'prometheusCatchUpDays' | 'keepRunsDays' | 'timezone'
    >
  > {
    const saved = await this.settings.get();
    return { ...SCHEDULER_DEFAULTS, timezone: this.defaultTimezone, ...saved };
  }

  /** The settings the Prometheus job needs. */
  async prometheusCatchUpDays(): Promise<number> {
    return (await this.globals()).prometheusCatchUpDays;
  }

  async lastSuccess(): Promise<Map<JobKey, string>> {
    return this.repo.lastSuccess();
  }
}
