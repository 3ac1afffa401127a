import { Cron } from 'croner';
import type { JobRun, JobSchedule, SchedulerConfig, SchedulerConfigUpdate } from '@kra/contracts';
import { cronOf, fixedHourOf, JOB_KEYS, retryAt, timingProblem } from '../domain/schedule';
import type { JobKey, Timing } from '../domain/schedule';
import type {
  Clock,
  JobRunRecord,
  Logger,
  NewRun,
  RunStatus,
  RunTrigger,
  SchedulePatch,
  SchedulerRepository,
  SettingsRecord,
  SettingsRepository,
} from '../ports';
import { AppError } from './app-error';

export interface JobOutcome {
  /** `cancelled`: the job saw its signal fire and stopped before the end of its work. */
  status: Exclude<RunStatus, 'running'>;
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
  /** How often the timer runs a round. A slot younger than two rounds is due at start-up, not missed. */
  tickMs: number;
}

export interface StartedRun {
  job: JobKey;
  run: JobRunRecord;
  done: Promise<JobRunRecord>;
}

export interface TickOutcome {
  started: StartedRun[];
  /**
   * What this instance did not run: a slot another instance claimed, a slot missed with catch-up
   * off, a run the job's lease kept out, a retry dropped because the job or the scheduler is off.
   */
  skipped: { job: JobKey; slot: string; reason: string }[];
  /** Runs whose instance stopped renewing them, now failed (and given a retry when one is left). */
  abandoned: JobRunRecord[];
}

const SCHEDULER_DEFAULTS = {
  schedulerEnabled: true,
  catchUpMissed: true,
  prometheusCatchUpDays: 7,
  keepRunsDays: 30,
};

/** A start-up slot older than this many rounds was missed while no instance ran; a younger one is simply due. */
const MISSED_AFTER_ROUNDS = 2;

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
 *
 * Only slots after a job's last slot fire. Whenever what decides the slots changes — a job's
 * timing, a job or the whole scheduler switched on, the time zone — the last slot moves to the
 * latest one at that moment, so a time that has already passed never runs at once; slots missed
 * while the scheduler was on but no instance ran are the only ones caught up.
 */
