import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AesGcmSecretBox } from '../../src/adapters/secrets/aes-gcm-secret-box';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import {
  cpuCounter,
  FaultyProxy,
  HOUR,
  memoryGauge,
  MINUTE,
  openMetrics,
  PROMETHEUS_ERRORS,
  PrometheusServer,
  utc,
  withLabels,
  bearerAuth,
} from '../helpers/prometheus';
import type { MetricFamily } from '../helpers/prometheus';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

const GiB = 1024 ** 3;
const TOKEN = 'k8s-token-2c7e';
const PROM_TOKEN = 'prom-bearer-9f1d77';
const DATE = '2026-11-20';
/** The day of 2026-11-20 in Asia/Shanghai (the tests' zone): 2026-11-19T16:00Z to 2026-11-20T16:00Z. */
const START = utc('2026-11-19T16:00:00Z');
const END = utc('2026-11-20T16:00:00Z');
const NOON = START + 12 * HOUR;

interface PodSpec {
  namespace: string;
  pod: string;
  container: string;
  from: number;
  to: number;
  cores: number;
  memoryGiB: number;
}

function series(spec: PodSpec): MetricFamily[] {
  const ref = {
    namespace: spec.namespace,
    pod: spec.pod,
    container: spec.container,
    from: spec.from,
    to: spec.to,
    scrapeSeconds: 30,
  };
  return [
    cpuCounter({ ...ref, coresUsed: () => spec.cores }),
    memoryGauge({ ...ref, bytes: () => spec.memoryGiB * GiB }),
  ];
}

const allDay = { from: START - 2 * HOUR, to: END + 2 * HOUR };

/**
 * One day of cAdvisor data, every figure chosen so the expected usage can be worked out by hand:
 * shop/api (Deployment, 2 replicas) rolled over at noon: two old pods 0.5 core / 1 GiB each until
 *   12:00, two new pods 0.6 core / 1.5 GiB each from 12:10.
 * shop/db-0 (StatefulSet): containers postgres 1 core / 4 GiB and exporter 0.1 / 0.25 GiB, plus the
 *   pod-level series (container="") and the pause container (POD) that must be ignored, and
 *   postgres scraped twice (a second kubelet instance and job).
 * shop-b/db-0: a pod of the same name in another namespace: 2 cores / 2 GiB all day.
 * batch: etl-a 02:00–04:00 1 core / 1 GiB, etl-b 10:00–12:00 2 cores / 3 GiB, etl-c 20:00–22:00 with
 *   containers etl 0.5 core / 0.5 GiB and uploader 0.25 / 0.25 GiB: never at once.
 * shop/edge-before (ends a minute before the day) and shop/edge-after (starts 30 s after it) must
 *   not count.
 */
