import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselySchedulerRepository } from '../../src/db/repositories/scheduler.repository';
import { KyselySettingsRepository } from '../../src/db/repositories/settings.repository';
import { JOB_KEYS } from '../../src/domain/schedule';
import type { JobKey } from '../../src/domain/schedule';
import type { Logger, NewRun } from '../../src/ports';
import type { JobCatalog, JobOutcome } from '../../src/services/scheduler.service';
import { SchedulerService } from '../../src/services/scheduler.service';
import { createTestRuntime, testDialects } from '../helpers/test-runtime';
import type { FixedClock, TestRuntime } from '../helpers/test-runtime';

const ok: JobOutcome = { status: 'succeeded', summary: 'done', result: null };
const at = (iso: string) => new Date(iso);

/** Jobs the test controls: each call is recorded, and answers what the test set (default: success). */
class FakeJobs {
  readonly calls: { job: JobKey; at: string }[] = [];
  readonly behaviour = new Map<JobKey, (signal: AbortSignal) => Promise<JobOutcome>>();
  constructor(private readonly clock: FixedClock) {}
  get catalog(): JobCatalog {
    return Object.fromEntries(
      JOB_KEYS.map((job) => [
        job,
        async (signal: AbortSignal) => {
          this.calls.push({ job, at: this.clock.now().toISOString() });
          return (this.behaviour.get(job) ?? (async () => ok))(signal);
        },
      ]),
    ) as JobCatalog;
  }
}

/** What a logger was told, in order. */
class MemoryLog implements Logger {
  readonly entries: [level: string, message: string, fields: object][] = [];
  info(fields: object, message: string) {
    this.entries.push(['info', message, fields]);
  }
  warn(fields: object, message: string) {
    this.entries.push(['warn', message, fields]);
  }
  error(fields: object, message: string) {
    this.entries.push(['error', message, fields]);
  }
}

/** Rounds every 30 s; heartbeats only when a test calls them (the hour-long timer never fires here). */
const OPTIONS = { leaseMs: 120_000, heartbeatMs: 3_600_000, tickMs: 30_000 };

function schedulerOn(
  rt: TestRuntime,
  jobs: FakeJobs,
  instance: string,
  repo = new KyselySchedulerRepository(rt.database.db, rt.clock),
) {
  return new SchedulerService(
    repo,
    new KyselySettingsRepository(rt.database.db),
    'America/New_York',
    jobs.catalog,
    rt.clock,
    { instance, ...OPTIONS },
  );
}

/** One job on a daily time, the others off. */
async function only(scheduler: SchedulerService, job: JobKey, hour: number, minute: number) {
  await scheduler.updateConfig({
    jobs: JOB_KEYS.map((j) =>
      j === job
        ? { job: j, enabled: true, mode: 'daily' as const, hour, minute, interval_hours: 24 }
        : { job: j, enabled: false },
    ),
  });
}

async function finished(outcome: Awaited<ReturnType<SchedulerService['tick']>>) {
  return Promise.all(outcome.started.map((s) => s.done));
}

