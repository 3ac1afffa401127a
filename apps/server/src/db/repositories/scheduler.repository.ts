import type { Kysely, Selectable, Transaction } from 'kysely';
import type { JobKey, Timing } from '../../domain/schedule';
import type {
  Clock,
  JobRunRecord,
  NewRun,
  RunStatus,
  RunTrigger,
  SchedulePatch,
  ScheduleRecord,
  SchedulerRepository,
} from '../../ports';
import type { Database, JobRunsTable, SchedulesTable } from '../schema';

const toSchedule = (r: Selectable<SchedulesTable>): ScheduleRecord => ({
  job: r.job as JobKey,
  enabled: Boolean(r.enabled),
  timing:
    r.timing_kind === 'cron'
      ? { kind: 'cron', expression: r.cron ?? '' }
      : {
          kind: 'daily',
          hour: Number(r.hour),
          minute: Number(r.minute),
          intervalHours: Number(r.interval_hours),
        },
  retries: Number(r.retries),
  retryBackoffSeconds: Number(r.retry_backoff_seconds),
  lastSlotAt: r.last_slot_at,
  updatedAt: r.updated_at,
});

const toRun = (r: Selectable<JobRunsTable>): JobRunRecord => ({
  id: Number(r.id),
  job: r.job as JobKey,
  trigger: r.trigger as RunTrigger,
  scheduledFor: r.scheduled_for,
  attempt: Number(r.attempt),
  status: r.status as RunStatus,
  instance: r.instance,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  summary: r.summary,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  nextRetryAt: r.next_retry_at,
  cancelRequested: Boolean(r.cancel_requested),
});

function timingColumns(timing: Timing) {
  return timing.kind === 'cron'
    ? { timing_kind: 'cron', cron: timing.expression }
    : {
        timing_kind: 'daily',
        hour: timing.hour,
        minute: timing.minute,
        interval_hours: timing.intervalHours,
        cron: null,
      };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e.message ?? '')
  );
}

type Db = Kysely<Database> | Transaction<Database>;

