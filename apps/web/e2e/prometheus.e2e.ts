import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/http/app';
import { createRuntime, DEFAULT_KUBERNETES } from '../../server/src/main';
import type { Runtime } from '../../server/src/main';
import type { FakeClusterState } from '../../server/test/helpers/fake-kube-apiserver/types';
import {
  cpuCounter,
  HOUR,
  memoryGauge,
  MINUTE,
  openMetrics,
  PrometheusServer,
} from '../../server/test/helpers/prometheus';
import type { MetricFamily } from '../../server/test/helpers/prometheus';
import { readSheet, workbookWith } from '../../server/test/helpers/workbooks';
import { addDays, dateInZone } from '../src/lib/dates';
import { AppShell, ClustersPage, PrometheusPage, QuotasPage, ReportsPage } from './pages';
import { launchBrowser, screenshotPath } from './support/browser';
import { startFakeKube, type FakeKube } from './support/fake-kube';

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const TOKEN = 'kra-usage-reader-51c2';
const PROJECT = 'cpaas.io/project';
const ZONE = 'Asia/Shanghai';
const GiB = 1024 ** 3;

/**
 * The connection test asks whether the metrics have series *now*, and the app's clock is real here:
 * the data runs from two days ago to three hours from now, and the day synced is yesterday in the
 * app's zone (Asia/Shanghai has no daylight saving, so a day is 24 h from its local midnight).
 */
const DATE = addDays(dateInZone(new Date(), ZONE), -1);
const PREVIOUS = addDays(DATE, -1);
const START = Date.parse(`${DATE}T00:00:00+08:00`) / 1000;
const NOON = START + 12 * HOUR;
const FIRST = START - 26 * HOUR;
const LAST = Math.ceil(Date.now() / 1000) + 3 * HOUR;

interface ContainerSpec {
  namespace: string;
  pod: string;
  /** '' for the pod-level cgroup, 'POD' for the pause container. */
  container: string;
  from: number;
  to: number;
  cores: number;
  memoryGiB: number;
  cluster?: string;
}

function container(spec: ContainerSpec): MetricFamily[] {
  const ref = {
    namespace: spec.namespace,
    pod: spec.pod,
    container: spec.container,
    cluster: spec.cluster ?? 'prod',
    from: spec.from,
    to: spec.to,
    scrapeSeconds: 60,
  };
  return [
    cpuCounter({ ...ref, coresUsed: () => spec.cores }),
    memoryGauge({ ...ref, bytes: () => spec.memoryGiB * GiB }),
  ];
}

function up(cluster: string): MetricFamily {
  const points: [number, number][] = [];
  for (let t = FIRST; t <= LAST; t += 60) points.push([t, 1]);
  return {
    name: 'up',
    type: 'gauge',
    samples: [{ labels: { job: 'kubelet', instance: '10.0.0.1:10250', cluster }, points }],
  };
}

const allTime = { from: FIRST, to: LAST };

/**
 * cAdvisor data of cluster "prod" (selector cluster="prod"), every figure chosen to be worked out by hand:
 *   shop/api (Deployment, 2 replicas) rolled over at noon of DATE: two pods 0.5 core / 1 GiB until
 *     12:00, two new ones 0.6 / 1.5 GiB from 12:10;
 *   shop/db-0 (StatefulSet): postgres 1 core / 4 GiB, plus the pod-level cgroup and the pause
 *     container, which must not count;
 *   batch (no workloads): etl-a 1 core / 1 GiB 02:00–04:00 and etl-b 2 / 3 GiB 10:00–12:00 of DATE;
 *   sandbox/debug: a namespace of no project (not stored);
 *   and a 5-core pod of cluster "staging" the selector leaves out.
 * Replica dedup on DATE keeps ⌊2 × 1.5⌋ = 3 api pods: 0.6 + 0.6 + 0.5 = 1.7 cores, 1.5 + 1.5 + 1 = 4 GiB;
 *   shop = 1.7 + 1 = 2.7 cores, 4 + 4 = 8 GiB (project retail); batch = 3 cores, 4 GiB (analytics);
 *   8 pods seen (4 api, db-0, etl-a, etl-b, debug).
 * On PREVIOUS only the old api pods ran: shop = 0.5 + 0.5 + 1 = 2 cores, 1 + 1 + 4 = 6 GiB; 4 pods.
 * Now: 6 CPU and 6 memory series of "prod" (new api ×2, db-0 ×3, debug) and 1 `up` series.
 */
