import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UsageSyncResult } from '@kra/contracts';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import {
  cpuCounter,
  FaultyProxy,
  memoryGauge,
  openMetrics,
  PrometheusServer,
  utc,
} from '../helpers/prometheus';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import type { JobKey } from '../../src/domain/schedule';

const GiB = 1024 ** 3;
const TOKEN = 'catalog-token-7e3a';

/**
 * Two clusters in one Prometheus, told apart by their `cluster` label, with a pod each all week:
 * east shop/api-0 1 core and 2 GiB, west batch/etl-0 0.5 core and 1 GiB. Asia/Shanghai days
 * 2026-11-18 … 2026-11-24 (each from 16:00Z the day before) are all covered.
 */
function week(): string {
  const span = { from: utc('2026-11-17T14:00:00Z'), to: utc('2026-11-24T18:00:00Z'), scrapeSeconds: 60 };
  const pod = (cluster: string, namespace: string, name: string, cores: number, gib: number) => {
    const ref = { namespace, pod: name, container: 'app', cluster, ...span };
    return [cpuCounter({ ...ref, coresUsed: () => cores }), memoryGauge({ ...ref, bytes: () => gib * GiB })];
  };
  return openMetrics([...pod('east', 'shop', 'api-0', 1, 2), ...pod('west', 'batch', 'etl-0', 0.5, 1)]);
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await PrometheusServer.start({ openMetrics: week() });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});

type Run = { status: string; summary: string; result: unknown; next_retry_at: string | null };

