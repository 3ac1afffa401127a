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
import { workbookWith } from '../../server/test/helpers/workbooks';
import { AppShell, ClustersPage, NamespaceQuotasPage, QuotasPage, closeSyncDialog } from './pages';
import { launchBrowser, screenshotPath } from './support/browser';
import { startFakeKube, type FakeKube } from './support/fake-kube';

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const TOKEN = 'kra-reader-7f3a9c';
const PROJECT = 'cpaas.io/project';

/**
 * Four namespaces; by hand, from the ResourceQuotas below (several quotas of a namespace: the
 * tightest hard limit binds, and each reports the namespace's whole usage):
 *   team-a-api (2 quotas): CPU min(4, 6) = 4 cores, 1500m used = 1.5 → 37.50 %; memory 8 GiB, 6Gi
 *     used → 75.00 %; pods 6 of 20 → 30.00 %; storage 25Gi of 100Gi → 25.00 %.
 *   team-a-web: requests.cpu 2, 1800m used → 90.00 %; requests.memory 4Gi, 3584Mi = 3.5 GiB → 87.50 %.
 *   team-b-db: 500m = 0.5 cores, 750m used → 150.00 % (over); 1Gi, 512Mi used → 50.00 %; pods 3 of 4.
 *   sandbox: no label (no project) and no quota.
 * ProjectQuotas: team-a limits 10 cores / 32Gi; team-b requests 4 / 8Gi.
 */
