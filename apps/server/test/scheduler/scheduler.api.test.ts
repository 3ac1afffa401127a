import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

const TOKEN = 'scheduler-api-token-5c2e';

let cluster: FakeKubeApiServer;
beforeAll(async () => {
  cluster = await FakeKubeApiServer.start({
    state: {
      namespaces: [{ name: 'pay-api', labels: { 'cpaas.io/project': 'payments' } }],
      resourcequotas: [
        { namespace: 'pay-api', name: 'q', spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi' } } },
      ],
    },
  });
  cluster.addToken(TOKEN, 'scheduler-bot');
});
afterAll(async () => {
  await cluster?.stop();
});

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
  /** Starts a job through the API and waits for this instance to record how it ended. */
  const runToTheEnd = async (job: string) => {
    const started = await t.app.inject({ method: 'POST', url: `/api/scheduler/jobs/${job}/run` });
    expect(started.statusCode).toBe(202);
    await t.runtime.services.scheduler.idle();
    return (await t.app.inject({ url: `/api/scheduler/runs/${started.json().id}` })).json();
  };

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

  it("reports a cron job's hour in the seed's fields when it has one fixed hour, else null", async () => {
    expect(
      (await update({ jobs: [{ job: 'namespace-quota-sync', cron: '15 4 * * 1-5' }] })).json(),
    ).toMatchObject({ namespace_quota_hour: 4, prometheus_sync_hour: 3 });
    expect((await update({ jobs: [{ job: 'prometheus-sync', cron: '0 */6 * * *' }] })).json()).toMatchObject({
      namespace_quota_hour: 4,
      prometheus_sync_hour: null,
    });
  });

  it('switches a cron job back to a daily time only with an hour', async () => {
    await update({ jobs: [{ job: 'prometheus-sync', cron: '0 */6 * * *' }] });
    const hourless = await update({ jobs: [{ job: 'prometheus-sync', mode: 'daily' }] });
    expect(hourless.statusCode).toBe(400);
    expect(hourless.json().message).toBe(
      'prometheus-sync: it runs on the cron expression "0 */6 * * *"; give an hour to switch it to a daily time',
    );
    // the seed's interval would switch it too: refused the same way, and nothing is saved
    expect((await update({ interval_hours: 12 })).json().message).toBe(
      'prometheus-sync: it runs on the cron expression "0 */6 * * *"; give an hour to switch it to a daily time',
    );
    expect((await config()).jobs.map((j: { expression: string }) => j.expression)).toEqual([
      '0 2 * * *',
      '0 2 * * *',
      '0 */6 * * *',
    ]);
    const switched = await update({ prometheus_sync_hour: 5 });
    expect(switched.json()).toMatchObject({ prometheus_sync_hour: 5 });
    expect(switched.json().jobs[2]).toMatchObject({ mode: 'daily', expression: '0 5 * * *', cron: null });
  });

  it('explains a schedule it refuses', async () => {
    const drift = await update({ interval_hours: 5 });
    expect(drift.statusCode).toBe(400);
    expect(drift.json().message).toBe(
      'namespace-quota-sync: every 5 h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), 24, or a cron expression',
    );
    const days = await update({ jobs: [{ job: 'prometheus-sync', interval_hours: 48 }] });
    expect(days.statusCode).toBe(400);
    expect(days.json().message).toBe(
      'body.jobs.0.interval_hours: more than 24 h is not a daily time: use a cron expression (for example "0 2 * * 1" runs on Mondays at 02:00)',
    );
    const cron = await update({ jobs: [{ job: 'prometheus-sync', cron: 'every day' }] });
    expect(cron.statusCode).toBe(400);
    expect(cron.json().message).toMatch(/^prometheus-sync: "every day" is not a cron expression/);
    expect((await config()).interval_hours).toBe(24);
  });

  it('runs a job now, records it, and exports when jobs last succeeded', async () => {
    // no cluster is configured: nothing to do is not a failure
    expect(await runToTheEnd('namespace-quota-sync')).toMatchObject({
      job: 'namespace-quota-sync',
      trigger: 'manual',
      status: 'skipped',
      summary: 'no cluster is configured: add one under K8s接入 first',
    });
    expect(
      (await t.app.inject({ url: '/api/scheduler/runs?job=namespace-quota-sync' })).json().items,
    ).toHaveLength(1);
    const never = await t.app.inject({ url: '/metrics' });
    expect(never.statusCode).toBe(200);
    expect(never.body).toContain('kra_job_last_success_timestamp_seconds{job="namespace-quota-sync"} 0\n');
    expect(never.body).toContain('kra_build_info{version="test"} 1');

    const added = await t.app.inject({
      method: 'POST',
      url: '/api/k8s/configs',
      payload: {
        name: 'prod',
        kubeconfig: cluster.kubeconfig({ auth: 'token', token: TOKEN }),
        use_projectquota: false,
        project_label: 'cpaas.io/project',
      },
    });
    expect(added.statusCode).toBe(201);
    t.runtime.clock.set(new Date('2026-11-25T09:30:15Z'));
    expect(await runToTheEnd('namespace-quota-sync')).toMatchObject({
      status: 'succeeded',
      finished_at: '2026-11-25T09:30:15.000Z',
    });
    // 2026-11-25 is day 20,782 since 1970: 20,782 × 86,400 + 9 h 30 min 15 s = 1,795,599,015
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(
      'kra_job_last_success_timestamp_seconds{job="namespace-quota-sync"} 1795599015\n',
    );
    expect(metrics).toContain('kra_job_last_success_timestamp_seconds{job="project-quota-sync"} 0\n');
    expect((await t.app.inject({ method: 'POST', url: '/api/scheduler/runs/999/cancel' })).statusCode).toBe(
      404,
    );
  });
});