function dataset(): string {
  const families = [
    ...['bbbbb', 'ccccc'].flatMap((s) =>
      series({
        namespace: 'shop',
        pod: `api-6b7c8d9f5-${s}`,
        container: 'app',
        from: allDay.from,
        to: NOON,
        cores: 0.5,
        memoryGiB: 1,
      }),
    ),
    ...['ddddd', 'fffff'].flatMap((s) =>
      series({
        namespace: 'shop',
        pod: `api-7d9f8b6c5-${s}`,
        container: 'app',
        from: NOON + 10 * MINUTE,
        to: allDay.to,
        cores: 0.6,
        memoryGiB: 1.5,
      }),
    ),
    ...series({ namespace: 'shop', pod: 'db-0', container: 'postgres', ...allDay, cores: 1, memoryGiB: 4 }),
    ...series({
      namespace: 'shop',
      pod: 'db-0',
      container: 'postgres',
      ...allDay,
      cores: 1,
      memoryGiB: 4,
    }).map((f) => withLabels(f, { instance: '10.0.0.2:10250', job: 'kubelet-secondary' })),
    ...series({
      namespace: 'shop',
      pod: 'db-0',
      container: 'exporter',
      ...allDay,
      cores: 0.1,
      memoryGiB: 0.25,
    }),
    ...series({ namespace: 'shop', pod: 'db-0', container: '', ...allDay, cores: 1.1, memoryGiB: 4.25 }),
    ...series({ namespace: 'shop', pod: 'db-0', container: 'POD', ...allDay, cores: 0.01, memoryGiB: 0.001 }),
    ...series({ namespace: 'shop-b', pod: 'db-0', container: 'postgres', ...allDay, cores: 2, memoryGiB: 2 }),
    ...series({
      namespace: 'batch',
      pod: 'etl-a',
      container: 'etl',
      from: START + 2 * HOUR,
      to: START + 4 * HOUR,
      cores: 1,
      memoryGiB: 1,
    }),
    ...series({
      namespace: 'batch',
      pod: 'etl-b',
      container: 'etl',
      from: START + 10 * HOUR,
      to: START + 12 * HOUR,
      cores: 2,
      memoryGiB: 3,
    }),
    ...(
      [
        ['etl', 0.5, 0.5],
        ['uploader', 0.25, 0.25],
      ] as const
    ).flatMap(([container, cores, memoryGiB]) =>
      series({
        namespace: 'batch',
        pod: 'etl-c',
        container,
        from: START + 20 * HOUR,
        to: START + 22 * HOUR,
        cores,
        memoryGiB,
      }),
    ),
    ...series({
      namespace: 'shop',
      pod: 'edge-before',
      container: 'app',
      from: START - 10 * MINUTE,
      to: START - MINUTE,
      cores: 5,
      memoryGiB: 10,
    }),
    ...series({
      namespace: 'shop',
      pod: 'edge-after',
      container: 'app',
      from: END + 30,
      to: END + 10 * MINUTE,
      cores: 7,
      memoryGiB: 20,
    }),
  ];
  return openMetrics(families);
}

let prometheus: PrometheusServer;
let cluster: FakeKubeApiServer;

beforeAll(async () => {
  prometheus = await PrometheusServer.start({ openMetrics: dataset() });
  cluster = await FakeKubeApiServer.start({
    state: {
      namespaces: [
        { name: 'shop', labels: { 'cpaas.io/project': 'retail' } },
        { name: 'shop-b', labels: { 'cpaas.io/project': 'retail' } },
        { name: 'batch', labels: { 'cpaas.io/project': 'analytics' } },
      ],
      deployments: [{ namespace: 'shop', name: 'api', replicas: 2 }],
      statefulsets: [
        { namespace: 'shop', name: 'db', replicas: 1 },
        { namespace: 'shop-b', name: 'db', replicas: 1 },
      ],
    },
  });
  cluster.addToken(TOKEN, 'usage-reader');
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await cluster?.stop();
});