const CLUSTER: FakeClusterState = {
  namespaces: [
    { name: 'team-a-api', labels: { [PROJECT]: 'team-a' } },
    { name: 'team-a-web', labels: { [PROJECT]: 'team-a' } },
    { name: 'team-b-db', labels: { [PROJECT]: 'team-b' } },
    { name: 'sandbox' },
  ],
  resourcequotas: [
    {
      name: 'compute',
      namespace: 'team-a-api',
      spec: { hard: { 'limits.cpu': '4', 'limits.memory': '8Gi' } },
      status: { used: { 'limits.cpu': '1500m', 'limits.memory': '6Gi' } },
    },
    {
      name: 'objects',
      namespace: 'team-a-api',
      spec: { hard: { 'limits.cpu': '6', pods: '20', 'requests.storage': '100Gi' } },
      status: { used: { 'limits.cpu': '1500m', pods: '6', 'requests.storage': '25Gi' } },
    },
    {
      name: 'default',
      namespace: 'team-a-web',
      spec: { hard: { 'requests.cpu': '2', 'requests.memory': '4Gi' } },
      status: { used: { 'requests.cpu': '1800m', 'requests.memory': '3584Mi' } },
    },
    {
      name: 'default',
      namespace: 'team-b-db',
      spec: { hard: { 'limits.cpu': '500m', 'limits.memory': '1Gi', pods: '4' } },
      status: { used: { 'limits.cpu': '750m', 'limits.memory': '512Mi', pods: '3' } },
    },
  ],
  projectquotas: [
    { name: 'team-a', spec: { hard: { 'limits.cpu': '10', 'limits.memory': '32Gi' } } },
    { name: 'team-b', spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi' } } },
  ],
};

describe('Kubernetes clusters in the browser', () => {
  let dir: string;
  let kube: FakeKube;
  let runtime: Runtime;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-e2e-k8s-'));
    kube = await startFakeKube({ state: CLUSTER });
    kube.addToken(TOKEN, 'kra-reader', ['platform-ops']);
    runtime = await createRuntime({
      database: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
      defaultTimezone: 'Asia/Shanghai',
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
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Transitions finished (a table's loading veil fades out after its data arrived). */
  const shoot = (name: string, options: { fullPage?: boolean } = {}) =>
    page.screenshot({ path: screenshotPath(name), animations: 'disabled', ...options });

  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('offers K8s接入 and 命名空间配额 as built menus', async () => {
    const shell = new AppShell(page);
    await shell.open('/k8s');
    expect(await shell.menuTooltip('k8s')).toBe('配置K8s集群连接信息，支持批量导入多个集群');
    await shell.navigate('namespaceQuotas');
    expect(await new NamespaceQuotasPage(page).isEmpty()).toBe(true);
    await page.mouse.move(0, 0);
    await shoot('e2e-06-namespace-quotas-empty');
  });

  it('names every problem of a broken kubeconfig and keeps the drawer open', async () => {
    const clusters = new ClustersPage(page);
    await clusters.goto();
    const broken = kube.kubeconfig({ auth: 'token', token: TOKEN }).replace(/current-context:.*\n/, '');
    const errors = await clusters.addCluster({ name: 'prod', kubeconfig: broken });
    expect(errors).toEqual(['the kubeconfig has no current-context']);
    await shoot('e2e-07-k8s-add-invalid');
    await clusters.cancelForm();
    expect(await clusters.names()).toEqual([]);
  });

  it('adds clusters from pasted YAML and base64, and tests their connections', async () => {
    const clusters = new ClustersPage(page);
    expect(
      await clusters.addCluster({
        name: 'prod',
        kubeconfig: kube.kubeconfig({ auth: 'token', token: TOKEN }),
        quotaSource: 'projectquota',
        projectLabel: PROJECT,
      }),
    ).toEqual([]);
    const wrongToken = kube.kubeconfig({
      auth: 'token',
      token: 'expired-token',
      insecureSkipTlsVerify: true,
    });
    expect(
      await clusters.addCluster({
        name: 'staging',
        kubeconfig: Buffer.from(wrongToken).toString('base64'),
        quotaSource: 'resourcequota',
        projectLabel: null,
      }),
    ).toEqual([]);
    expect(await clusters.names()).toEqual(['prod', 'staging']);
    expect(await clusters.row('prod')).toMatchObject({
      server: kube.url,
      authKind: 'token',
      quotaSource: 'projectquota',
      projectLabel: PROJECT,
      tlsWarning: false,
      lastTest: 'none',
      lastSyncOk: null,
    });
    expect(await clusters.row('staging')).toMatchObject({
      quotaSource: 'resourcequota',
      projectLabel: null,
      tlsWarning: true,
    });

    const ok = await clusters.testConnection('prod', { keepOpen: true });
    expect(ok).toMatchObject({
      ok: true,
      errorKind: null,
      title: '连接正常',
      version: 'v1.30.4',
      identity: 'kra-reader',
      projectQuotaCrd: true,
    });
    expect(ok.groups).toEqual(['platform-ops', 'system:authenticated']);
    expect(ok.permissions.map((p) => [p.resource, p.allowed, p.purpose])).toEqual([
      ['namespaces', true, '命名空间与项目配额同步'],
      ['resourcequotas', true, '命名空间与项目配额同步'],
      ['deployments', true, 'Prometheus 精确同步（按副本去重）'],
      ['statefulsets', true, 'Prometheus 精确同步（按副本去重）'],
      ['daemonsets', true, 'Prometheus 精确同步（按副本去重）'],
      ['jobs', true, 'Prometheus 精确同步（按副本去重）'],
      ['cronjobs', true, 'Prometheus 精确同步（按副本去重）'],
      ['projectquotas', true, '项目配额同步'],
    ]);
    await shoot('e2e-08-k8s-test-ok');
    await clusters.closeTest();

    const refused = await clusters.testConnection('staging', { keepOpen: true });
    expect(refused).toMatchObject({ ok: false, errorKind: 'unauthorized', title: '认证失败', version: null });
    expect(refused.message).toContain('401 Unauthorized');
    expect(refused.hint).toContain('token');
    await shoot('e2e-09-k8s-test-failed');
    await clusters.closeTest();
    expect((await clusters.row('prod')).lastTest).toBe('ok');
    expect(await clusters.row('staging')).toMatchObject({ lastTest: 'failed', lastTestText: '认证失败' });
  });

  it('syncs namespace quotas of every cluster: one synced, one refused', async () => {
    const clusters = new ClustersPage(page);
    const result = await clusters.syncNamespaces(undefined, { keepOpen: true });
    expect(result.ok).toBe(false);
    const [prod, staging] = result.clusters;
    expect(prod).toMatchObject({
      cluster: 'prod',
      ok: true,
      created: 4,
      updated: 0,
      removed: 0,
      namespaces: 4,
      skipped: null,
      errors: [],
    });
    expect(prod?.requests).toBeGreaterThan(0);
    expect(staging).toMatchObject({ cluster: 'staging', ok: false, created: 0 });
    expect(staging?.errors.join('\n')).toContain('401 Unauthorized');
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-10-k8s-sync-result');
    await closeSyncDialog(page);
    expect((await clusters.row('prod')).lastSyncOk).toBe(true);
    expect((await clusters.row('staging')).lastSyncOk).toBe(false);
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-11-k8s-clusters');
  });

  it('shows the namespace quotas with the values worked out by hand', async () => {
    const shell = new AppShell(page);
    await shell.navigate('namespaceQuotas');
    const quotas = new NamespaceQuotasPage(page);
    await quotas.waitIdle();
    await page.mouse.move(0, 0);
    expect(await quotas.namespaces()).toEqual(['sandbox', 'team-a-api', 'team-a-web', 'team-b-db']);
    expect(await quotas.row('prod', 'team-a-api')).toMatchObject({
      project: 'team-a',
      cpuLimit: '4',
      cpuUsed: '1.5',
      cpuRate: '37.50%',
      memoryLimit: '8.00',
      memoryUsed: '6.00',
      memoryRate: '75.00%',
      podsLimit: '20',
      podsUsed: '6',
      podsRate: '30.00%',
      storageLimit: '100.00',
      storageUsed: '25.00',
      storageRate: '25.00%',
      quotaCount: 2,
      source: 'k8s',
    });
    expect(await quotas.row('prod', 'team-a-web')).toMatchObject({
      cpuLimit: '2',
      cpuUsed: '1.8',
      cpuRate: '90.00%',
      memoryUsed: '3.50',
      memoryRate: '87.50%',
      podsRate: '—',
      storageLimit: '—',
      quotaCount: 1,
    });
    expect(await quotas.row('prod', 'team-b-db')).toMatchObject({
      cpuLimit: '0.5',
      cpuUsed: '0.75',
      cpuRate: '150.00%',
      memoryRate: '50.00%',
      podsRate: '75.00%',
    });
    expect(await quotas.row('prod', 'sandbox')).toMatchObject({
      project: null,
      cpuLimit: '—',
      cpuRate: '—',
      quotaCount: 0,
    });
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-12-namespace-quotas', { fullPage: true });

    await quotas.filter({ cluster: 'prod', project: 'team-a' });
    expect(await quotas.namespaces()).toEqual(['team-a-api', 'team-a-web']);
    await quotas.filter({ search: 'b-db' });
    expect(await quotas.namespaces()).toEqual(['team-b-db']);
    await quotas.filter({});
    await quotas.deleteNamespaceQuota('prod', 'sandbox');
    expect(await quotas.namespaces()).toEqual(['team-a-api', 'team-a-web', 'team-b-db']);
  });

  it('syncs project quotas from the ProjectQuota CRD, leaving a manual quota alone', async () => {
    const quotas = new QuotasPage(page);
    await quotas.goto();
    expect(
      await quotas.addQuota({ cloud_id: '2001', project_name: 'team-b', cpu_quota: 3, memory_quota: 6 }),
    ).toEqual([]);
    const result = await quotas.syncFromClusters(['prod'], { keepOpen: true });
    expect(result.clusters).toEqual([
      expect.objectContaining({ cluster: 'prod', ok: true, created: 1, skipped: 1, namespaces: null }),
    ]);
    expect(result.skippedProjects).toEqual(['team-b']);
    await shoot('e2e-13-quotas-k8s-sync');
    await closeSyncDialog(page);

    expect(await quotas.row('team-a')).toEqual({
      cloudId: 'team-a',
      projectName: 'team-a',
      cpuQuota: '10',
      memoryQuota: '32.00',
      source: 'K8s',
    });
    expect(await quotas.row('team-b')).toMatchObject({ cloudId: '2001', cpuQuota: '3', source: '手动' });
    expect(await quotas.clusterShares('team-a')).toEqual([
      { cluster: 'prod', cpuQuota: '10', memoryQuota: '32.00', origin: 'projectquota' },
    ]);

    // A sync names a new project's 云序号 after it; setting the real one keeps the quota synced.
    expect(await quotas.editQuota('team-a', { cloud_id: '1001' })).toEqual([]);
    expect(await quotas.row('1001')).toMatchObject({ projectName: 'team-a', source: 'K8s' });
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-14-quotas-k8s');
  });

  it('imports clusters from the template and deletes one', async () => {
    const clusters = new ClustersPage(page);
    await clusters.goto();
    const file = path.join(dir, 'clusters.xlsx');
    fs.writeFileSync(
      file,
      await workbookWith([
        ['集群名称', 'Kubeconfig (Base64编码或原始内容)', '使用ProjectQuota'],
        ['dr', Buffer.from(kube.kubeconfig({ auth: 'token', token: TOKEN })).toString('base64'), '否'],
        ['broken', 'apiVersion: v1', '是'],
      ]),
    );
    const outcome = await clusters.importClusters(file, { partial: true });
    expect(outcome).toMatchObject({
      stored: true,
      counts: { total_rows: 2, created: 1, updated: 0, rejected_rows: 1 },
    });
    expect(outcome.errors.map((e) => [e.row, e.column])).toEqual([
      ['3', 'B (Kubeconfig (Base64编码或原始内容))'],
    ]);
    expect(await clusters.row('dr')).toMatchObject({ quotaSource: 'resourcequota', projectLabel: PROJECT });
    await clusters.deleteCluster('staging');
    expect(await clusters.names()).toEqual(['dr', 'prod']);
  });

  it('reads well in English at 1280 px', async () => {
    const shell = new AppShell(page);
    await shell.setLanguage('en');
    const clusters = new ClustersPage(page);
    await clusters.goto();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-15-k8s-clusters-en');
    const test = await clusters.testConnection('prod', { keepOpen: true });
    expect(test.title).toBe('Connection OK');
    await shoot('e2e-16-k8s-test-en');
    await clusters.closeTest();

    const namespaces = new NamespaceQuotasPage(page);
    await namespaces.goto();
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-17-namespace-quotas-en', { fullPage: true });

    const quotas = new QuotasPage(page);
    await quotas.goto();
    await quotas.clusterShares('1001');
    expect(await noHorizontalScroll()).toBe(true);
    await shoot('e2e-18-quotas-en');
    await shell.setLanguage('zh');
  });
});
