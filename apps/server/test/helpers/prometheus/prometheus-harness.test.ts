// Proves the Prometheus harness end to end against the real Prometheus 2.42: a day of cAdvisor-like data is
// written as OpenMetrics, imported with promtool and queried with the PromQL shapes the product uses. The
// expected values are worked out by hand from the generators' functions; the day-boundary tests pin down
// what Prometheus itself does around midnight, which the product's daily figures inherit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY,
  DEFAULT_INSTANCE,
  FaultyProxy,
  HOUR,
  MINUTE,
  PROMETHEUS_ERRORS,
  PrometheusApiError,
  PrometheusServer,
  basicAuth,
  bearerAuth,
  cpuCounter,
  memoryGauge,
  openMetrics,
  utc,
  withLabels,
} from './index';
import type { ContainerSeriesLabels, MetricFamily } from './index';

const DAY_START = utc('2026-11-20T00:00:00Z');
/** Where the product evaluates day 2026-11-20: the start of the next day. */
const EVAL = DAY_START + DAY;
const MB = 1_000_000;
const SCRAPE = 30;
/** An hour either side of the day, so the day's first and last subquery steps have data around them. */
const AROUND_THE_DAY = { from: DAY_START - HOUR, to: EVAL + HOUR, scrapeSeconds: SCRAPE };
const SECOND_INSTANCE = '10.0.0.2:10250';

/** True from `start` (inclusive) for `minutes`. */
const during = (start: number, minutes: number) => (t: number) => t >= start && t < start + minutes * MINUTE;
/** True on the scrape interval ending at t, i.e. for counters: the CPU used just before t. */
const cpuDuring = (start: number, minutes: number) => (t: number) =>
  t > start && t <= start + minutes * MINUTE;

const NOON = DAY_START + 12 * HOUR;
const EVENING = DAY_START + 18 * HOUR;

function container(
  ref: ContainerSeriesLabels,
  cores: (t: number) => number,
  bytes: (t: number) => number,
): MetricFamily[] {
  return [
    cpuCounter({ ...ref, ...AROUND_THE_DAY, coresUsed: cores }),
    memoryGauge({ ...ref, ...AROUND_THE_DAY, bytes }),
  ];
}

const web1 = { namespace: 'shop', pod: 'web-1' };
const web2 = { namespace: 'shop', pod: 'web-2' };
const web2App = container(
  { ...web2, container: 'app' },
  () => 0.5,
  () => 200 * MB,
);

/** The shop namespace: web-1 has two containers plus the pod cgroup and pause series the queries must skip. */
const shop: MetricFamily[] = [
  // 0.5 cores, 2 cores for the ten minutes after noon; 100 MB, 300 MB for the ten minutes from noon.
  ...container(
    { ...web1, container: 'app' },
    (t) => (cpuDuring(NOON, 10)(t) ? 2 : 0.5),
    (t) => (during(NOON, 10)(t) ? 300 * MB : 100 * MB),
  ),
  // 0.25 cores; 50 MB, 80 MB for the half hour from 18:00.
  ...container(
    { ...web1, container: 'sidecar' },
    () => 0.25,
    (t) => (during(EVENING, 30)(t) ? 80 * MB : 50 * MB),
  ),
  // cAdvisor's pod cgroup (container="") and the pause container: large enough to show if a query counts them.
  ...container(
    { ...web1, container: '' },
    () => 10,
    () => 10_000 * MB,
  ),
  ...container(
    { ...web1, container: 'POD' },
    () => 5,
    () => 5_000 * MB,
  ),
  ...web2App,
];

/** Pods living only on the far side of a midnight, to see what leaks into the day. */
const jobs: MetricFamily[] = [
  // Last scraped at 23:59 the day before.
  memoryGauge({
    namespace: 'jobs',
    pod: 'batch-0',
    container: 'worker',
    from: DAY_START - HOUR,
    to: DAY_START - MINUTE,
    scrapeSeconds: SCRAPE,
    bytes: () => 700 * MB,
  }),
  // First scraped at 00:00 the day after.
  memoryGauge({
    namespace: 'jobs',
    pod: 'batch-1',
    container: 'worker',
    from: EVAL,
    to: EVAL + HOUR,
    scrapeSeconds: SCRAPE,
    bytes: () => 900 * MB,
  }),
];

/** A label value needing every escape, to see it come back intact through promtool and Prometheus. */
const AWKWARD = 'back\\slash "quoted"\nnewline';
const escaped: MetricFamily = {
  name: 'kra_escape_check',
  type: 'gauge',
  samples: [{ labels: { value: AWKWARD }, points: [[DAY_START, 1]] }],
};