describe.each(testDialects())('scheduler on %s', (dialect) => {
  let rt: TestRuntime;
  let jobs: FakeJobs;
  let scheduler: SchedulerService;
  beforeEach(async () => {
    rt = await createTestRuntime(dialect);
    jobs = new FakeJobs(rt.clock);
    scheduler = schedulerOn(rt, jobs, 'instance-a');
  });
  afterEach(async () => {
    await scheduler.stop();
    await rt.dispose();
  });

  const scheduledRuns = async (job: JobKey) =>
    (await scheduler.runs({ job, limit: 100 }))
      .map((r) => [r.scheduled_for, r.attempt, r.trigger, r.status])
      .reverse();
  const lastSlotOf = async (job: JobKey) =>
    (await new KyselySchedulerRepository(rt.database.db, rt.clock).schedules()).find((s) => s.job === job)!
      .lastSlotAt;
  const alwaysFailing = async (): Promise<JobOutcome> => ({
    status: 'failed',
    summary: 'Prometheus down',
    result: null,
  });

  it('fires at 02:30 local time, at 03:00 on the spring-forward day that has no 02:30', async () => {
    rt.clock.set(at('2026-03-07T12:00:00Z'));
    await only(scheduler, 'prometheus-sync', 2, 30);
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-03-08T06:59:00Z')); // 01:59 EST
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-03-08T07:00:00Z')); // 03:00 EDT: 02:30 was skipped by the clocks
    await finished(await scheduler.tick());
    rt.clock.set(at('2026-03-08T07:05:00Z'));
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-03-09T06:30:00Z')); // 02:30 EDT
    await finished(await scheduler.tick());
    expect(await scheduledRuns('prometheus-sync')).toEqual([
      ['2026-03-08T07:00:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-03-09T06:30:00.000Z', 1, 'schedule', 'succeeded'],
    ]);
    expect((await scheduler.config()).jobs.find((j) => j.job === 'prometheus-sync')!.next_runs).toEqual([
      '2026-03-10T06:30:00.000Z',
      '2026-03-11T06:30:00.000Z',
      '2026-03-12T06:30:00.000Z',
    ]);
  });

  it('fires once at 01:30 on the fall-back day that has it twice', async () => {
    rt.clock.set(at('2026-10-31T12:00:00Z'));
    await only(scheduler, 'namespace-quota-sync', 1, 30);
    await scheduler.tick();
    for (const instant of ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z']) {
      rt.clock.set(at(instant));
      await finished(await scheduler.tick());
    }
    // 05:30Z is the first 01:30 (EDT); at 06:30Z the clocks show 01:30 again (EST): no second run
    expect(await scheduledRuns('namespace-quota-sync')).toEqual([
      ['2026-11-01T05:30:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-11-02T06:30:00.000Z', 1, 'schedule', 'succeeded'],
    ]);
  });

  it.each([
    [
      'the job',
      { jobs: [{ job: 'prometheus-sync' as const, enabled: false }] },
      { jobs: [{ job: 'prometheus-sync' as const, enabled: true }] },
    ],
    ['the scheduler', { enabled: false }, { enabled: true }],
  ])('does not run a slot that passed while %s was off when it is switched back on', async (_, off, on) => {
    rt.clock.set(at('2026-11-20T06:00:00Z')); // 01:00 EST
    await only(scheduler, 'prometheus-sync', 3, 0);
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T07:00:00Z'));
    await scheduler.updateConfig(off);
    rt.clock.set(at('2026-11-20T08:00:00Z')); // 03:00 EST passes while off
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-11-20T13:00:00Z')); // back on five hours later
    await scheduler.updateConfig(on);
    rt.clock.set(at('2026-11-20T13:00:30Z'));
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-11-21T08:00:00Z'));
    await finished(await scheduler.tick());
    expect(await scheduledRuns('prometheus-sync')).toEqual([
      ['2026-11-21T08:00:00.000Z', 1, 'schedule', 'succeeded'],
    ]);
  });

  it('runs a rescheduled job at its next new time, never at once for a time already past today', async () => {
    rt.clock.set(at('2026-11-20T06:00:00Z'));
    await only(scheduler, 'namespace-quota-sync', 2, 0);
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T07:00:00Z')); // 02:00 EST
    await finished(await scheduler.tick());
    rt.clock.set(at('2026-11-20T17:00:00Z')); // 12:00 EST: 02:00 → 10:00, which passed two hours ago
    await scheduler.updateConfig({ jobs: [{ job: 'namespace-quota-sync', hour: 10 }] });
    rt.clock.set(at('2026-11-20T17:00:30Z'));
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-11-20T17:30:00Z')); // 12:30 EST: 10:00 → 14:00, still ahead today
    await scheduler.updateConfig({ jobs: [{ job: 'namespace-quota-sync', hour: 14 }] });
    rt.clock.set(at('2026-11-20T19:00:00Z'));
    await finished(await scheduler.tick());
    // the next day, the same schedule saved again (as the page does) between 14:00 and the round
    rt.clock.set(at('2026-11-21T19:00:10Z'));
    await scheduler.updateConfig({
      jobs: [
        {
          job: 'namespace-quota-sync',
          enabled: true,
          mode: 'daily',
          hour: 14,
          minute: 0,
          interval_hours: 24,
          retries: 3,
        },
      ],
    });
    rt.clock.set(at('2026-11-21T19:00:20Z'));
    await finished(await scheduler.tick());
    expect(await scheduledRuns('namespace-quota-sync')).toEqual([
      ['2026-11-20T07:00:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-11-20T19:00:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-11-21T19:00:00.000Z', 1, 'schedule', 'succeeded'],
    ]);
  });

  it('does not run a slot the new time zone has passed when the zone changes', async () => {
    const settings = new KyselySettingsRepository(rt.database.db);
    await settings.save({ timezone: 'Asia/Shanghai' });
    rt.clock.set(at('2026-11-19T17:00:00Z')); // 01:00 on the 20th in Shanghai
    await only(scheduler, 'namespace-quota-sync', 2, 0);
    await scheduler.tick();
    rt.clock.set(at('2026-11-19T18:00:00Z')); // 02:00 in Shanghai
    await finished(await scheduler.tick());
    rt.clock.set(at('2026-11-20T12:00:00Z')); // 07:00 in New York, whose 02:00 (07:00Z) passed today
    await settings.save({ timezone: 'America/New_York' });
    expect((await scheduler.tick()).started).toEqual([]);
    expect(await lastSlotOf('namespace-quota-sync')).toBe('2026-11-20T07:00:00.000Z');
    rt.clock.set(at('2026-11-21T07:00:00Z')); // 02:00 EST
    await finished(await scheduler.tick());
    expect(await scheduledRuns('namespace-quota-sync')).toEqual([
      ['2026-11-19T18:00:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-11-21T07:00:00.000Z', 1, 'schedule', 'succeeded'],
    ]);
  });

  it('never runs a job twice at once: a manual run meeting another, or a scheduled slot', async () => {
    await only(scheduler, 'project-quota-sync', 2, 0);
    let release!: () => void;
    jobs.behaviour.set(
      'project-quota-sync',
      () => new Promise<JobOutcome>((resolve) => (release = () => resolve(ok))),
    );
    rt.clock.set(at('2026-11-20T06:00:00Z'));
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T06:59:30Z'));
    const manual = await scheduler.runNow('project-quota-sync', 'manual');
    await expect(scheduler.runNow('project-quota-sync', 'cli')).rejects.toThrow(
      `project-quota-sync is already running (run ${manual.run.id}); wait for it or cancel it`,
    );
    rt.clock.set(at('2026-11-20T07:00:00Z')); // 02:00 EST comes due 30 s into the manual run
    const tick = await scheduler.tick();
    expect(tick.started).toEqual([]);
    expect(tick.skipped).toEqual([
      {
        job: 'project-quota-sync',
        slot: '2026-11-20T07:00:00.000Z',
        reason: `another run of this job (run ${manual.run.id}) was in progress`,
      },
    ]);
    release();
    expect((await manual.done).status).toBe('succeeded');
    expect(jobs.calls).toHaveLength(1);
    expect(
      (await scheduler.runs({ job: 'project-quota-sync', limit: 10 })).map((r) => [r.trigger, r.status]),
    ).toEqual([
      ['schedule', 'skipped'],
      ['manual', 'succeeded'],
    ]);
  });

  it('runs a slot once when two instances share the database; the other reports it skipped', async () => {
    const second = await createTestRuntime(dialect, { shareWith: rt });
    const otherJobs = new FakeJobs(second.clock);
    const other = schedulerOn(second, otherJobs, 'instance-b');
    try {
      await only(scheduler, 'prometheus-sync', 3, 0);
      rt.clock.set(at('2026-11-20T06:00:00Z'));
      second.clock.set(at('2026-11-20T06:00:00Z'));
      await scheduler.tick();
      await other.tick();
      rt.clock.set(at('2026-11-20T08:00:00Z')); // 03:00 EST
      second.clock.set(at('2026-11-20T08:00:00Z'));
      const [a, b] = await Promise.all([scheduler.tick(), other.tick()]);
      await Promise.all([finished(a), finished(b)]);
      expect(a.started.length + b.started.length).toBe(1);
      expect([...a.skipped, ...b.skipped]).toEqual([
        { job: 'prometheus-sync', slot: '2026-11-20T08:00:00.000Z', reason: 'claimed by another instance' },
      ]);
      expect(jobs.calls.length + otherJobs.calls.length).toBe(1);
      expect(await scheduledRuns('prometheus-sync')).toEqual([
        ['2026-11-20T08:00:00.000Z', 1, 'schedule', 'succeeded'],
      ]);

      // The next day one instance finishes its whole round before the other looks.
      rt.clock.set(at('2026-11-21T08:00:00Z'));
      second.clock.set(at('2026-11-21T08:00:00Z'));
      const first = await scheduler.tick();
      await finished(first);
      const late = await other.tick();
      expect([first.started.length, first.skipped]).toEqual([1, []]);
      expect([late.started, late.skipped]).toEqual([
        [],
        [{ job: 'prometheus-sync', slot: '2026-11-21T08:00:00.000Z', reason: 'claimed by another instance' }],
      ]);
      expect((await other.tick()).skipped).toEqual([]);
      expect(jobs.calls.length + otherJobs.calls.length).toBe(2);
    } finally {
      await other.stop();
      await second.dispose();
    }
  });

  it("logs what the timer's rounds did: runs started and how they ended, a slot another instance took", async () => {
    const second = await createTestRuntime(dialect, { shareWith: rt });
    const other = schedulerOn(second, new FakeJobs(second.clock), 'instance-b');
    const [log, otherLog] = [new MemoryLog(), new MemoryLog()];
    try {
      rt.clock.set(at('2026-11-20T06:00:00Z'));
      second.clock.set(at('2026-11-20T06:00:00Z'));
      await only(scheduler, 'prometheus-sync', 3, 0);
      await other.tick();
      rt.clock.set(at('2026-11-20T08:00:00Z'));
      second.clock.set(at('2026-11-20T08:00:00Z'));
      await scheduler.start(log); // its first round claims 03:00 EST
      await scheduler.idle();
      await other.start(otherLog);
      const [run] = await scheduler.runs({ job: 'prometheus-sync', limit: 1 });
      expect(log.entries).toEqual([
        [
          'info',
          'job run started',
          {
            job: 'prometheus-sync',
            run_id: run!.id,
            trigger: 'schedule',
            slot: '2026-11-20T08:00:00.000Z',
            attempt: 1,
          },
        ],
        [
          'info',
          'job run ended',
          { job: 'prometheus-sync', run_id: run!.id, status: 'succeeded', summary: 'done' },
        ],
      ]);
      expect(otherLog.entries).toEqual([
        [
          'info',
          'job slot skipped',
          { job: 'prometheus-sync', slot: '2026-11-20T08:00:00.000Z', reason: 'claimed by another instance' },
        ],
      ]);
    } finally {
      await other.stop();
      await second.dispose();
    }
  });

  it('runs a missed slot once at start-up, or records it as skipped when catch-up is off', async () => {
    await only(scheduler, 'namespace-quota-sync', 2, 0);
    rt.clock.set(at('2026-11-18T12:00:00Z'));
    await scheduler.tick();
    // down from the 18th to the 21st: the slots of the 19th, 20th and 21st passed
    rt.clock.set(at('2026-11-21T12:00:00Z'));
    await finished(await scheduler.tick({ startup: true }));
    expect(await scheduledRuns('namespace-quota-sync')).toEqual([
      ['2026-11-21T07:00:00.000Z', 1, 'schedule', 'succeeded'],
    ]);

    await scheduler.updateConfig({ catch_up_missed: false });
    rt.clock.set(at('2026-11-23T12:00:00Z'));
    const outcome = await scheduler.tick({ startup: true });
    expect(outcome.started).toEqual([]);
    expect(await scheduledRuns('namespace-quota-sync')).toEqual([
      ['2026-11-21T07:00:00.000Z', 1, 'schedule', 'succeeded'],
      ['2026-11-23T07:00:00.000Z', 1, 'schedule', 'skipped'],
    ]);
    expect((await scheduler.runs({ job: 'namespace-quota-sync', limit: 1 }))[0]!.summary).toBe(
      'missed while no instance was running; catch-up is off',
    );
    expect(jobs.calls).toHaveLength(1);
  });

  it('with catch-up off, runs a slot that is due as an instance starts; one two rounds old was missed', async () => {
    rt.clock.set(at('2026-11-20T12:00:00Z'));
    await scheduler.updateConfig({ catch_up_missed: false });
    await only(scheduler, 'prometheus-sync', 10, 0);
    await scheduler.tick();
    // a rolling restart: the new process's first round comes 5 s after 10:00 EST
    const restarted = schedulerOn(rt, jobs, 'instance-a2');
    const later = schedulerOn(rt, jobs, 'instance-a3');
    try {
      rt.clock.set(at('2026-11-20T15:00:05Z'));
      const due = await restarted.tick({ startup: true });
      await finished(due);
      expect(due.started.map((s) => s.run.scheduledFor)).toEqual(['2026-11-20T15:00:00.000Z']);
      // the next day it comes back 61 s after 10:00, more than two 30-s rounds
      rt.clock.set(at('2026-11-21T15:01:01Z'));
      const late = await later.tick({ startup: true });
      expect([late.started, late.skipped]).toEqual([
        [],
        [{ job: 'prometheus-sync', slot: '2026-11-21T15:00:00.000Z', reason: 'missed; catch-up is off' }],
      ]);
      expect(await scheduledRuns('prometheus-sync')).toEqual([
        ['2026-11-20T15:00:00.000Z', 1, 'schedule', 'succeeded'],
        ['2026-11-21T15:00:00.000Z', 1, 'schedule', 'skipped'],
      ]);
    } finally {
      await restarted.stop();
      await later.stop();
    }
  });

  it('moves a job past a slot only once its run is recorded, forward only', async () => {
    const repo = new KyselySchedulerRepository(rt.database.db, rt.clock);
    const slotRun = (scheduledFor: string, instance: string): NewRun & { scheduledFor: string } => ({
      job: 'prometheus-sync',
      trigger: 'schedule',
      scheduledFor,
      attempt: 1,
      instance,
      startedAt: scheduledFor,
    });
    expect(await repo.claimSlot(slotRun('2026-11-20T08:00:00.000Z', 'instance-a'))).toMatchObject({
      scheduledFor: '2026-11-20T08:00:00.000Z',
      status: 'running',
    });
    expect(await lastSlotOf('prometheus-sync')).toBe('2026-11-20T08:00:00.000Z');
    // a replica recorded the next slot's run and died before moving the job past it: the next claim does
    await repo.claimRun(slotRun('2026-11-21T08:00:00.000Z', 'instance-b'));
    expect(await lastSlotOf('prometheus-sync')).toBe('2026-11-20T08:00:00.000Z');
    expect(await repo.claimSlot(slotRun('2026-11-21T08:00:00.000Z', 'instance-a'))).toBeUndefined();
    expect(await lastSlotOf('prometheus-sync')).toBe('2026-11-21T08:00:00.000Z');
    expect(await repo.claimSlot(slotRun('2026-11-19T08:00:00.000Z', 'instance-a'))).toMatchObject({
      status: 'running',
    });
    expect(await lastSlotOf('prometheus-sync')).toBe('2026-11-21T08:00:00.000Z');
  });

  it('keeps a slot whose claim failed for the next round, and logs the failed round', async () => {
    class DroppedConnectionOnce extends KyselySchedulerRepository {
      private failures = 1;
      override async claimSlot(...args: Parameters<KyselySchedulerRepository['claimSlot']>) {
        if (this.failures-- > 0) throw new Error('connection terminated unexpectedly');
        return super.claimSlot(...args);
      }
    }
    const flaky = schedulerOn(rt, jobs, 'instance-a', new DroppedConnectionOnce(rt.database.db, rt.clock));
    const log = new MemoryLog();
    try {
      rt.clock.set(at('2026-11-20T06:00:00Z'));
      await only(flaky, 'prometheus-sync', 3, 0);
      await flaky.tick();
      rt.clock.set(at('2026-11-20T08:00:00Z'));
      await flaky.start(log);
      expect(log.entries).toEqual([
        ['error', 'scheduler round failed', { err: new Error('connection terminated unexpectedly') }],
      ]);
      rt.clock.set(at('2026-11-20T08:00:30Z'));
      await finished(await flaky.tick());
      expect(await scheduledRuns('prometheus-sync')).toEqual([
        ['2026-11-20T08:00:00.000Z', 1, 'schedule', 'succeeded'],
      ]);
    } finally {
      await flaky.stop();
    }
  });

  it('retries a failed run with backoff, recording each attempt', async () => {
    await only(scheduler, 'prometheus-sync', 3, 0);
    let failures = 2;
    jobs.behaviour.set('prometheus-sync', async () => (failures-- > 0 ? alwaysFailing() : ok));
    rt.clock.set(at('2026-11-20T06:00:00Z'));
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T08:00:00Z'));
    await finished(await scheduler.tick());
    // backoff 300 s, then 600 s
    rt.clock.set(at('2026-11-20T08:04:59Z'));
    expect((await scheduler.tick()).started).toEqual([]);
    rt.clock.set(at('2026-11-20T08:05:00Z'));
    await finished(await scheduler.tick());
    rt.clock.set(at('2026-11-20T08:15:00Z'));
    await finished(await scheduler.tick());
    const runs = (await scheduler.runs({ job: 'prometheus-sync', limit: 10 })).reverse();
    expect(runs.map((r) => [r.attempt, r.trigger, r.status, r.next_retry_at])).toEqual([
      [1, 'schedule', 'failed', null],
      [2, 'retry', 'failed', null],
      [3, 'retry', 'succeeded', null],
    ]);
    expect(runs.every((r) => r.scheduled_for === '2026-11-20T08:00:00.000Z')).toBe(true);
    expect((await scheduler.config()).jobs.find((j) => j.job === 'prometheus-sync')!.last_success_at).toBe(
      '2026-11-20T08:15:00.000Z',
    );
  });

  it.each([
    ['the job is disabled', { jobs: [{ job: 'prometheus-sync' as const, enabled: false }] }],
    ['the scheduler is off', { enabled: false }],
  ])('drops a pending retry when %s, recording why', async (why, off) => {
    jobs.behaviour.set('prometheus-sync', alwaysFailing);
    rt.clock.set(at('2026-11-20T06:00:00Z'));
    await only(scheduler, 'prometheus-sync', 3, 0);
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T08:00:00Z'));
    const [failed] = await finished(await scheduler.tick());
    expect(failed!.nextRetryAt).toBe('2026-11-20T08:05:00.000Z');
    rt.clock.set(at('2026-11-20T08:01:00Z'));
    await scheduler.updateConfig(off);
    rt.clock.set(at('2026-11-20T08:05:00Z'));
    const round = await scheduler.tick();
    const reason = `retry of run ${failed!.id} dropped: ${why}`;
    expect([round.started, round.skipped]).toEqual([
      [],
      [{ job: 'prometheus-sync', slot: '2026-11-20T08:00:00.000Z', reason }],
    ]);
    expect(
      (await scheduler.runs({ job: 'prometheus-sync', limit: 10 }))
        .reverse()
        .map((r) => [r.attempt, r.trigger, r.status, r.summary, r.next_retry_at]),
    ).toEqual([
      [1, 'schedule', 'failed', 'Prometheus down', null],
      [2, 'retry', 'skipped', reason, null],
    ]);
    rt.clock.set(at('2026-11-20T08:30:00Z'));
    expect((await scheduler.tick()).skipped).toEqual([]);
    expect(jobs.calls).toHaveLength(1);
  });

  it('gives up after the last retry', async () => {
    await scheduler.updateConfig({
      jobs: [{ job: 'namespace-quota-sync', retries: 1, retry_backoff_seconds: 60 }],
    });
    jobs.behaviour.set('namespace-quota-sync', async () => ({
      status: 'partly-failed',
      summary: '1 of 2 clusters',
      result: null,
    }));
    rt.clock.set(at('2026-11-20T12:00:00Z'));
    const first = await (await scheduler.runNow('namespace-quota-sync', 'manual')).done;
    expect(first.nextRetryAt).toBe('2026-11-20T12:01:00.000Z');
    rt.clock.set(at('2026-11-20T12:01:00Z'));
    const [second] = await finished(await scheduler.tick());
    expect(second).toMatchObject({
      attempt: 2,
      trigger: 'retry',
      status: 'partly-failed',
      nextRetryAt: null,
    });
  });

  it('cancels a running job here, and on another instance through the database', async () => {
    // as a sync does: the requests the abort cut short fail
    const failOnAbort = (signal: AbortSignal) =>
      new Promise<JobOutcome>((resolve) =>
        signal.addEventListener('abort', () =>
          resolve({ status: 'failed', summary: 'prod: request aborted', result: null }),
        ),
      );
    jobs.behaviour.set('prometheus-sync', failOnAbort);
    const local = await scheduler.runNow('prometheus-sync', 'manual');
    await scheduler.cancel(local.run.id);
    expect(await local.done).toMatchObject({ status: 'cancelled', summary: 'cancelled', nextRetryAt: null });

    const second = await createTestRuntime(dialect, { shareWith: rt });
    const other = schedulerOn(second, new FakeJobs(second.clock), 'instance-b');
    try {
      const remote = await scheduler.runNow('prometheus-sync', 'manual');
      await other.cancel(remote.run.id);
      expect(jobs.calls).toHaveLength(2);
      // the running instance sees the request at its next heartbeat
      await scheduler.heartbeat();
      expect(await remote.done).toMatchObject({ status: 'cancelled', cancelRequested: true });
      await expect(other.cancel(remote.run.id)).rejects.toThrow(
        `run ${remote.run.id} is not running (cancelled)`,
      );
    } finally {
      await other.stop();
      await second.dispose();
    }
  });

  it('keeps the outcome of a job that finished its work without seeing a late cancel', async () => {
    let finish!: () => void;
    jobs.behaviour.set(
      'namespace-quota-sync',
      () =>
        new Promise<JobOutcome>(
          (resolve) =>
            (finish = () => resolve({ status: 'succeeded', summary: '3 namespaces synced', result: null })),
        ),
    );
    const started = await scheduler.runNow('namespace-quota-sync', 'manual');
    await scheduler.cancel(started.run.id);
    finish();
    expect(await started.done).toMatchObject({
      status: 'succeeded',
      summary: '3 namespaces synced',
      cancelRequested: true,
    });
  });

  it('stops between rounds: a round in progress starts nothing, running jobs are cancelled and recorded', async () => {
    rt.clock.set(at('2026-11-20T06:00:00Z'));
    await only(scheduler, 'prometheus-sync', 3, 0);
    await scheduler.tick();
    rt.clock.set(at('2026-11-20T08:00:00Z'));
    const round = scheduler.tick();
    await scheduler.stop();
    expect((await round).started).toEqual([]);
    expect(jobs.calls).toEqual([]);
    // nothing claimed: the slot stays for an instance that keeps running
    expect(await scheduler.runs({ limit: 10 })).toEqual([]);

    const restarted = schedulerOn(rt, jobs, 'instance-a2');
    jobs.behaviour.set(
      'namespace-quota-sync',
      (signal) =>
        new Promise<JobOutcome>((resolve) =>
          signal.addEventListener('abort', () =>
            resolve({ status: 'failed', summary: 'aborted', result: null }),
          ),
        ),
    );
    const running = await restarted.runNow('namespace-quota-sync', 'manual');
    await restarted.stop();
    expect(await restarted.run(running.run.id)).toMatchObject({ status: 'cancelled', summary: 'cancelled' });
    await expect(restarted.runNow('namespace-quota-sync', 'manual')).rejects.toThrow(
      'namespace-quota-sync: this instance is shutting down; run it again once it is back, or on another instance',
    );
    expect(await restarted.tick()).toEqual({ started: [], skipped: [], abandoned: [] });
  });

  it("prunes runs older than the kept days, except each job's latest success", async () => {
    await scheduler.updateConfig({ keep_runs_days: 7 });
    const repo = new KyselySchedulerRepository(rt.database.db, rt.clock);
    const record = async (job: JobKey, day: string, status: 'succeeded' | 'failed') => {
      const run = (await repo.claimRun({
        job,
        trigger: 'manual',
        scheduledFor: null,
        attempt: 1,
        instance: 'instance-a',
        startedAt: `${day}T01:00:00.000Z`,
      }))!;
      await repo.finishRun(run.id, {
        status,
        finishedAt: `${day}T01:05:00.000Z`,
        summary: status,
        result: null,
        nextRetryAt: null,
      });
    };
    await record('namespace-quota-sync', '2026-11-01', 'succeeded');
    await record('namespace-quota-sync', '2026-11-02', 'succeeded'); // latest success: kept
    await record('namespace-quota-sync', '2026-11-03', 'failed');
    await record('namespace-quota-sync', '2026-11-19', 'failed'); // 6 days old: kept
    await record('project-quota-sync', '2026-11-04', 'failed');
    rt.clock.set(at('2026-11-25T12:00:00Z')); // keeps what finished after 2026-11-18T12:00Z
    await scheduler.tick();
    const left = async (job: JobKey) =>
      (await scheduler.runs({ job, limit: 100 })).map((r) => [r.started_at.slice(0, 10), r.status]);
    expect(await left('namespace-quota-sync')).toEqual([
      ['2026-11-19', 'failed'],
      ['2026-11-02', 'succeeded'],
    ]);
    expect(await left('project-quota-sync')).toEqual([]);
  });

  it('frees a job whose instance died mid-run, and retries that run like any failure', async () => {
    const repo = new KyselySchedulerRepository(rt.database.db, rt.clock);
    rt.clock.set(at('2026-11-20T12:00:00Z'));
    const orphan = (await repo.claimRun({
      job: 'project-quota-sync',
      trigger: 'manual',
      scheduledFor: null,
      attempt: 1,
      instance: 'gone',
      startedAt: '2026-11-20T12:00:00.000Z',
    }))!;
    await repo.acquireLock(
      'project-quota-sync',
      'gone',
      orphan.id,
      '2026-11-20T12:00:00.000Z',
      '2026-11-20T12:02:00.000Z',
    );
    await expect(scheduler.runNow('project-quota-sync', 'manual')).rejects.toThrow('already running');
    rt.clock.set(at('2026-11-20T12:03:00Z'));
    const round = await scheduler.tick();
    // the first retry waits the backoff of 300 s from when the run was found dead
    expect(round.abandoned.map((r) => [r.id, r.status, r.nextRetryAt])).toEqual([
      [orphan.id, 'failed', '2026-11-20T12:08:00.000Z'],
    ]);
    expect(await scheduler.run(orphan.id)).toMatchObject({
      status: 'failed',
      summary: 'the instance running it stopped (no heartbeat)',
      next_retry_at: '2026-11-20T12:08:00.000Z',
    });
    expect((await (await scheduler.runNow('project-quota-sync', 'manual')).done).status).toBe('succeeded');
    rt.clock.set(at('2026-11-20T12:08:00Z'));
    const [retried] = await finished(await scheduler.tick());
    expect(retried).toMatchObject({
      job: 'project-quota-sync',
      trigger: 'retry',
      attempt: 2,
      status: 'succeeded',
    });
  });
});