export class KyselySchedulerRepository implements SchedulerRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async schedules(): Promise<ScheduleRecord[]> {
    return (await this.db.selectFrom('schedules').selectAll().orderBy('job').execute()).map(toSchedule);
  }

  async saveSchedules(changes: { job: JobKey; patch: SchedulePatch }[]): Promise<void> {
    const [only, ...more] = changes;
    if (!only) return;
    // One statement is atomic alone; several share a transaction.
    if (more.length === 0) return this.saveSchedule(this.db, only.job, only.patch);
    await this.db.transaction().execute(async (trx) => {
      for (const { job, patch } of changes) await this.saveSchedule(trx, job, patch);
    });
  }

  async claimRun(run: NewRun, skipped?: string): Promise<JobRunRecord | undefined> {
    try {
      return await this.insertRun(run, skipped);
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async claimSlot(
    run: NewRun & { scheduledFor: string },
    skipped?: string,
  ): Promise<JobRunRecord | undefined> {
    const claimed = await this.claimRun(run, skipped);
    // Only once the slot's run is recorded, and by every replica that gets here — the winner, or one
    // that found the run of a replica which died before this step. Never backwards.
    await this.db
      .updateTable('schedules')
      .set({ last_slot_at: run.scheduledFor, updated_at: this.clock.now().toISOString() })
      .where('job', '=', run.job)
      .where((eb) => eb.or([eb('last_slot_at', 'is', null), eb('last_slot_at', '<', run.scheduledFor)]))
      .execute();
    return claimed;
  }

  async slotRun(job: JobKey, slot: string): Promise<JobRunRecord | undefined> {
    const row = await this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', job)
      .where('scheduled_for', '=', slot)
      .where('attempt', '=', 1)
      .executeTakeFirst();
    return row && toRun(row);
  }

  private async saveSchedule(db: Db, job: JobKey, patch: SchedulePatch): Promise<void> {
    await db
      .updateTable('schedules')
      .set({
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(patch.timing !== undefined ? timingColumns(patch.timing) : {}),
        ...(patch.retries !== undefined ? { retries: patch.retries } : {}),
        ...(patch.retryBackoffSeconds !== undefined
          ? { retry_backoff_seconds: patch.retryBackoffSeconds }
          : {}),
        ...(patch.lastSlotAt !== undefined ? { last_slot_at: patch.lastSlotAt } : {}),
        updated_at: this.clock.now().toISOString(),
      })
      .where('job', '=', job)
      .execute();
  }

  private async insertRun(run: NewRun, skipped: string | undefined): Promise<JobRunRecord> {
    const row = await this.db
      .insertInto('job_runs')
      .values({
        job: run.job,
        trigger: run.trigger,
        scheduled_for: run.scheduledFor,
        attempt: run.attempt,
        status: skipped === undefined ? 'running' : 'skipped',
        instance: run.instance,
        started_at: run.startedAt,
        heartbeat_at: run.startedAt,
        finished_at: skipped === undefined ? null : run.startedAt,
        summary: skipped ?? 'running',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRun(row);
  }

  async acquireLock(
    job: JobKey,
    holder: string,
    runId: number,
    now: string,
    expiresAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('job_locks')
      .set({ holder, run_id: runId, expires_at: expiresAt })
      .where('job', '=', job)
      .where((eb) => eb.or([eb('holder', 'is', null), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async renewLock(job: JobKey, holder: string, expiresAt: string): Promise<void> {
    await this.db
      .updateTable('job_locks')
      .set({ expires_at: expiresAt })
      .where('job', '=', job)
      .where('holder', '=', holder)
      .execute();
  }

  async releaseLock(job: JobKey, holder: string): Promise<void> {
    await this.db
      .updateTable('job_locks')
      .set({ holder: null, run_id: null, expires_at: null })
      .where('job', '=', job)
      .where('holder', '=', holder)
      .execute();
  }

  async lockHolder(job: JobKey, now: string): Promise<{ holder: string; runId: number | null } | undefined> {
    const row = await this.db
      .selectFrom('job_locks')
      .selectAll()
      .where('job', '=', job)
      .where('holder', 'is not', null)
      .where('expires_at', '>=', now)
      .executeTakeFirst();
    return row?.holder
      ? { holder: row.holder, runId: row.run_id === null ? null : Number(row.run_id) }
      : undefined;
  }

  async finishRun(
    id: number,
    fields: {
      status: RunStatus;
      finishedAt: string;
      summary: string;
      result: unknown;
      nextRetryAt: string | null;
    },
  ): Promise<void> {
    await this.db
      .updateTable('job_runs')
      .set({
        status: fields.status,
        finished_at: fields.finishedAt,
        summary: fields.summary,
        result: fields.result === null ? null : JSON.stringify(fields.result),
        next_retry_at: fields.nextRetryAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async heartbeat(id: number, at: string): Promise<{ cancelRequested: boolean }> {
    const row = await this.db
      .updateTable('job_runs')
      .set({ heartbeat_at: at })
      .where('id', '=', id)
      .returning('cancel_requested')
      .executeTakeFirst();
    return { cancelRequested: Boolean(row?.cancel_requested) };
  }

  async requestCancel(id: number): Promise<JobRunRecord | undefined> {
    const row = await this.db
      .updateTable('job_runs')
      .set({ cancel_requested: 1 })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toRun(row);
  }

  async takeDueRetries(now: string): Promise<JobRunRecord[]> {
    const due = await this.db
      .selectFrom('job_runs')
      .select('id')
      .where('next_retry_at', 'is not', null)
      .where('next_retry_at', '<=', now)
      .execute();
    const taken: JobRunRecord[] = [];
    for (const { id } of due) {
      const row = await this.db
        .updateTable('job_runs')
        .set({ next_retry_at: null })
        .where('id', '=', id)
        .where('next_retry_at', 'is not', null)
        .returningAll()
        .executeTakeFirst();
      if (row) taken.push(toRun(row));
    }
    return taken;
  }

  async listRuns(filter: {
    job?: JobKey;
    status?: RunStatus;
    trigger?: RunTrigger;
    limit: number;
  }): Promise<JobRunRecord[]> {
    let query = this.db.selectFrom('job_runs').selectAll();
    if (filter.job) query = query.where('job', '=', filter.job);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.trigger) query = query.where('trigger', '=', filter.trigger);
    return (await query.orderBy('id', 'desc').limit(filter.limit).execute()).map(toRun);
  }

  async getRun(id: number): Promise<JobRunRecord | undefined> {
    const row = await this.db.selectFrom('job_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRun(row);
  }

  async lastSuccess(): Promise<Map<JobKey, string>> {
    const rows = await this.db
      .selectFrom('job_runs')
      .select((eb) => ['job', eb.fn.max('finished_at').as('at')])
      .where('status', '=', 'succeeded')
      .groupBy('job')
      .execute();
    return new Map(rows.filter((r) => r.at !== null).map((r) => [r.job as JobKey, String(r.at)]));
  }

  async lastRun(job: JobKey): Promise<JobRunRecord | undefined> {
    const row = await this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', job)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toRun(row);
  }

  async failAbandoned(
    staleBefore: string,
    now: string,
    nextRetryAt: (run: JobRunRecord) => string | null,
  ): Promise<JobRunRecord[]> {
    const stale = await this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', staleBefore)
      .execute();
    const failed: JobRunRecord[] = [];
    for (const row of stale) {
      // Conditional on still being stale: of two replicas looking at once, one fails (and retries) it.
      const updated = await this.db
        .updateTable('job_runs')
        .set({
          status: 'failed',
          finished_at: now,
          summary: 'the instance running it stopped (no heartbeat)',
          next_retry_at: nextRetryAt(toRun(row)),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'running')
        .where('heartbeat_at', '<', staleBefore)
        .returningAll()
        .executeTakeFirst();
      if (updated) failed.push(toRun(updated));
    }
    return failed;
  }

  async pruneRuns(finishedBefore: string): Promise<number> {
    // Each job's latest success stays: it is what "last success" and the metric report.
    const result = await this.db
      .deleteFrom('job_runs')
      .where('finished_at', '<', finishedBefore)
      .where('id', 'not in', (eb) =>
        eb
          .selectFrom('job_runs as s')
          .select((e) => e.fn.max('s.id').as('id'))
          .where('s.status', '=', 'succeeded')
          .groupBy('s.job'),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