/** Without container="" and "POD", one value per container even when two kubelets/jobs scraped it. */
const CONTAINERS = 'container!="",container!="POD"';
const memoryPeak = `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (container_memory_usage_bytes{${CONTAINERS}}))[1d:1m])`;
const cpuPeak = `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (irate(container_cpu_usage_seconds_total{${CONTAINERS}}[5m])))[1d:1m])`;

let prometheus: PrometheusServer;

beforeAll(async () => {
  prometheus = await PrometheusServer.start({
    // The second scrape of web-2 comes as a separate import: its blocks overlap the first import's hours.
    openMetrics: [
      openMetrics([...shop, ...jobs, escaped]),
      openMetrics(web2App.map((f) => withLabels(f, { instance: SECOND_INSTANCE }))),
    ],
  });
});

afterAll(async () => {
  await prometheus?.stop();
});

describe('openMetrics', () => {
  it('writes counters under a family without _total, escapes labels, sorts points and ends with # EOF', () => {
    const text = openMetrics([
      {
        name: 'c_total',
        type: 'counter',
        help: 'Help with "quotes"',
        samples: [
          {
            labels: { b: 'x', a: AWKWARD, empty: '' },
            points: [
              [20, 2],
              [10, 1],
            ],
          },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP c Help with \\"quotes\\"',
        '# TYPE c counter',
        'c_total{a="back\\\\slash \\"quoted\\"\\nnewline",b="x"} 1 10',
        'c_total{a="back\\\\slash \\"quoted\\"\\nnewline",b="x"} 2 20',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values so that they reach PromQL unchanged', async () => {
    const [series] = await prometheus.vector('kra_escape_check', DAY_START);
    expect(series?.metric.value).toBe(AWKWARD);
  });

  it('refuses what promtool would silently drop or reject', () => {
    const gauge = (points: [number, number][], labels = {}): MetricFamily => ({
      name: 'g',
      type: 'gauge',
      samples: [{ labels, points }],
    });
    expect(() =>
      openMetrics([
        gauge([
          [1, 1],
          [1, 2],
        ]),
      ]),
    ).toThrow(/two points at 1/);
    expect(() => openMetrics([gauge([[1, 1]]), gauge([[2, 1]], { a: '' })])).toThrow(/series given twice/);
    expect(() => openMetrics([{ name: 'c', type: 'counter', samples: [] }])).toThrow(/_total/);
    expect(() => openMetrics([gauge([[1, NaN]])])).toThrow(/non-finite/);
  });
});

describe('the imported day in the real Prometheus', () => {
  it('answers a plain range function over the day', async () => {
    const peaks = await prometheus.vector(
      'max_over_time(container_memory_usage_bytes{container="app"}[1d])',
      EVAL,
    );
    expect(peaks.map((p) => [p.metric.pod, p.metric.instance, p.value]).sort()).toEqual([
      ['web-1', DEFAULT_INSTANCE, 300 * MB],
      ['web-2', DEFAULT_INSTANCE, 200 * MB],
      ['web-2', SECOND_INSTANCE, 200 * MB],
    ]);
    // The labels the generators put on, as cAdvisor scraped by kube-prometheus would have them.
    const web1Peak = peaks.find((p) => p.metric.pod === 'web-1');
    expect(web1Peak?.metric).toMatchObject({
      namespace: 'shop',
      container: 'app',
      job: 'kubelet',
      metrics_path: '/metrics/cadvisor',
      image: 'docker.io/library/app:latest',
    });
    expect(web1Peak?.metric.name).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers the per-pod memory peak subquery, ignoring the pod cgroup, the pause container and the duplicate', async () => {
    const peaks = await prometheus.vector(memoryPeak, EVAL);
    expect(peaks).toEqual([
      // The two pods that never ran on the 20th: see the day-boundary tests below.
      { metric: { namespace: 'jobs', pod: 'batch-0' }, value: 700 * MB },
      { metric: { namespace: 'jobs', pod: 'batch-1' }, value: 900 * MB },
      // app 300 + sidecar 50 at noon beats app 100 + sidecar 80 in the evening.
      { metric: { namespace: 'shop', pod: 'web-1' }, value: 350 * MB },
      { metric: { namespace: 'shop', pod: 'web-2' }, value: 200 * MB },
    ]);
  });

  it('answers the irate-based CPU peak subquery', async () => {
    // A counter growing by 0.5 core-seconds per second has an irate of 0.5.
    const web2Rate = await prometheus.vector(
      `irate(container_cpu_usage_seconds_total{pod="web-2",instance="${DEFAULT_INSTANCE}"}[5m])`,
      DAY_START + 6 * HOUR,
    );
    expect(web2Rate.map((r) => r.value)).toEqual([0.5]);

    const peaks = await prometheus.vector(cpuPeak, EVAL);
    expect(peaks).toEqual([
      // app at 2 cores in the ten minutes after noon, sidecar at 0.25 throughout.
      { metric: { namespace: 'shop', pod: 'web-1' }, value: 2.25 },
      { metric: { namespace: 'shop', pod: 'web-2' }, value: 0.5 },
    ]);
    // Without the max by container, the second scrape of web-2 doubles its CPU.
    const naive = await prometheus.vector(
      `max_over_time(sum by (pod) (irate(container_cpu_usage_seconds_total{pod="web-2"}[5m]))[1d:1m])`,
      EVAL,
    );
    expect(naive.map((r) => r.value)).toEqual([1]);
  });
});

describe('PromQL around midnight (Prometheus 2.42)', () => {
  const batch0 = 'container_memory_usage_bytes{pod="batch-0"}';

  it('a range selector [1d] includes both ends, so a sample at exactly 00:00 counts for two days', async () => {
    const [count] = await prometheus.vector(
      `count_over_time(container_memory_usage_bytes{pod="web-2",instance="${DEFAULT_INSTANCE}"}[1d])`,
      EVAL,
    );
    expect(count?.value).toBe(DAY / SCRAPE + 1);
    // batch-1's first sample, at 00:00 of the next day, is in the day's range.
    const batch1 = await prometheus.vector(
      'max_over_time(container_memory_usage_bytes{pod="batch-1"}[1d])',
      EVAL,
    );
    expect(batch1.map((r) => r.value)).toEqual([900 * MB]);
    // batch-0, last scraped at 23:59 the day before, is not.
    expect(await prometheus.vector(`max_over_time(${batch0}[1d])`, EVAL)).toEqual([]);
  });

  it('a subquery step sees the last sample up to 5 minutes back (lookback-delta), across midnight', async () => {
    // Imported data carries no staleness markers, so a series that stopped stays visible for the lookback.
    const at = async (t: number) => (await prometheus.vector(batch0, t)).map((r) => r.value);
    expect(await at(DAY_START + MINUTE)).toEqual([700 * MB]); // 00:01 sees 23:59
    expect(await at(DAY_START - MINUTE + 5 * MINUTE)).toEqual([700 * MB]); // exactly 5 minutes later: still
    expect(await at(DAY_START - MINUTE + 5 * MINUTE + 1)).toEqual([]);
    // So the [1d:1m] subquery, whose first step is 00:00 of the day, counts the 23:59 sample at 00:00..00:04.
    const [steps] = await prometheus.vector(`count_over_time(${batch0}[1d:1m])`, EVAL);
    expect(steps?.value).toBe(5);
  });
});

describe('errors of the real Prometheus, as the product must classify them', () => {
  /** The status and body of a query Prometheus refuses. */
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof PrometheusApiError))
      throw new Error(`expected a PrometheusApiError, got ${error}`);
    return { status: error.status, body: error.body };
  };

  it('answers a syntax error, a timeout and a many-to-many match as the canned copies say', async () => {
    expect(await failure(prometheus.query('sum(rate(foo[5m]', EVAL))).toEqual(PROMETHEUS_ERRORS.badQuery);
    // About 0.3 s of work when let finish (345,600 steps), far beyond the 10 ms allowed.
    const slow = `max_over_time(sum(irate(container_cpu_usage_seconds_total[5m]))[1d:250ms])`;
    expect(await failure(prometheus.query(slow, EVAL, { timeout: '10ms' }))).toEqual(
      PROMETHEUS_ERRORS.timeout,
    );
    // A deadline passed before evaluation is reported from whichever earlier stage noticed it first.
    expect(await failure(prometheus.query('up', EVAL, { timeout: '0s' }))).toEqual({
      status: 503,
      body: {
        status: 'error',
        errorType: 'timeout',
        error: expect.stringMatching(/^query timed out in (query queue|query execution)$/),
      },
    });
    // 422 "execution" is not only "too expensive": a failed vector match has the same status and type.
    const manyToMany = await failure(
      prometheus.query('container_memory_usage_bytes + on (namespace) container_memory_usage_bytes', NOON),
    );
    expect(manyToMany.status).toBe(422);
    expect(manyToMany.body.errorType).toBe('execution');
    expect(manyToMany.body.error).toMatch(/many-to-many matching not allowed/);
  });

  it('answers a query over --query.max-samples with 422 execution', async () => {
    const small = await PrometheusServer.start({
      openMetrics: openMetrics(web2App),
      extraArgs: ['--query.max-samples=1000'],
    });
    try {
      // 2,881 samples in the day's range, over the limit of 1,000.
      expect(await failure(small.query('max_over_time(container_memory_usage_bytes[1d])', EVAL))).toEqual(
        PROMETHEUS_ERRORS.tooManySamples,
      );
      expect(await small.peakRssBytes()).toBeGreaterThan(1024 * 1024);
    } finally {
      await small.stop();
    }
  });
});

describe('FaultyProxy', () => {
  let proxy: FaultyProxy;
  beforeAll(async () => {
    proxy = await FaultyProxy.start(prometheus.url);
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  /** What the product sends: a form POST to /api/v1/query. */
  const post = (promql: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${proxy.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ query: promql, time: String(EVAL) }),
      signal,
    });

  it('passes queries through and records path, parameters and headers', async () => {
    await proxy.setMode('pass');
    proxy.requests.length = 0;
    const headers = { ...bearerAuth('s3cret'), 'X-Scope-OrgID': 'tenant-a' };
    const answer = await post(memoryPeak, headers);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data: { result: unknown[] } };
    expect(body.data.result).toHaveLength(4);
    await fetch(`${proxy.url}/api/v1/status/buildinfo`);

    expect(proxy.queries()).toEqual([memoryPeak]);
    expect(proxy.requests.map((r) => [r.method, r.path, r.outcome])).toEqual([
      ['POST', '/api/v1/query', 'passed'],
      ['GET', '/api/v1/status/buildinfo', 'passed'],
    ]);
    const [query] = proxy.requests;
    expect(query?.time).toBe(String(EVAL));
    expect(query?.headers.authorization).toBe('Bearer s3cret');
    expect(query?.headers['x-scope-orgid']).toBe('tenant-a');
  });

  it('answers 401 without the required headers', async () => {
    proxy.requireHeaders({ ...basicAuth('alice', 'pw'), 'X-Scope-OrgID': 'tenant-a' });
    try {
      expect((await post('up', basicAuth('alice', 'pw'))).status).toBe(401);
      expect((await post('up', bearerAuth('s3cret'))).status).toBe(401);
      const ok = await post('up', { ...basicAuth('alice', 'pw'), 'x-scope-orgid': 'tenant-a' });
      expect(ok.status).toBe(200);
      expect(proxy.requests.slice(-3).map((r) => r.outcome)).toEqual([
        'unauthorized',
        'unauthorized',
        'passed',
      ]);
    } finally {
      proxy.requireHeaders({});
    }
  });

  it('fails only the matching queries, only the first N times, with the real error shape', async () => {
    await proxy.setMode({ mode: 'error', ...PROMETHEUS_ERRORS.tooManySamples, match: /irate/, times: 1 });
    const first = await post(cpuPeak);
    expect(first.status).toBe(422);
    expect(await first.json()).toEqual(PROMETHEUS_ERRORS.tooManySamples.body);
    expect((await post(memoryPeak)).status).toBe(200);
    expect((await post(cpuPeak)).status).toBe(200);

    await proxy.setMode({ mode: 'error', status: 502, body: '<html>502 Bad Gateway</html>' });
    const gateway = await post('up');
    expect([gateway.status, gateway.headers.get('content-type'), await gateway.text()]).toEqual([
      502,
      'text/plain; charset=utf-8',
      '<html>502 Bad Gateway</html>',
    ]);
  });

  it('delays answers when slow, so a client timeout fires', async () => {
    await proxy.setMode({ mode: 'slow', delayMs: 300 });
    const started = Date.now();
    expect((await post('up')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await expect(post('up', {}, AbortSignal.timeout(50))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(proxy.requests.at(-1)?.outcome).toBe('slowed');
  });

  it('refuses connections when down and comes back on the same URL', async () => {
    await proxy.setMode('down');
    // The client's kept-alive connection was cut: a request already on its way over it fails with a socket
    // error ("other side closed") or, once the client has noticed, a refused connection, like any after it.
    await expect(post('up')).rejects.toThrow('fetch failed');
    await expect(post('up')).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await proxy.setMode('pass');
    expect((await post('up')).status).toBe(200);
  });
});