export class SchedulerService {
  private readonly local = new Map<number, { run: JobRunRecord; controller: AbortController }>();
  /** The last slot of each job this instance looked at, so a slot another replica took is reported once. */
  private readonly slotsSeen = new Map<JobKey, string>();
  private readonly rounds = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

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
      const timing = byJob.get(job);
      return timing ? fixedHourOf(timing) : null;
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
   * interval_hours to all three); `jobs` sets one job, a cron expression included. A job in cron
   * mode turns daily only with an hour: midnight is nobody's silent default.
   */
  async updateConfig(patch: SchedulerConfigUpdate): Promise<SchedulerConfig> {
    const schedules = new Map((await this.repo.schedules()).map((s) => [s.job, s]));
    const perJob = new Map((patch.jobs ?? []).map((update) => [update.job, update]));
    const seedHour: Record<JobKey, number | undefined> = {
      'namespace-quota-sync': patch.namespace_quota_hour,
      'project-quota-sync': patch.namespace_quota_hour,
      'prometheus-sync': patch.prometheus_sync_hour,
    };
    const timings = new Map<JobKey, Timing>();
    for (const job of JOB_KEYS) {
      // A job's own fields win over the seed's, which name several jobs at once.
      const update = perJob.get(job);
      const mode = update?.mode ?? (update?.cron !== undefined ? 'cron' : undefined);
      if (mode === 'cron') {
        timings.set(job, { kind: 'cron', expression: update?.cron ?? '' });
        continue;
      }
      const hour = update?.hour ?? seedHour[job];
      const minute = update?.minute;
      const intervalHours = update?.interval_hours ?? patch.interval_hours;
      if (mode !== 'daily' && hour === undefined && minute === undefined && intervalHours === undefined)
        continue;
      const current = schedules.get(job)!.timing;
      if (current.kind === 'cron' && hour === undefined) {
        throw invalidSchedule(
          job,
          `it runs on the cron expression "${current.expression}"; give an hour to switch it to a daily time`,
        );
      }
      // Switched from cron (with its hour, checked above): on the hour, once a day, unless told.
      const previous: Timing =
        current.kind === 'daily' ? current : { kind: 'daily', hour: 0, minute: 0, intervalHours: 24 };
      timings.set(job, {
        ...previous,
        ...(hour !== undefined ? { hour } : {}),
        ...(minute !== undefined ? { minute } : {}),
        ...(intervalHours !== undefined ? { intervalHours } : {}),
      });
    }
    for (const [job, timing] of timings) {
      const problem = timingProblem(timing) ?? this.cronProblem(timing);
      if (problem) throw invalidSchedule(job, problem);
    }
    const s = await this.globals();
    const now = this.clock.now();
    const schedulerTurnedOn = patch.enabled === true && !s.schedulerEnabled;
    const changes: { job: JobKey; patch: SchedulePatch }[] = [];
    for (const job of JOB_KEYS) {
      const before = schedules.get(job)!;
      const update = perJob.get(job);
      const timing = timings.get(job);
      const change: SchedulePatch = {
        ...(timing ? { timing } : {}),
        ...(update?.enabled !== undefined ? { enabled: update.enabled } : {}),
        ...(update?.retries !== undefined ? { retries: update.retries } : {}),
        ...(update?.retry_backoff_seconds !== undefined
          ? { retryBackoffSeconds: update.retry_backoff_seconds }
          : {}),
      };
      const turnedOn = change.enabled === true && !before.enabled;
      const retimed = timing !== undefined && cronOf(timing) !== cronOf(before.timing);
      if (schedulerTurnedOn || turnedOn || retimed)
        change.lastSlotAt = this.latestSlotOrNow(timing ?? before.timing, s.timezone, now);
      if (Object.keys(change).length > 0) changes.push({ job, patch: change });
    }
    await this.repo.saveSchedules(changes);
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
    if (this.stopped)
      throw new AppError(
        'conflict',
        'instance_stopping',
        `${job}: this instance is shutting down; run it again once it is back, or on another instance`,
      );
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
    this.local.get(id)?.controller.abort();
    return presentRun(requested);
  }

  /**
   * One round: fail runs whose process died (retrying them like any failure), prune old runs,
   * start the retries that came due and the slots that came due (once across replicas). `startup`
   * applies the catch-up setting to slots missed while nothing was running.
   */
  async tick(options: { startup?: boolean } = {}): Promise<TickOutcome> {
    const round = this.round(options.startup === true);
    this.rounds.add(round);
    try {
      return await round;
    } finally {
      this.rounds.delete(round);
    }
  }

  /** Waits until every run this process started has recorded how it ended. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One heartbeat of every run in this process (what its timer does): renews leases, sees cancel requests. */
  async heartbeat(): Promise<void> {
    await Promise.all([...this.local.values()].map((entry) => this.beat(entry)));
  }

  /**
   * The timer: a round now (applying catch-up), then one every `tickMs`; each round tells `log`
   * what it started, skipped and failed, and each run it started how it ended. Resolves once the
   * first round is done.
   */
  async start(log: Logger): Promise<void> {
    const round = async (startup: boolean) => {
      try {
        for (const logged of report(await this.tick({ startup }), log)) this.track(logged);
      } catch (error) {
        log.error({ err: error }, 'scheduler round failed');
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void round(false), this.options.tickMs);
      this.timer.unref();
    };
    await round(true);
  }

  /**
   * Stops the timer and starts no more runs; waits for the round in progress, cancels the runs of
   * this process and waits for them to record how they ended.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.rounds]);
    for (const { controller } of this.local.values()) controller.abort();
    await this.running;
  }

  private async round(startup: boolean): Promise<TickOutcome> {
    const outcome: TickOutcome = { started: [], skipped: [], abandoned: [] };
    if (this.stopped) return outcome;
    const now = this.clock.now();
    const iso = now.toISOString();
    const s = await this.globals();
    let schedules = await this.repo.schedules();
    const scheduleOf = (job: JobKey) => schedules.find((x) => x.job === job)!;
    outcome.abandoned = await this.repo.failAbandoned(
      new Date(now.getTime() - this.options.leaseMs).toISOString(),
      iso,
      (run) => (run.cancelRequested ? null : retryAt(now, run.attempt, scheduleOf(run.job))),
    );
    await this.repo.pruneRuns(new Date(now.getTime() - s.keepRunsDays * 86_400_000).toISOString());
    if (this.stopped) return outcome;
    for (const failed of await this.repo.takeDueRetries(iso)) {
      const retry: NewRun = {
        job: failed.job,
        trigger: 'retry',
        scheduledFor: failed.scheduledFor,
        attempt: failed.attempt + 1,
        instance: this.options.instance,
        startedAt: iso,
      };
      const off = !s.schedulerEnabled
        ? 'the scheduler is off'
        : !scheduleOf(failed.job).enabled
          ? 'the job is disabled'
          : null;
      if (off) {
        const reason = `retry of run ${failed.id} dropped: ${off}`;
        await this.repo.claimRun(retry, reason);
        outcome.skipped.push({ job: failed.job, slot: failed.scheduledFor ?? iso, reason });
        continue;
      }
      const run = await this.repo.claimRun(retry);
      if (run) await this.begin(run, outcome);
    }
    if (!s.schedulerEnabled) return outcome;
    if (s.slotsTimezone !== s.timezone) {
      // Slots reckoned in another zone say nothing about which of this zone's have passed.
      if (s.slotsTimezone !== undefined) {
        await this.repo.saveSchedules(
          schedules.map((schedule) => ({
            job: schedule.job,
            patch: { lastSlotAt: this.latestSlotOrNow(schedule.timing, s.timezone, now) },
          })),
        );
        schedules = await this.repo.schedules();
      }
      await this.settings.save({ slotsTimezone: s.timezone });
    }
    for (const schedule of schedules) {
      if (this.stopped) break;
      if (!schedule.enabled) continue;
      const slotIso = this.latestSlot(schedule.timing, s.timezone, now);
      if (slotIso === null) continue;
      const seenBefore = this.slotsSeen.get(schedule.job);
      this.slotsSeen.set(schedule.job, slotIso);
      if (schedule.lastSlotAt === null) {
        // First sight of this schedule: nothing was missed yet.
        await this.repo.saveSchedules([{ job: schedule.job, patch: { lastSlotAt: slotIso } }]);
        continue;
      }
      if (slotIso <= schedule.lastSlotAt) {
        // A replica that ran its round first took this slot; say so once, as a lost claim would.
        if (seenBefore !== undefined && seenBefore < slotIso && slotIso === schedule.lastSlotAt) {
          const claimed = await this.repo.slotRun(schedule.job, slotIso);
          if (claimed && claimed.instance !== this.options.instance)
            outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'claimed by another instance' });
        }
        continue;
      }
      const missed =
        startup &&
        !s.catchUpMissed &&
        now.getTime() - Date.parse(slotIso) > MISSED_AFTER_ROUNDS * this.options.tickMs;
      const run = await this.repo.claimSlot(
        {
          job: schedule.job,
          trigger: 'schedule',
          scheduledFor: slotIso,
          attempt: 1,
          instance: this.options.instance,
          startedAt: iso,
        },
        missed ? 'missed while no instance was running; catch-up is off' : undefined,
      );
      if (!run) {
        outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'claimed by another instance' });
        continue;
      }
      if (missed) {
        outcome.skipped.push({ job: schedule.job, slot: slotIso, reason: 'missed; catch-up is off' });
        continue;
      }
      await this.begin(run, outcome);
    }
    return outcome;
  }

  private async begin(run: JobRunRecord, outcome: TickOutcome): Promise<void> {
    const now = this.clock.now().toISOString();
    const skip = async (summary: string) => {
      await this.repo.finishRun(run.id, {
        status: 'skipped',
        finishedAt: now,
        summary,
        result: null,
        nextRetryAt: null,
      });
      outcome.skipped.push({ job: run.job, slot: run.scheduledFor ?? now, reason: summary });
    };
    if (this.stopped) return skip('this instance was shutting down when the run came due');
    if (!(await this.repo.acquireLock(run.job, this.options.instance, run.id, now, this.leaseUntil()))) {
      const holder = await this.repo.lockHolder(run.job, now);
      return skip(`another run of this job (run ${holder?.runId ?? '?'}) was in progress`);
    }
    outcome.started.push({ job: run.job, run, done: this.track(this.execute(run)) });
  }

  private async execute(run: JobRunRecord): Promise<JobRunRecord> {
    const entry = { run, controller: new AbortController() };
    const { signal } = entry.controller;
    this.local.set(run.id, entry);
    const heartbeat = setInterval(
      () => void this.beat(entry).catch(() => undefined),
      this.options.heartbeatMs,
    );
    let outcome: JobOutcome;
    try {
      outcome = await this.catalog[run.job](signal);
    } catch (error) {
      outcome = signal.aborted
        ? { status: 'cancelled', summary: 'cancelled', result: null }
        : { status: 'failed', summary: error instanceof Error ? error.message : String(error), result: null };
    } finally {
      clearInterval(heartbeat);
      this.local.delete(run.id);
    }
    // A job that failed while cancelled failed of the cancel; one that finished (or found nothing
    // to do) before looking at its signal keeps its outcome: its work is done, whatever came late.
    if (signal.aborted && (outcome.status === 'failed' || outcome.status === 'partly-failed'))
      outcome = { status: 'cancelled', summary: 'cancelled', result: outcome.result };
    const schedule = (await this.repo.schedules()).find((s) => s.job === run.job)!;
    const finished = this.clock.now();
    const retry = outcome.status === 'failed' || outcome.status === 'partly-failed';
    await this.repo.finishRun(run.id, {
      status: outcome.status,
      finishedAt: finished.toISOString(),
      summary: outcome.summary,
      result: outcome.result,
      nextRetryAt: retry ? retryAt(finished, run.attempt, schedule) : null,
    });
    await this.repo.releaseLock(run.job, this.options.instance);
    return (await this.repo.getRun(run.id))!;
  }

  private async beat({ run, controller }: { run: JobRunRecord; controller: AbortController }): Promise<void> {
    const { cancelRequested } = await this.repo.heartbeat(run.id, this.clock.now().toISOString());
    if (cancelRequested) controller.abort();
    await this.repo.renewLock(run.job, this.options.instance, this.leaseUntil());
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

  /** The latest slot at or before `now`, or null when the timing has none (yet). */
  private latestSlot(timing: Timing, timezone: string, now: Date): string | null {
    return (
      this.cron(timing, timezone)
        .previousRuns(1, new Date(now.getTime() + 1))[0]
        ?.toISOString() ?? null
    );
  }

  /** A job's last slot when what decides its slots changes: only slots after `now` may fire. */
  private latestSlotOrNow(timing: Timing, timezone: string, now: Date): string {
    return this.latestSlot(timing, timezone, now) ?? now.toISOString();
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
    > &
      Partial<Pick<SettingsRecord, 'slotsTimezone'>>
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

function invalidSchedule(job: JobKey, problem: string): AppError {
  return new AppError('invalid_input', 'invalid_schedule', `${job}: ${problem}`, [
    { code: 'invalid_schedule', field: job, message: `${job}: ${problem}` },
  ]);
}

const UNSUCCESSFUL: RunStatus[] = ['failed', 'partly-failed', 'cancelled'];

/**
 * What a timer round did, on the log: runs failed as abandoned, runs started, slots skipped; and,
 * once each started run ends (the promises returned), how it ended.
 */
function report(outcome: TickOutcome, log: Logger): Promise<void>[] {
  for (const run of outcome.abandoned) {
    log.warn(
      { job: run.job, run_id: run.id, next_retry_at: run.nextRetryAt },
      'job run failed: the instance running it stopped',
    );
  }
  const ended = outcome.started.map(({ job, run, done }) => {
    log.info(
      { job, run_id: run.id, trigger: run.trigger, slot: run.scheduledFor, attempt: run.attempt },
      'job run started',
    );
    return done.then(
      (finished) =>
        log[UNSUCCESSFUL.includes(finished.status) ? 'warn' : 'info'](
          { job, run_id: finished.id, status: finished.status, summary: finished.summary },
          'job run ended',
        ),
      (error: unknown) => log.error({ err: error, job, run_id: run.id }, 'job run could not be recorded'),
    );
  });
  for (const { job, slot, reason } of outcome.skipped) log.info({ job, slot, reason }, 'job slot skipped');
  return ended;
}
