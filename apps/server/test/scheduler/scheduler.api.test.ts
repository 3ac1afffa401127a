import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

describe.each(testDialects())('scheduler API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });
  const config = async () => (await t.app.inject({ url: '/api/scheduler/config' })).json();
  const update = (payload: object) => t.app.inject({ method: 'POST', url: '/api/scheduler/config', payload });

  it("keeps the seed's fields and defaults: quota syncs at 02:00, Prometheus at 03:00, every 24 h", async () => {
    const body = await config();
    expect(body).toMatchObject({
      enabled: true,
      namespace_quota_hour: 2,
      prometheus_sync_hour: 3,
      interval_hours: 24,
      catch_up_missed: true,
      timezone: 'Asia/Shanghai',
    });
    expect(
      body.jobs.map((j: { job: string; expression: string; next_runs: string[] }) => [
        j.job,
        j.expression,
        j.next_runs[0],
      ]),
    ).toEqual([
      // the test clock is 2026-11-25T08:00Z = 16:00 in Shanghai: the next 02:00 is the 26th, 18:00Z of the 25th
      ['namespace-quota-sync', '0 2 * * *', '2026-11-25T18:00:00.000Z'],
      ['project-quota-sync', '0 2 * * *', '2026-11-25T18:00:00.000Z'],
      ['prometheus-sync', '0 3 * * *', '2026-11-25T19:00:00.000Z'],
    ]);
  });

  it("applies the seed's fields to the jobs they name, and a cron expression to one job", async () => {
    const res = await update({
      namespace_quota_hour: 1,
      prometheus_sync_hour: 4,
      interval_hours: 12,
      jobs: [{ job: 'prometheus-sync', cron: '30 */6 * * *' }],
    });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .jobs.map((j: { job: string; mode: string; expression: string }) => [j.job, j.mode, j.expression]),
    ).toEqual([
      ['namespace-quota-sync', 'daily', '0 1,13 * * *'],
      ['project-quota-sync', 'daily', '0 1,13 * * *'],
      ['prometheus-sync', 'cron', '30 */6 * * *'],
    ]);
  });

  it('explains a schedule it refuses', async () => {
    const drift = await update({ interval_hours: 5 });
    expect(drift.statusCode).toBe(400);
    expect(drift.json().message).toBe(
      'namespace-quota-sync: every 5 h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), whole days (24, 48, …), or a cron expression',
    );
    const cron = await update({ jobs: [{ job: 'prometheus-sync', cron: 'every day' }] });
    expect(cron.statusCode).toBe(400);
    expect(cron.json().message).toMatch(/^prometheus-sync: "every day" is not a cron expression/);
    expect((await config()).interval_hours).toBe(24);
  });

  it('runs a job now, records it, and exports when jobs last succeeded', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/scheduler/jobs/namespace-quota-sync/run',
    });
    expect(started.statusCode).toBe(202);
    const { id } = started.json();
    let run = started.json();
    for (let i = 0; i < 100 && run.status === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      run = (await t.app.inject({ url: `/api/scheduler/runs/${id}` })).json();
    }
    // no cluster is configured: nothing to do is not a failure
    expect(run).toMatchObject({
      job: 'namespace-quota-sync',
      trigger: 'manual',
      status: 'skipped',
      summary: 'no cluster is configured: add one under K8s接入 first',
    });
    expect(
      (await t.app.inject({ url: '/api/scheduler/runs?job=namespace-quota-sync' })).json().items,
    ).toHaveLength(1);
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('kra_job_last_success_timestamp_seconds{job="namespace-quota-sync"} 0');
    expect(metrics.body).toContain('kra_build_info{version="test"} 1');
    expect((await t.app.inject({ method: 'POST', url: '/api/scheduler/runs/999/cancel' })).statusCode).toBe(
      404,
    );
  });
});
