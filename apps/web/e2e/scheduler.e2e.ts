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
import { addDays, dateInZone } from '../src/lib/dates';
import { AppShell, ClustersPage, MENU, ReportsPage, SchedulerPage, type MenuKey } from './pages';
import { launchBrowser, screenshotPath } from './support/browser';
import { startFakeKube, type FakeKube } from './support/fake-kube';

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const TOKEN = 'kra-scheduler-3b7e';
const PROJECT = 'cpaas.io/project';
const ZONE = 'Asia/Shanghai';

/** Three namespaces (one of no project) with two quotas, and the ProjectQuota of retail. */
const CLUSTER: FakeClusterState = {
  namespaces: [
    { name: 'shop', labels: { [PROJECT]: 'retail' } },
    { name: 'batch', labels: { [PROJECT]: 'analytics' } },
    { name: 'sandbox' },
  ],
  resourcequotas: [
    {
      name: 'compute',
      namespace: 'shop',
      spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi' } },
      status: { used: { 'limits.cpu': '2', 'limits.memory': '4Gi' } },
    },
    {
      name: 'compute',
      namespace: 'batch',
      spec: { hard: { 'limits.cpu': '4', 'limits.memory': '8Gi' } },
    },
  ],
  projectquotas: [{ name: 'retail', spec: { hard: { 'limits.cpu': '10', 'limits.memory': '32Gi' } } }],
};

/** The instant of `time` (HH:mm) on `date` in Asia/Shanghai, which has no daylight saving. */
const instant = (date: string, time: string) => Date.parse(`${date}T${time}:00+08:00`);

/** The next `count` runs after now of a schedule running at `times` on the days `onDay` accepts. */
function expectedRuns(times: string[], onDay: (date: string) => boolean = () => true, count = 3): string[] {
  const now = Date.now();
  const runs: string[] = [];
  for (let date = dateInZone(new Date(), ZONE); runs.length < count; date = addDays(date, 1)) {
    if (!onDay(date)) continue;
    for (const time of times)
      if (instant(date, time) > now && runs.length < count) runs.push(`${date} ${time}`);
  }
  return runs;
}

const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