describe.each(testDialects())('Prometheus usage syncs on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
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
  });
  afterEach(async () => {
    await t.close();
  });

  const addSource = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/configs',
      payload: { name: 'prom', url: prometheus.url, cluster_name: 'prod', ...payload },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: number };
  };
  const sync = async (query = `date=${DATE}`) =>
    (await t.app.inject({ method: 'POST', url: `/api/prometheus/sync?${query}` })).json();
  const namespaceUsage = async (project: string) => {
    const body = (await t.app.inject({ url: `/api/reports/${DATE}/namespaces?project=${project}` })).json();
    return Object.fromEntries(
      body.items.map((i: { namespace: string; cpu_usage: number; memory_usage: number }) => [
        i.namespace,
        [round(i.cpu_usage), round(i.memory_usage)],
      ]),
    );
  };
  const round = (n: number) => Math.round(n * 1e6) / 1e6;

  it("pod-peak: each pod's peak of its containers, same-named pods kept apart, the day boundary respected", async () => {
    await addSource({ strategy: 'pod-peak' });
    const result = await sync();
    expect(result.ok).toBe(true);
    expect(result.sources[0]).toMatchObject({
      date: DATE,
      strategy: 'pod-peak',
      ok: true,
      namespaces: 3,
      pods: 9,
      // per metric: the census of its series; every pod's series at once; etl-c's two containers summed
      // per step; db-0's postgres (scraped twice) collapsed by max before its exporter is added
      queries: 8,
      retries: 0,
      batches: 1,
      unassigned_namespaces: 0,
      errors: [],
    });
    // shop: api 0.5 + 0.5 + 0.6 + 0.6 = 2.2 cores and 1 + 1 + 1.5 + 1.5 = 5 GiB; db-0 1 + 0.1 = 1.1 cores and 4 + 0.25 = 4.25 GiB
    expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
    // batch: etl-a + etl-b + etl-c = 1 + 2 + (0.5 + 0.25) = 3.75 cores, 1 + 3 + (0.5 + 0.25) = 4.75 GiB
    expect(await namespaceUsage('analytics')).toEqual({ batch: [3.75, 4.75] });
    // the source keeps the whole result of its last sync
    const listed = (await t.app.inject({ url: '/api/prometheus/configs' })).json().items[0];
    expect(listed).toMatchObject({
      last_sync_ok: true,
      last_sync_message: `${DATE}: 3 namespace(s), 9 pod(s)`,
    });
    expect(listed.last_sync).toEqual(result.sources[0]);
    const report = (await t.app.inject({ url: `/api/reports/${DATE}` })).json();
    expect(
      report.rows.map((r: { project_name: string; source: string; cpu_usage: number }) => [
        r.project_name,
        r.source,
        round(r.cpu_usage),
      ]),
    ).toEqual([
      ['analytics', 'prometheus', 3.75],
      ['retail', 'prometheus', 5.3],
    ]);
  });

  it('replica-dedup: a rolled-over Deployment counts ⌊2 × 1.5⌋ = 3 pods, and the detail says so', async () => {
    await addSource({ use_accurate_sync: true });
    const result = await sync();
    expect(result.sources[0]).toMatchObject({ strategy: 'replica-dedup', ok: true, pods: 9, queries: 8 });
    // shop: api keeps 0.6 + 0.6 + 0.5 = 1.7 cores and 1.5 + 1.5 + 1 = 4 GiB; db-0 1.1 / 4.25 → 2.8 / 8.25
    expect(await namespaceUsage('retail')).toEqual({ shop: [2.8, 8.25], 'shop-b': [2, 2] });
    // the etl pods belong to no workload: counted as they are
    expect(await namespaceUsage('analytics')).toEqual({ batch: [3.75, 4.75] });
    const detail = (
      await t.app.inject({ url: `/api/reports/${DATE}/workloads?cluster=prod&namespace=shop` })
    ).json();
    expect(
      detail.items.map((w: Record<string, unknown>) => [
        w.kind,
        w.name,
        w.replicas,
        w.pods_seen,
        w.pods_kept,
        round(w.cpu_usage as number),
        round(w.memory_usage as number),
      ]),
    ).toEqual([
      ['Deployment', 'api', 2, 4, 3, 1.7, 4],
      ['StatefulSet', 'db', 1, 1, 1, 1.1, 4.25],
    ]);
  });

  it("concurrent-peak: what ran at once; average: the day's mean with idle time counted", async () => {
    await addSource({ strategy: 'concurrent-peak' });
    await sync();
    // shop: before noon 0.5 × 2 + 1.1 = 2.1, after 0.6 × 2 + 1.1 = 2.3 cores; memory 1 × 2 + 4.25 = 6.25, then 1.5 × 2 + 4.25 = 7.25 GiB
    expect(await namespaceUsage('retail')).toEqual({ shop: [2.3, 7.25], 'shop-b': [2, 2] });
    // batch: etl-a, etl-b and etl-c never overlap: 2 cores, 3 GiB
    expect(await namespaceUsage('analytics')).toEqual({ batch: [2, 3] });

    await t.app.inject({ method: 'PUT', url: '/api/prometheus/configs/1', payload: { strategy: 'average' } });
    await sync();
    expect((await namespaceUsage('retail'))['shop-b']).toEqual([2, 2]);
    // batch over the day's 1,440 one-minute steps: CPU (irate needs two samples) 02:01–04:04, 10:01–12:04 and
    // 20:01–22:04 → 124 × 1 + 124 × 2 + 124 × 0.75 = 465 core-steps; memory (a sample is seen for 5 min)
    // 02:00–04:05, 10:00–12:05 and 20:00–22:05 → 126 × 1 + 126 × 3 + 126 × 0.75 = 598.5 GiB-steps
    expect(await namespaceUsage('analytics')).toEqual({ batch: [round(465 / 1440), round(598.5 / 1440)] });
  });

  it("average: a step the day is no multiple of divides by the day's real steps", async () => {
    await addSource({ strategy: 'average', step: '13m' });
    await sync();
    // shop-b runs 2 cores / 2 GiB all day: every one of the day's 111 thirteen-minute steps (the first
    // 480 s into the day, the day starting 300 s past a multiple of 780 s) holds 2, so the mean is 2 —
    // dividing by ⌊86,400 / 780⌋ = 110 would say 2 × 111 / 110 = 2.018182
    expect((await namespaceUsage('retail'))['shop-b']).toEqual([2, 2]);
  });

  it("a renamed source, or the cluster's source deleted and added again, replaces its earlier sync of the day", async () => {
    const reportCpu = async () =>
      (await t.app.inject({ url: `/api/reports/${DATE}` }))
        .json()
        .rows.map((r: { project_name: string; cpu_usage: number }) => [r.project_name, round(r.cpu_usage)]);
    const origins = async () =>
      (await t.app.inject({ url: `/api/reports/${DATE}/namespaces?project=retail` }))
        .json()
        .items.map((i: { namespace: string; origin: string }) => [i.namespace, i.origin]);
    const { id } = await addSource({ strategy: 'pod-peak' });
    await sync();
    // retail: shop 3.3 + shop-b 2 = 5.3 cores; analytics: batch 1 + 2 + 0.75 = 3.75 (see pod-peak)
    expect(await reportCpu()).toEqual([
      ['analytics', 3.75],
      ['retail', 5.3],
    ]);

    const renamed = await t.app.inject({
      method: 'PUT',
      url: `/api/prometheus/configs/${id}`,
      payload: { name: 'prom-renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await sync()).sources[0]).toMatchObject({ name: 'prom-renamed', ok: true });
    expect(await reportCpu()).toEqual([
      ['analytics', 3.75],
      ['retail', 5.3],
    ]);
    expect(await origins()).toEqual([
      ['shop', 'prom-renamed'],
      ['shop-b', 'prom-renamed'],
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/prometheus/configs/${id}` })).statusCode).toBe(
      204,
    );
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/configs',
      payload: { name: 'prom-new', url: prometheus.url, cluster_name: 'prod', strategy: 'pod-peak' },
    });
    expect(again.statusCode).toBe(201);
    expect((await sync()).sources[0]).toMatchObject({ name: 'prom-new', ok: true });
    expect(await reportCpu()).toEqual([
      ['analytics', 3.75],
      ['retail', 5.3],
    ]);
    expect(await origins()).toEqual([
      ['shop', 'prom-new'],
      ['shop-b', 'prom-new'],
    ]);
    const dates = (await t.app.inject({ url: '/api/reports' })).json();
    // 3 namespaces of the latest sync, not 3 per sync
    expect(dates.items.find((d: { date: string }) => d.date === DATE)).toMatchObject({ record_count: 3 });
  });

  it.each([
    ['Prometheus is over --query.max-samples', PROMETHEUS_ERRORS.tooManySamples],
    [
      'Thanos or Mimir would fetch too many chunks',
      {
        status: 422,
        body: {
          status: 'error',
          errorType: 'execution',
          error: 'expanding series: the query would fetch too many chunks (max: 2000000)',
        },
      },
    ],
    [
      'VictoriaMetrics is over -search.maxSamplesPerQuery',
      {
        status: 422,
        body: {
          status: 'error',
          errorType: '422',
          error: 'cannot select more than -search.maxSamplesPerQuery=1000000 samples',
        },
      },
    ],
    [
      'an overloaded server answers 503',
      { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'server overloaded' } },
    ],
  ] as const)('splits the cluster into namespace batches when %s, with the same result', async (_, fault) => {
    const proxy = await FaultyProxy.start(prometheus.url, {
      mode: 'error',
      ...fault,
      match:
        /^max by \(namespace, pod\) \(max_over_time\(irate\(container_cpu_usage_seconds_total\{container!="", container!="POD"\}\[5m\]\)/,
    });
    try {
      await addSource({ url: proxy.url, strategy: 'pod-peak' });
      const result = await sync();
      // the CPU query of every pod's series is refused; the 3 namespaces are listed and queried one batch
      // each: 8 queries as without the refusal (see pod-peak), + the refused one, the list, 3 batches − 1
      expect(result.sources[0]).toMatchObject({ ok: true, batches: 3, retries: 3, queries: 12 });
      expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
      expect(proxy.queries().filter((q) => q.includes('namespace=~"'))).toHaveLength(3);
      // the namespaces come from the index over the day, not from a query over its samples
      const listed = proxy.requests.filter((r) => r.path.startsWith('/api/v1/label/'));
      expect(listed.map((r) => [r.method, r.path, r.params])).toEqual([
        [
          'GET',
          '/api/v1/label/namespace/values',
          {
            'match[]': 'container_cpu_usage_seconds_total{container!="", container!="POD"}',
            start: String(START),
            end: String(END),
          },
        ],
      ]);
      expect(proxy.queries().filter((q) => q.includes('count_over_time'))).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('leaves the earlier figures of the day when Prometheus is down, too slow or refuses the query', async () => {
    const proxy = await FaultyProxy.start(prometheus.url);
    try {
      const { id } = await addSource({ url: proxy.url, strategy: 'pod-peak', timeout_seconds: 1 });
      expect((await sync()).ok).toBe(true);

      await proxy.setMode('down');
      const down = await sync();
      expect(down.sources[0]).toMatchObject({ ok: false, errors: [{ code: 'unreachable' }] });
      expect(down.sources[0].errors[0].message).toMatch(
        new RegExp(`^prom: ${proxy.url.replace(/[.]/g, '\\.')} is unreachable`),
      );

      // the whole cluster's queries time out, and so does listing its namespaces to split it
      await proxy.setMode({ mode: 'slow', delayMs: 3000 });
      const slow = await sync();
      expect(slow.sources[0]).toMatchObject({
        ok: false,
        errors: [
          {
            code: 'timeout',
            message: `prom: ${proxy.url} did not answer within 1 s; splitting the cluster into namespace batches needs its namespaces, and listing them failed too: ${proxy.url} did not answer within 1 s`,
          },
        ],
      });

      await proxy.setMode({ mode: 'error', ...PROMETHEUS_ERRORS.badQuery });
      const refused = await sync();
      expect(refused.sources[0].errors[0].code).toBe('bad_query');

      expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
      const listed = (await t.app.inject({ url: '/api/prometheus/configs' })).json().items[0];
      expect(listed).toMatchObject({ id, last_sync_ok: false });
      expect(listed.last_sync).toEqual(refused.sources[0]);
      expect(listed.last_sync).toMatchObject({
        ok: false,
        namespaces: 0,
        queries: 2,
        errors: [{ code: 'bad_query' }],
      });
    } finally {
      await proxy.stop();
    }
  });

  it('a namespace created since the last namespace sync takes its project from the labels read now', async () => {
    const namespaces = [
      { name: 'shop', labels: { 'cpaas.io/project': 'retail' } },
      { name: 'shop-b', labels: { 'cpaas.io/project': 'retail' } },
      { name: 'batch', labels: { 'cpaas.io/project': 'analytics' } },
    ];
    try {
      // the namespace sync ran before batch existed
      cluster.setNamespaces(namespaces.filter((n) => n.name !== 'batch'));
      const quotaSync = await t.app.inject({ method: 'POST', url: '/api/k8s/sync' });
      expect(quotaSync.json().clusters[0]).toMatchObject({ ok: true, created: 2 });
      cluster.setNamespaces(namespaces);
      await addSource({ strategy: 'pod-peak' });
      cluster.clearRequests();
      const result = await sync();
      expect(result.sources[0]).toMatchObject({ ok: true, namespaces: 3, unassigned_namespaces: 0 });
      expect(await namespaceUsage('analytics')).toEqual({ batch: [3.75, 4.75] });
      expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
      // one cluster-wide list, not a request per namespace
      expect(cluster.requests.map((r) => r.path)).toEqual(['/api/v1/namespaces']);

      // when every namespace is known from the sync, the cluster is not asked
      await t.app.inject({ method: 'POST', url: '/api/k8s/sync' });
      cluster.clearRequests();
      expect((await sync()).sources[0]).toMatchObject({ ok: true, namespaces: 3 });
      expect(cluster.requests).toEqual([]);
    } finally {
      cluster.setNamespaces(namespaces);
    }
  });

  it('fails, keeping the earlier figures, when the chosen memory metric has no series at all', async () => {
    const { id } = await addSource({ strategy: 'pod-peak' });
    expect((await sync()).ok).toBe(true);
    // the data holds container_memory_usage_bytes only
    await t.app.inject({
      method: 'PUT',
      url: `/api/prometheus/configs/${id}`,
      payload: { memory_metric: 'working_set_bytes' },
    });
    const result = await sync();
    expect(result.sources[0]).toMatchObject({
      ok: false,
      errors: [
        {
          code: 'no_data',
          message:
            'prom: no container_memory_working_set_bytes series for 2026-11-20, though container_cpu_usage_seconds_total has some: choose the memory metric this Prometheus has (usage_bytes or working_set_bytes)',
        },
      ],
    });
    expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
  });

  it('a source whose token this key cannot open fails alone; the other sources sync', async () => {
    await addSource({ strategy: 'pod-peak' });
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/configs',
      payload: {
        name: 'staging-prom',
        url: prometheus.url,
        cluster_name: 'staging',
        auth_kind: 'bearer',
        secret: PROM_TOKEN,
      },
    });
    expect(locked.statusCode).toBe(201);
    // as left by a key rotation whose old key is gone
    const otherKey = new AesGcmSecretBox(Buffer.alloc(32, 9));
    await t.runtime.database.db
      .updateTable('prometheus_sources')
      .set({ sealed_secret: otherKey.seal(PROM_TOKEN) })
      .where('name', '=', 'staging-prom')
      .execute();
    const result = await sync();
    expect(result.ok).toBe(false);
    expect(result.sources.map((s: { name: string; ok: boolean }) => [s.name, s.ok])).toEqual([
      ['prom', true],
      ['staging-prom', false],
    ]);
    expect(result.sources[1]).toMatchObject({ queries: 0, namespaces: 0 });
    expect(result.sources[1].errors).toEqual([
      {
        code: 'secret_unreadable',
        message: expect.stringMatching(
          /^staging-prom: a stored secret was encrypted with key [0-9a-f]{8}, which is not configured; set KRA_SECRET_KEY/,
        ),
      },
    ]);
    expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
    const test = (
      await t.app.inject({ method: 'POST', url: `/api/prometheus/configs/${locked.json().id}/test` })
    ).json();
    expect(test).toMatchObject({ ok: false, error_kind: 'secret_unreadable' });
  });

  it('authenticates with a bearer token and a tenant header, and never returns them', async () => {
    const proxy = await FaultyProxy.start(prometheus.url);
    proxy.requireHeaders({ ...bearerAuth(PROM_TOKEN), 'x-scope-orgid': 'tenant-a' });
    try {
      await addSource({
        url: proxy.url,
        auth_kind: 'bearer',
        secret: PROM_TOKEN,
        headers: { 'X-Scope-OrgID': 'tenant-a' },
      });
      // "test" asks whether the metrics have series now: now is half an hour after the day, inside the data
      t.runtime.clock.set(new Date((END + 30 * MINUTE) * 1000));
      const test = (await t.app.inject({ method: 'POST', url: '/api/prometheus/configs/1/test' })).json();
      expect(test).toMatchObject({ ok: true, version: '2.42.0+ds' });
      expect((await sync()).ok).toBe(true);
      const list = await t.app.inject({ url: '/api/prometheus/configs' });
      expect(list.json().items[0]).toMatchObject({ auth_kind: 'bearer', header_names: ['X-Scope-OrgID'] });
      expect(list.body).not.toContain(PROM_TOKEN);
      expect(list.body).not.toContain('tenant-a');

      proxy.requireHeaders({ ...bearerAuth('something-else') });
      const refused = await sync();
      expect(refused.sources[0].errors[0]).toMatchObject({ code: 'unauthorized' });
    } finally {
      await proxy.stop();
    }
  });

  it('cancels a range sync at once, its query in flight included, and keeps nothing of the day cut short', async () => {
    const proxy = await FaultyProxy.start(prometheus.url, { mode: 'slow', delayMs: 20_000 });
    try {
      await addSource({ url: proxy.url, strategy: 'pod-peak', timeout_seconds: 60 });
      const started = await t.app.inject({
        method: 'POST',
        url: '/api/prometheus/sync?from=2026-11-19&to=2026-11-21',
      });
      expect(started.statusCode).toBe(202);
      const { id } = started.json();
      // both of the first day's queries are held by the proxy
      for (let i = 0; i < 200 && proxy.requests.length < 2; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(proxy.requests).toHaveLength(2);
      const cancelledAt = Date.now();
      const cancel = await t.app.inject({ method: 'DELETE', url: `/api/prometheus/sync/jobs/${id}` });
      expect(cancel.statusCode).toBe(200);
      expect(cancel.json()).toMatchObject({ id, total_days: 3 });
      let job = cancel.json();
      for (let i = 0; i < 400 && job.status === 'running'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        job = (await t.app.inject({ url: `/api/prometheus/sync/jobs/${id}` })).json();
      }
      // well before the proxy would have answered (20 s)
      expect(Date.now() - cancelledAt).toBeLessThan(5_000);
      expect(job).toMatchObject({ status: 'cancelled', current_date: null });
      expect(job.results).toHaveLength(1);
      expect(job.results[0]).toMatchObject({ date: '2026-11-19', ok: false });
      expect(job.results[0].sources[0].errors.map((e: { code: string }) => e.code)).toEqual(['cancelled']);
      expect(proxy.requests).toHaveLength(2);
      expect((await t.app.inject({ url: '/api/reports' })).json().items).toEqual([]);

      const unknown = await t.app.inject({ method: 'DELETE', url: '/api/prometheus/sync/jobs/nope' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toBe('no sync job nope');
    } finally {
      await proxy.stop();
    }
  });

  it('backfills a range day by day in the background, with progress', async () => {
    await addSource({ strategy: 'pod-peak' });
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/sync?from=2026-11-19&to=2026-11-21',
    });
    expect(started.statusCode).toBe(202);
    const { id } = started.json();
    let job = started.json();
    for (let i = 0; i < 200 && job.status === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await t.app.inject({ url: `/api/prometheus/sync/jobs/${id}` })).json();
    }
    expect(job).toMatchObject({ status: 'succeeded', total_days: 3, done_days: 3, current_date: null });
    expect(job.results.map((r: { date: string; ok: boolean }) => [r.date, r.ok])).toEqual([
      ['2026-11-19', true],
      ['2026-11-20', true],
      ['2026-11-21', true],
    ]);
    expect(await namespaceUsage('retail')).toEqual({ shop: [3.3, 9.25], 'shop-b': [2, 2] });
    const future = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/sync?from=2026-11-20&to=2026-11-30',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toBe('2026-11-30 is not over yet; the last complete day is 2026-11-24');
  });
});
