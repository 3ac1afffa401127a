import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselySchedulerRepository } from '../../src/db/repositories/scheduler.repository';
import { KyselySettingsRepository } from '../../src/db/repositories/settings.repository';
import { JOB_KEYS } from '../../src/domain/schedule';
import type { JobKey } from '../../src/domain/schedule';
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

function schedulerOn(rt: TestRuntime, jobs: FakeJobs, instance: string, timezone = 'America/New_York') {
  return new SchedulerService(
    new KyselySchedulerRepository(rt.database.db),
    new KyselySettingsRepository(rt.database.db),
    timezone,
    jobs.catalog,
    rt.clock,
    {
      instance,
      leaseMs: 120_000,
      heartbeatMs: 20,
    },
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

  it('fires at 02:30 local time, at 03:00 on the spring-forward day that has no 02:30', async () => {
    await only(scheduler, 'prometheus-sync', 2, 30);
    rt.clock.set(at('2026-03-07T12:00:00Z'));
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
    await only(scheduler, 'namespace-quota-sync', 1, 30);
    rt.clock.set(at('2026-10-31T12:00:00Z'));
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
    expect(jobs.calls).toHaveLength(1);
  });

  it('retries a failed run with backoff, recording each attempt', async () => {
    await only(scheduler, 'prometheus-sync', 3, 0);
    let failures = 2;
    jobs.behaviour.set('prometheus-sync', async () =>
      failures-- > 0 ? { status: 'failed', summary: 'Prometheus down', result: null } : ok,
    );
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
    const waitForAbort = (signal: AbortSignal) =>
      new Promise<JobOutcome>((resolve) =>
        signal.addEventListener('abort', () =>
          resolve({ status: 'succeeded', summary: 'stopped', result: null }),
        ),
      );
    jobs.behaviour.set('prometheus-sync', waitForAbort);
    const local = await scheduler.runNow('prometheus-sync', 'manual');
    await scheduler.cancel(local.run.id);
    expect(await local.done).toMatchObject({ status: 'cancelled', summary: 'cancelled' });

    const second = await createTestRuntime(dialect, { shareWith: rt });
    const other = schedulerOn(second, new FakeJobs(second.clock), 'instance-b');
    try {
      const remote = await scheduler.runNow('prometheus-sync', 'manual');
      await other.cancel(remote.run.id);
      // the running instance sees the request at its next heartbeat
      expect(await remote.done).toMatchObject({ status: 'cancelled', cancelRequested: true });
      await expect(other.cancel(remote.run.id)).rejects.toThrow(
        `run ${remote.run.id} is not running (cancelled)`,
      );
    } finally {
      await other.stop();
      await second.dispose();
    }
  });

  it("prunes runs older than the kept days, except each job's latest success", async () => {
    await scheduler.updateConfig({ keep_runs_days: 7 });
    const repo = new KyselySchedulerRepository(rt.database.db);
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

  it('frees a job whose instance died mid-run', async () => {
    const repo = new KyselySchedulerRepository(rt.database.db);
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
    await scheduler.tick();
    expect(await scheduler.run(orphan.id)).toMatchObject({
      status: 'failed',
      summary: 'the instance running it stopped (no heartbeat)',
    });
    expect((await (await scheduler.runNow('project-quota-sync', 'manual')).done).status).toBe('succeeded');
  });
});