describe('schedules and job history in the browser', () => {
  let dir: string;
  let kube: FakeKube;
  let runtime: Runtime;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-e2e-scheduler-'));
    kube = await startFakeKube({ state: CLUSTER });
    kube.addToken(TOKEN, 'kra-reader');
    // buildApp does not start the scheduler's timer (server.ts does): every run here is a "Run now".
    runtime = await createRuntime({
      database: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
      defaultTimezone: ZONE,
      secrets: { previousKeys: [], keyFile: path.join(dir, 'secret.key') },
      // Long enough for the slow run below, whose namespace list is held for several seconds.
      kubernetes: { ...DEFAULT_KUBERNETES, timeoutMs: 20_000 },
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
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const shoot = async (name: string, options: { fullPage?: boolean } = {}) => {
    // A full page is laid out from the top: scrolled, the sticky header and menu would sit mid-page.
    if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath(name), animations: 'disabled', ...options });
  };

  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  const sched = () => new SchedulerPage(page);
  const runIdOf = (outcome: Awaited<ReturnType<SchedulerPage['runNow']>>) => {
    if (!('runId' in outcome)) throw new Error(`Run now was refused: ${outcome.conflict}`);
    return outcome.runId;
  };

  it('opens every menu on its built page: none is coming soon any more', async () => {
    const shell = new AppShell(page);
    await shell.open('/reports');
    expect(await shell.menuTooltip('scheduler')).toBe('配置自动同步任务的时间和间隔');
    const labels = await shell.menuLabels();
    const keys = Object.keys(MENU) as MenuKey[];
    expect(labels).toHaveLength(keys.length);
    for (const [index, key] of keys.entries()) {
      await shell.navigate(key);
      await shell
        .pageTitle()
        .and(page.getByText(labels[index] ?? '', { exact: true }))
        .waitFor();
    }
  });

  it("shows the seed's default schedules: quota syncs at 02:00, Prometheus at 03:00, every 24 h", async () => {
    const scheduler = sched();
    await scheduler.goto();
    expect(await scheduler.globalSettings()).toEqual({
      enabled: true,
      catchUp: true,
      catchUpDays: 7,
      keepRunsDays: 30,
      timezone: ZONE,
    });
    const daily = {
      enabled: true,
      mode: 'daily',
      interval: '24',
      paused: false,
      retries: 2,
      backoffSeconds: 300,
      retryText: '失败后依次等待 5 分钟、10 分钟再重试',
    };
    for (const job of ['namespace-quota-sync', 'project-quota-sync'] as const) {
      expect(await scheduler.schedule(job)).toMatchObject({
        ...daily,
        time: '02:00',
        expression: '0 2 * * *',
        scheduleText: '每天 02:00',
      });
      expect(await scheduler.nextRuns(job)).toEqual(expectedRuns(['02:00']));
    }
    expect(await scheduler.schedule('prometheus-sync')).toMatchObject({
      ...daily,
      time: '03:00',
      expression: '0 3 * * *',
      scheduleText: '每天 03:00',
    });
    expect(await scheduler.nextRuns('prometheus-sync')).toEqual(expectedRuns(['03:00']));
    expect(await scheduler.status('namespace-quota-sync')).toEqual({
      running: null,
      lastRun: null,
      lastSuccess: null,
    });
    const rules = await scheduler.rules();
    expect(rules.exactlyOnce).toContain('每个计划时间点只运行一次');
    expect(rules.changes).toContain('已经过去的时间点不会立即运行');
    expect(rules.catchUp).toContain('只补跑一次');
    expect(rules.catchUp).toContain('最近 7 天');
    expect(rules.retries).toContain('待执行的重试会被取消并记录原因');
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-34-scheduler');
    await shoot('e2e-35-scheduler-full', { fullPage: true });
  });

  it('runs the namespace-quota job every 6 h from 01:00: four times a day', async () => {
    const scheduler = sched();
    expect(
      await scheduler.setDaily('namespace-quota-sync', { hour: 1, minute: 0, intervalHours: 6 }),
    ).toEqual([]);
    expect(await scheduler.schedule('namespace-quota-sync')).toMatchObject({
      mode: 'daily',
      time: '01:00',
      interval: '6',
      expression: '0 1,7,13,19 * * *',
      scheduleText: '每天 01:00、07:00、13:00、19:00',
    });
    expect(await scheduler.nextRuns('namespace-quota-sync')).toEqual(
      expectedRuns(['01:00', '07:00', '13:00', '19:00']),
    );
    // The other quota job keeps its own schedule.
    expect((await scheduler.schedule('project-quota-sync')).expression).toBe('0 2 * * *');
  });

  it("refuses an interval that drifts across days with the server's reason, and one over a day", async () => {
    const scheduler = sched();
    expect(await scheduler.setDaily('namespace-quota-sync', { hour: 1, intervalHours: 48 })).toEqual([
      '请输入 1 到 24 的整数小时；更长的间隔请用 Cron 表达式',
    ]);
    expect(await scheduler.setDaily('namespace-quota-sync', { hour: 1, intervalHours: 5 })).toEqual([
      'every 5 h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), 24, or a cron expression',
    ]);
    await scheduler.card('namespace-quota-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-36-scheduler-invalid-interval');
    await scheduler.goto();
    expect((await scheduler.schedule('namespace-quota-sync')).expression).toBe('0 1,7,13,19 * * *');
  });

  it('takes a cron expression, naming a bad one, and retries with doubling waits', async () => {
    const scheduler = sched();
    const [bad, ...rest] = await scheduler.setCron('prometheus-sync', 'every day');
    expect(rest).toEqual([]);
    expect(bad).toMatch(/^"every day" is not a cron expression/);
    expect(await scheduler.setCron('prometheus-sync', '30 1 * * 1-5')).toEqual([]);
    expect(await scheduler.schedule('prometheus-sync')).toMatchObject({
      mode: 'cron',
      cron: '30 1 * * 1-5',
      expression: '30 1 * * 1-5',
      scheduleText: null,
    });
    const workday = (date: string) => weekday(date) >= 1 && weekday(date) <= 5;
    expect(await scheduler.nextRuns('prometheus-sync')).toEqual(expectedRuns(['01:30'], workday));

    expect(await scheduler.setJob('prometheus-sync', { retries: 3, backoffSeconds: 600 })).toEqual([]);
    expect(await scheduler.schedule('prometheus-sync')).toMatchObject({
      mode: 'cron',
      retries: 3,
      backoffSeconds: 600,
      retryText: '失败后依次等待 10 分钟、20 分钟、40 分钟再重试',
    });
    await scheduler.card('prometheus-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-37-scheduler-cron');
  });

  it('switches catch-up and the whole scheduler, keeping what was saved', async () => {
    const scheduler = sched();
    expect(await scheduler.setGlobal({ catchUp: false, catchUpDays: 3, keepRunsDays: 14 })).toEqual([]);
    await scheduler.goto();
    expect(await scheduler.globalSettings()).toMatchObject({
      catchUp: false,
      catchUpDays: 3,
      keepRunsDays: 14,
    });
    expect((await scheduler.rules()).catchUp).toContain('最近 3 天');

    expect(await scheduler.setGlobal({ enabled: false })).toEqual([]);
    expect(await page.getByTestId('scheduler-off').isVisible()).toBe(true);
    expect((await scheduler.schedule('project-quota-sync')).paused).toBe(true);
    await scheduler.card('namespace-quota-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-38-scheduler-off');
    expect(await scheduler.setJob('project-quota-sync', { enabled: false })).toEqual([]);
    expect(await scheduler.setGlobal({ enabled: true, catchUp: true })).toEqual([]);
    expect((await scheduler.schedule('project-quota-sync')).paused).toBe(true);
    expect((await scheduler.schedule('namespace-quota-sync')).paused).toBe(false);
    expect(await scheduler.setJob('project-quota-sync', { enabled: true })).toEqual([]);
    expect((await scheduler.schedule('project-quota-sync')).paused).toBe(false);
  });

  it('skips the Prometheus job when no source is configured, saying so', async () => {
    const scheduler = sched();
    const id = runIdOf(await scheduler.runNow('prometheus-sync'));
    expect(await scheduler.waitForRun(id)).toMatchObject({
      id,
      job: 'prometheus-sync',
      trigger: 'manual',
      status: 'skipped',
      summary: 'no Prometheus source is configured: add one under Prometheus接入 first',
    });
    expect(await scheduler.status('prometheus-sync')).toMatchObject({
      lastRun: { id, status: 'skipped' },
      lastSuccess: null,
    });
    expect(await scheduler.runDetail(id)).toMatchObject({
      status: 'skipped',
      trigger: '手动',
      slot: '无（不是计划运行）',
      attempt: '第 1 次',
      clusters: [],
      days: [],
    });
  });

  it('runs the quota jobs now against a cluster: succeeded, with the per-cluster result', async () => {
    const clusters = new ClustersPage(page);
    await clusters.goto();
    expect(
      await clusters.addCluster({
        name: 'prod',
        kubeconfig: kube.kubeconfig({ auth: 'token', token: TOKEN }),
        quotaSource: 'projectquota',
        projectLabel: PROJECT,
      }),
    ).toEqual([]);
    const scheduler = sched();
    await scheduler.goto();
    const id = runIdOf(await scheduler.runNow('namespace-quota-sync'));
    const row = await scheduler.waitForRun(id);
    expect(row).toMatchObject({ job: 'namespace-quota-sync', trigger: 'manual', status: 'succeeded' });
    expect(row.summary).toBe('namespace quotas: 1 of 1 cluster(s) synced (3 created, 0 updated, 0 removed)');
    const detail = await scheduler.runDetail(id, { keepOpen: true });
    expect(detail).toMatchObject({ status: 'succeeded', trigger: '手动', attempt: '第 1 次' });
    expect(detail.instance).toMatch(/:\d+$/);
    expect(detail.clusters).toEqual([
      expect.objectContaining({ cluster: 'prod', ok: true, created: 3, namespaces: 3, errors: [] }),
    ]);
    // The "run started" toast would cover the drawer's title.
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
    await shoot('e2e-39-scheduler-run-detail');
    await scheduler.closeRunDetail();

    const projects = runIdOf(await scheduler.runNow('project-quota-sync'));
    expect((await scheduler.waitForRun(projects)).status).toBe('succeeded');
    expect((await scheduler.status('namespace-quota-sync')).lastSuccess).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );
    expect((await scheduler.runs({ job: 'project-quota-sync' })).map((r) => r.id)).toEqual([projects]);
    expect((await scheduler.runs({ status: 'skipped' })).map((r) => r.job)).toEqual(['prometheus-sync']);
  });

  it('refuses a second run while one runs, then cancels it', async () => {
    // The namespace list answers after 6 s: long enough to click twice and cancel.
    kube.delay({ method: 'GET', path: '/api/v1/namespaces', ms: 6000, times: 1 });
    const scheduler = sched();
    const id = runIdOf(await scheduler.runNow('namespace-quota-sync'));
    expect(await scheduler.runningRun('namespace-quota-sync')).toBe(id);
    expect(await scheduler.runNow('namespace-quota-sync')).toEqual({
      conflict: `namespace-quota-sync is already running (run ${id}); wait for it or cancel it`,
    });
    expect((await scheduler.runs({ status: 'running' })).map((r) => r.id)).toEqual([id]);
    await scheduler.card('namespace-quota-sync').scrollIntoViewIfNeeded();
    await shoot('e2e-40-scheduler-run-conflict');
    const cancelled = await scheduler.cancel(id);
    expect(cancelled).toMatchObject({ id, status: 'cancelled', summary: 'cancelled' });
    expect((await scheduler.status('namespace-quota-sync')).running).toBeNull();
    await page.getByTestId('run-history').scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await shoot('e2e-41-scheduler-history');
  });

  it('shows on 报表查看 whether the synced data is fresh', async () => {
    const reports = new ReportsPage(page);
    expect(await reports.goto()).toBe('empty');
    const fresh = await reports.jobFreshness();
    expect(fresh.map((f) => [f.job, f.status])).toEqual([
      ['namespace-quota-sync', 'cancelled'],
      ['project-quota-sync', 'succeeded'],
      ['prometheus-sync', 'skipped'],
    ]);
    expect(fresh[0]?.lastSuccess).toMatch(/^最近成功 \d\d-\d\d \d\d:\d\d$/);
    expect(fresh[2]?.lastSuccess).toBeNull();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-42-reports-freshness');
    await reports.openScheduler();
    await sched().goto();
  });

  it('reads well in English at 1280 px', async () => {
    const shell = new AppShell(page);
    await shell.setLanguage('en');
    const scheduler = sched();
    await scheduler.goto();
    expect(await scheduler.schedule('namespace-quota-sync')).toMatchObject({
      scheduleText: 'Daily at 01:00, 07:00, 13:00, 19:00',
      retryText: 'Retried after waiting 5 min, 10 min',
    });
    expect((await scheduler.rules()).changes).toContain(
      'a time that has already passed does not run at once',
    );
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-43-scheduler-en');
    await shoot('e2e-44-scheduler-en-full', { fullPage: true });
    const [latest] = await scheduler.runs({ job: 'project-quota-sync' });
    const detail = await scheduler.runDetail(latest?.id ?? 0, { keepOpen: true });
    expect(detail).toMatchObject({ trigger: 'Manual', slot: 'None (not a scheduled run)', attempt: '#1' });
    await shoot('e2e-45-scheduler-run-detail-en');
    await scheduler.closeRunDetail();

    const reports = new ReportsPage(page);
    await reports.goto();
    expect((await reports.jobFreshness())[1]?.lastSuccess).toMatch(/^last OK \d\d-\d\d \d\d:\d\d$/);
    await shoot('e2e-46-reports-freshness-en');
    await shell.setLanguage('zh');
  });
});