describe.each(testDialects())('what the scheduled jobs do, on %s', (dialect) => {
  let t: TestApp;
  let east: FaultyProxy;
  let west: FaultyProxy;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    [east, west] = await Promise.all([FaultyProxy.start(prometheus.url), FaultyProxy.start(prometheus.url)]);
    // added on the 10th: the catch-up window, not the sources' age, bounds what is synced
    t.runtime.clock.set(new Date('2026-11-10T00:00:00Z'));
    for (const [cluster, proxy] of [
      ['east', east],
      ['west', west],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/prometheus/configs',
        payload: {
          name: cluster,
          url: proxy.url,
          cluster_name: cluster,
          selector: `cluster="${cluster}"`,
          strategy: 'pod-peak',
        },
      });
      expect(res.statusCode).toBe(201);
    }
    // 16:00 in Shanghai on the 25th: yesterday is the 24th
    t.runtime.clock.set(new Date('2026-11-25T08:00:00Z'));
  });
  afterEach(async () => {
    await t.close();
    await Promise.all([east.stop(), west.stop()]);
  });

  const scheduler = () => t.runtime.services.scheduler;
  const runNow = async (job: JobKey): Promise<Run> =>
    scheduler().run((await (await scheduler().runNow(job, 'manual')).done).id);
  /** The tick at the run's retry time, and the retry it started. */
  const retry = async (run: Run): Promise<Run> => {
    t.runtime.clock.set(new Date(run.next_retry_at!));
    const [started] = (await scheduler().tick()).started;
    return scheduler().run((await started!.done).id);
  };
  const sourceDays = (run: Run) =>
    (run.result as UsageSyncResult[]).map((day) => [day.date, day.sources.map((s) => [s.name, s.ok])]);
  const usageDates = async () =>
    (await t.app.inject({ url: '/api/reports' })).json().items.map((d: { date: string }) => d.date);
  const setCatchUpDays = async (days: number) =>
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/scheduler/config',
          payload: { prometheus_catch_up_days: days },
        })
      ).statusCode,
    ).toBe(200);

  it('catches up the days without data within the limit, a hole before a synced day too, and no further back', async () => {
    await setCatchUpDays(3);
    const synced = await t.app.inject({ method: 'POST', url: '/api/prometheus/sync?date=2026-11-23' });
    expect(synced.json().ok).toBe(true);

    // the window is the 22nd to the 24th: the 22nd (a hole before the synced 23rd) and the 24th
    const run = await runNow('prometheus-sync');
    expect(run).toMatchObject({
      status: 'succeeded',
      summary: 'usage of 2026-11-22, 2026-11-24: 4 of 4 source-day(s) synced',
      next_retry_at: null,
    });
    expect(sourceDays(run)).toEqual([
      [
        '2026-11-22',
        [
          ['east', true],
          ['west', true],
        ],
      ],
      [
        '2026-11-24',
        [
          ['east', true],
          ['west', true],
        ],
      ],
    ]);
    expect(await usageDates()).toEqual(['2026-11-24', '2026-11-23', '2026-11-22']);
    const shop = (await t.app.inject({ url: '/api/reports/2026-11-22/namespaces?project=shop' })).json();
    expect(
      shop.items.map((i: { namespace: string; cpu_usage: number }) => [i.namespace, i.cpu_usage]),
    ).toEqual([['shop', 1]]);

    // nothing is missing: a run syncs yesterday again
    const again = await runNow('prometheus-sync');
    expect(sourceDays(again)).toEqual([
      [
        '2026-11-24',
        [
          ['east', true],
          ['west', true],
        ],
      ],
    ]);
    expect(again.summary).toBe('usage of 2026-11-24: 2 of 2 source-day(s) synced');
  });

  it('fails when no source syncs, fails partly when some do, and each retry syncs only what is still missing', async () => {
    await setCatchUpDays(2);
    await east.setMode('down');
    await west.setMode('down');
    const none = await runNow('prometheus-sync');
    expect(none).toMatchObject({
      status: 'failed',
      summary: 'usage of 2026-11-23, 2026-11-24: 0 of 4 source-day(s) synced',
      next_retry_at: '2026-11-25T08:05:00.000Z',
    });
    expect(sourceDays(none)).toEqual([
      [
        '2026-11-23',
        [
          ['east', false],
          ['west', false],
        ],
      ],
      [
        '2026-11-24',
        [
          ['east', false],
          ['west', false],
        ],
      ],
    ]);

    await east.setMode('pass');
    const some = await retry(none);
    expect(some).toMatchObject({
      status: 'partly-failed',
      summary: 'usage of 2026-11-23, 2026-11-24: 2 of 4 source-day(s) synced',
      // the second retry waits twice the backoff: 600 s
      next_retry_at: '2026-11-25T08:15:00.000Z',
    });
    expect(sourceDays(some)).toEqual([
      [
        '2026-11-23',
        [
          ['east', true],
          ['west', false],
        ],
      ],
      [
        '2026-11-24',
        [
          ['east', true],
          ['west', false],
        ],
      ],
    ]);

    await west.setMode('pass');
    const rest = await retry(some);
    expect(rest).toMatchObject({
      status: 'succeeded',
      summary: 'usage of 2026-11-23, 2026-11-24: 2 of 2 source-day(s) synced',
    });
    expect(sourceDays(rest)).toEqual([
      ['2026-11-23', [['west', true]]],
      ['2026-11-24', [['west', true]]],
    ]);
    // east was queried on its first good attempt only: for each of the 2 days and 2 metrics, the census of
    // the series and every pod's series at once (each pod has one container)
    expect(east.queries()).toHaveLength(8);
  });

  it('maps the quota syncs per cluster: an unreachable cluster makes the run partly failed', async () => {
    const api = await FakeKubeApiServer.start({ state: { namespaces: [{ name: 'pay-api' }] } });
    api.addToken(TOKEN, 'scheduler-bot');
    const gone = await FakeKubeApiServer.start();
    const goneConfig = gone.kubeconfig({ auth: 'token', token: TOKEN });
    await gone.stop();
    try {
      for (const [name, kubeconfig] of [
        ['prod', api.kubeconfig({ auth: 'token', token: TOKEN })],
        ['down', goneConfig],
      ] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/k8s/configs',
          payload: { name, kubeconfig },
        });
        expect(res.statusCode).toBe(201);
      }
      const run = await runNow('namespace-quota-sync');
      expect(run).toMatchObject({
        status: 'partly-failed',
        summary: 'namespace quotas: 1 of 2 cluster(s) synced (1 created, 0 updated, 0 removed); failed: down',
      });
    } finally {
      await api.stop();
    }
  });
});