function dataset(): string {
  return openMetrics([
    ...['bbbbb', 'ccccc'].flatMap((s) =>
      container({
        namespace: 'shop',
        pod: `api-6b7c8d9f5-${s}`,
        container: 'app',
        from: FIRST,
        to: NOON,
        cores: 0.5,
        memoryGiB: 1,
      }),
    ),
    ...['ddddd', 'fffff'].flatMap((s) =>
      container({
        namespace: 'shop',
        pod: `api-7d9f8b6c5-${s}`,
        container: 'app',
        from: NOON + 10 * MINUTE,
        to: LAST,
        cores: 0.6,
        memoryGiB: 1.5,
      }),
    ),
    ...container({
      namespace: 'shop',
      pod: 'db-0',
      container: 'postgres',
      ...allTime,
      cores: 1,
      memoryGiB: 4,
    }),
    ...container({ namespace: 'shop', pod: 'db-0', container: '', ...allTime, cores: 1.1, memoryGiB: 4.5 }),
    ...container({
      namespace: 'shop',
      pod: 'db-0',
      container: 'POD',
      ...allTime,
      cores: 0.01,
      memoryGiB: 0.001,
    }),
    ...container({
      namespace: 'batch',
      pod: 'etl-a',
      container: 'etl',
      from: START + 2 * HOUR,
      to: START + 4 * HOUR,
      cores: 1,
      memoryGiB: 1,
    }),
    ...container({
      namespace: 'batch',
      pod: 'etl-b',
      container: 'etl',
      from: START + 10 * HOUR,
      to: START + 12 * HOUR,
      cores: 2,
      memoryGiB: 3,
    }),
    ...container({
      namespace: 'sandbox',
      pod: 'debug',
      container: 'shell',
      ...allTime,
      cores: 0.1,
      memoryGiB: 0.25,
    }),
    ...container({
      namespace: 'shop',
      pod: 'api-5f6d7c8b9-ggggg',
      container: 'app',
      ...allTime,
      cores: 5,
      memoryGiB: 10,
      cluster: 'staging',
    }),
    up('prod'),
    up('staging'),
  ]);
}

const CLUSTER: FakeClusterState = {
  namespaces: [
    { name: 'shop', labels: { [PROJECT]: 'retail' } },
    { name: 'batch', labels: { [PROJECT]: 'analytics' } },
    { name: 'sandbox' },
  ],
  deployments: [{ namespace: 'shop', name: 'api', replicas: 2 }],
  statefulsets: [{ namespace: 'shop', name: 'db', replicas: 1 }],
};

describe('Prometheus usage in the browser', () => {
  let dir: string;
  let prometheus: PrometheusServer;
  let kube: FakeKube;
  let runtime: Runtime;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-e2e-prom-'));
    prometheus = await PrometheusServer.start({ openMetrics: dataset() });
    kube = await startFakeKube({ state: CLUSTER });
    kube.addToken(TOKEN, 'usage-reader');
    runtime = await createRuntime({
      database: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
      defaultTimezone: ZONE,
      secrets: { previousKeys: [], keyFile: path.join(dir, 'secret.key') },
      kubernetes: { ...DEFAULT_KUBERNETES, timeoutMs: 5000 },
    });
    app = await buildApp(runtime.services, {
      health: { status: 'ok', version: 'e2e', database: 'sqlite' },
      maxUploadBytes: 64 * 1024 * 1024,
      webDist: WEB_DIST,
      logger: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await runtime?.close();
    await kube?.stop();
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Transitions finished (a table's loading veil fades out after its data arrived). */
  const shoot = async (name: string, options: { fullPage?: boolean } = {}) => {
    // A full page is laid out from the top: scrolled, the sticky header and menu would sit mid-page.
    if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath(name), animations: 'disabled', ...options });
  };

  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('offers Prometheus接入 as a built menu that explains its strategies', async () => {
    const shell = new AppShell(page);
    await shell.open('/reports');
    await shell.navigate('prometheus');
    const prom = new PrometheusPage(page);
    await prom.waitIdle();
    expect(await prom.names()).toEqual([]);
    const help = await prom.strategyHelpText();
    for (const part of [
      'Pod 峰值',
      '副本去重（精确同步）',
      '同时峰值',
      '日均值',
      'max_over_time(',
      'sum by (namespace, pod) (',
      'max by (namespace, pod, container) (',
      'irate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m])',
      'and timestamp(container_cpu_usage_seconds_total{…}) > <day start>',
      ')[<day seconds>s − 15m:<step>]',
      '[15m:<step>] @ <day start + 15m>',
      ') / <steps>',
      '⌊2 × 1.5⌋ = 3',
      '23 或 25 小时',
      '先统计当天每个容器的序列数',
      'sum(max by (pod)(max_over_time(irate(container_cpu_usage_seconds_total[5m])[1d:])))',
    ]) {
      expect(help).toContain(part);
    }
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-19-prometheus-strategies', { fullPage: true });
  });

  it('adds the cluster and the quotas the usage maps to', async () => {
    const clusters = new ClustersPage(page);
    await clusters.goto();
    expect(
      await clusters.addCluster({
        name: 'prod',
        kubeconfig: kube.kubeconfig({ auth: 'token', token: TOKEN }),
        quotaSource: 'resourcequota',
        projectLabel: PROJECT,
      }),
    ).toEqual([]);
    const quotas = new QuotasPage(page);
    await quotas.goto();
    expect(
      await quotas.addQuota({ cloud_id: '3001', project_name: 'retail', cpu_quota: 10, memory_quota: 16 }),
    ).toEqual([]);
    expect(
      await quotas.addQuota({ cloud_id: '3002', project_name: 'analytics', cpu_quota: 2.5, memory_quota: 8 }),
    ).toEqual([]);
  });

  it('adds a replica-dedup source, naming a bad selector under its field and a second source of the cluster', async () => {
    const prom = new PrometheusPage(page);
    await prom.goto();
    const source = {
      name: 'prom-prod',
      url: prometheus.url,
      cluster: 'prod',
      selector: 'cluster="prod"',
      strategy: 'replica-dedup' as const,
      tolerance: 1.5,
      auth: 'bearer' as const,
      secret: 'prom-token-8d2f',
      headers: { 'X-Scope-OrgID': 'tenant-a' },
    };
    // a step of 0s would divide the day's average by zero: the form says so before sending
    expect(await prom.addSource({ ...source, step: '0s' })).toEqual([
      '步长须为 1s 到 1h 之间的整秒数，例如 30s 或 1m',
    ]);
    await prom.cancelForm();
    expect(await prom.addSource({ ...source, selector: 'cluster=prod' })).toEqual([
      '"cluster=prod" is not a list of label matchers such as cluster="prod"',
    ]);
    await shoot('e2e-20-prometheus-add-invalid');
    await prom.cancelForm();

    expect(await prom.addSource(source)).toEqual([]);
    expect(await prom.row('prom-prod')).toMatchObject({
      url: prometheus.url,
      cluster: 'prod',
      selector: 'cluster="prod"',
      strategy: 'replica-dedup',
      strategyText: '副本去重（精确同步）',
      auth: 'bearer',
      tlsWarning: false,
      lastTest: 'none',
      lastSyncOk: null,
    });

    const duplicate = await prom.addSource({ name: 'prom-prod-2', url: prometheus.url, cluster: 'prod' });
    expect(duplicate).toEqual(['cluster "prod" already has a source']);
    await prom.cancelForm();

    // A source of a cluster not connected under K8s接入, skipping TLS verification, on a closed port.
    expect(
      await prom.addSource({
        name: 'prom-down',
        url: 'https://127.0.0.1:1',
        cluster: 'staging',
        insecure: true,
      }),
    ).toEqual([]);
    expect(await prom.row('prom-down')).toMatchObject({
      cluster: 'staging',
      selector: null,
      tlsWarning: true,
    });
    expect(await prom.names()).toEqual(['prom-down', 'prom-prod']);
  });

  it('tests the sources: version, targets and series per metric, or what to check', async () => {
    const prom = new PrometheusPage(page);
    const ok = await prom.testSource('prom-prod', { keepOpen: true });
    expect(ok).toMatchObject({ ok: true, errorKind: null, title: '连接正常', targets: 1 });
    expect(ok.version).toMatch(/^2\./);
    expect(ok.metrics).toEqual([
      { name: 'container_cpu_usage_seconds_total', series: 6 },
      { name: 'container_memory_usage_bytes', series: 6 },
    ]);
    await shoot('e2e-21-prometheus-test-ok');
    await prom.closeTest();

    const down = await prom.testSource('prom-down', { keepOpen: true });
    expect(down).toMatchObject({ ok: false, errorKind: 'unreachable', title: '无法连接', version: null });
    expect(down.message).toContain('127.0.0.1:1');
    expect(down.hint).toContain('URL');
    await shoot('e2e-22-prometheus-test-failed');
    await prom.closeTest();
    expect(await prom.row('prom-prod')).toMatchObject({ lastTest: 'ok' });
    expect(await prom.row('prom-down')).toMatchObject({ lastTest: 'failed', lastTestText: '无法连接' });
  });

  it('syncs the day: one row per source with the figures worked out by hand', async () => {
    const prom = new PrometheusPage(page);
    const result = await prom.syncDate(['prom-prod'], DATE);
    expect(result).toMatchObject({ ok: true, date: DATE, error: null });
    expect(result.summary).toBe(`${DATE}：1 个数据源全部同步成功`);
    expect(result.sources).toEqual([
      {
        source: 'prom-prod',
        ok: true,
        namespaces: 2,
        pods: 8,
        unassigned: 1,
        // per metric: the census of its series, then every pod's series at once (each pod has one container)
        queries: 4,
        retries: 0,
        batches: 1,
        duration: expect.stringMatching(/^\d+(\.\d)? m?s$/),
        errors: [],
      },
    ]);
    expect(await noHorizontalScroll()).toBe(true);
    await page.getByTestId('usage-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-23-prometheus-sync-day');
    expect((await prom.row('prom-prod')).lastSyncOk).toBe(true);
    // the list keeps what the sync did
    expect(await prom.lastSync('prom-prod', { keepOpen: true })).toEqual({
      figures: '2 个命名空间',
      result: { ...result.sources[0], duration: expect.stringMatching(/^\d+(\.\d)? m?s$/) },
    });
    await shoot('e2e-23-prometheus-last-sync');
    await prom.closeLastSync();
  });

  it("shows the projects' usage from Prometheus and a namespace's workload detail", async () => {
    const reports = new ReportsPage(page);
    expect(await reports.goto(DATE)).toBe('ready');
    expect(await reports.row('retail')).toMatchObject({
      cpuUsage: '2.7',
      cpuQuota: '10',
      cpuRate: '27.00%',
      memoryUsage: '8.00',
      memoryQuota: '16.00',
      memoryRate: '50.00%',
      source: 'Prometheus',
    });
    expect(await reports.row('analytics')).toMatchObject({
      cpuUsage: '3',
      cpuQuota: '2.5',
      cpuRate: '120.00%',
      overQuota: true,
      memoryUsage: '4.00',
      memoryRate: '50.00%',
      source: 'Prometheus',
    });
    expect(await reports.expandNamespaces('retail')).toEqual([
      {
        namespace: 'shop',
        cluster: 'prod',
        cpu: '2.7',
        memory: '8.00',
        source: 'Prometheus',
        counted: true,
        hasWorkloads: true,
      },
    ]);
    expect(await reports.workloadDetail('retail', 'shop')).toEqual([
      {
        kind: 'Deployment',
        name: 'api',
        replicas: '2',
        podsSeen: 4,
        podsKept: 3,
        cpu: '1.7',
        memory: '4.00',
      },
      { kind: 'StatefulSet', name: 'db', replicas: '1', podsSeen: 1, podsKept: 1, cpu: '1', memory: '4.00' },
    ]);
    await shoot('e2e-24-report-workloads');
    await reports.closeWorkloadDetail();
    expect(await reports.workloadDetail('analytics', 'batch')).toEqual([
      { kind: null, name: 'etl-a', replicas: '—', podsSeen: 1, podsKept: 1, cpu: '1', memory: '1.00' },
      { kind: null, name: 'etl-b', replicas: '—', podsSeen: 1, podsKept: 1, cpu: '2', memory: '3.00' },
    ]);
    await reports.closeWorkloadDetail();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-25-report-prometheus');
  });

  it('cancels a long range sync', async () => {
    const prom = new PrometheusPage(page);
    await prom.goto();
    const from = addDays(DATE, -300);
    const to = addDays(DATE, -2);
    const started = await prom.startRange(['prom-prod'], from, to);
    expect(started).toMatchObject({ status: 'running', total: 299 });
    const cancelled = await prom.cancelRange();
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.done).toBeLessThan(299);
    // Days before the data have no container metrics: each one failed, and nothing was stored.
    expect(cancelled.days.every((day) => !day.ok && day.errors === 1)).toBe(true);
    await shoot('e2e-26-prometheus-range-cancelled');
  });

  it('runs a two-day range in the background and watches it complete', async () => {
    const prom = new PrometheusPage(page);
    const job = await prom.syncRange(['prom-prod'], PREVIOUS, DATE);
    expect(job).toMatchObject({ status: 'succeeded', done: 2, total: 2, progressText: '2 / 2 天' });
    expect(job.days).toEqual([
      { date: PREVIOUS, ok: true, namespaces: 1, pods: 4, unassigned: 1, queries: 4, errors: 0 },
      { date: DATE, ok: true, namespaces: 2, pods: 8, unassigned: 1, queries: 4, errors: 0 },
    ]);
    expect((await prom.recentJobs()).map((j) => [j.range, j.status])).toEqual([
      [`${PREVIOUS} ~ ${DATE}`, 'succeeded'],
      [`${addDays(DATE, -300)} ~ ${addDays(DATE, -2)}`, 'cancelled'],
    ]);
    expect((await prom.row('prom-prod')).lastSyncOk).toBe(true);
    expect(await noHorizontalScroll()).toBe(true);
    await page.getByTestId('usage-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-27-prometheus-range');

    const reports = new ReportsPage(page);
    await reports.goto(PREVIOUS);
    // Only the old api pods and db-0 ran: 2 of 10 cores, 6 of 16 GiB.
    expect(await reports.row('retail')).toMatchObject({
      cpuUsage: '2',
      cpuRate: '20.00%',
      memoryRate: '37.50%',
    });
  });

  it('imports sources from the template and deletes one', async () => {
    const prom = new PrometheusPage(page, dir);
    await prom.goto();
    const template = await readSheet(fs.readFileSync(await prom.downloadTemplate()));
    expect(template.rows[0]).toEqual(['配置名称', 'Prometheus URL', '集群名称', '精确同步']);
    const file = path.join(dir, 'sources.xlsx');
    fs.writeFileSync(
      file,
      await workbookWith([
        ['配置名称', 'Prometheus URL', '集群名称', '精确同步'],
        ['prom-dr', 'http://127.0.0.1:9', 'dr', '否'],
        ['prom-bad', 'prometheus:9090', 'qa', '也许'],
      ]),
    );
    const outcome = await prom.importSources(file, { partial: true });
    expect(outcome).toMatchObject({
      stored: true,
      counts: { total_rows: 2, created: 1, updated: 0, rejected_rows: 1 },
    });
    expect(outcome.errors.map((e) => [e.row, e.column])).toEqual([
      ['3', 'D (精确同步)'],
      ['3', 'B (Prometheus URL)'],
    ]);
    expect(await prom.row('prom-dr')).toMatchObject({ strategy: 'pod-peak', cluster: 'dr' });
    await prom.deleteSource('prom-dr');
    expect(await prom.names()).toEqual(['prom-down', 'prom-prod']);
    await page.mouse.move(0, 0);
    await shoot('e2e-28-prometheus-sources');
  });

  it('reads well in English at 1280 px', async () => {
    const shell = new AppShell(page);
    await shell.setLanguage('en');
    const prom = new PrometheusPage(page);
    await prom.goto();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-29-prometheus-en');

    await page.getByTestId('source-edit').last().click();
    expect(await prom.keptHeadersNote()).toContain('X-Scope-OrgID');
    await page.getByTestId('source-form-kept-headers').scrollIntoViewIfNeeded();
    await shoot('e2e-30-prometheus-edit-en');
    await prom.cancelForm();

    const test = await prom.testSource('prom-down', { keepOpen: true });
    expect(test.title).toBe('Unreachable');
    await shoot('e2e-31-prometheus-test-en');
    await prom.closeTest();

    const day = await prom.syncDate(['prom-prod'], DATE);
    expect(day.summary).toBe(`${DATE}: all 1 source(s) synced`);
    await prom.strategyHelpText();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-32-prometheus-en-full', { fullPage: true });

    const reports = new ReportsPage(page);
    await reports.goto(DATE);
    await reports.workloadDetail('retail', 'shop');
    await shoot('e2e-33-report-workloads-en');
    await reports.closeWorkloadDetail();
    await shell.setLanguage('zh');
  });
});
