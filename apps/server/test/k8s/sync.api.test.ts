import { Writable } from 'node:stream';
import path from 'node:path';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NAMESPACE_QUOTA_TEMPLATE_COLUMNS } from '@kra/contracts';
import { buildApp } from '../../src/http/app';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import type { NamespaceInput, ResourceQuotaInput } from '../helpers/fake-kube-apiserver/types';
import { multipartBody } from '../helpers/multipart';
import { buildTestApp, createTestRuntime, testDialects } from '../helpers/test-runtime';
import type { Dialect, TestApp } from '../helpers/test-runtime';
import { workbookWith } from '../helpers/workbooks';

const TOKEN = 'prod-token-4b1d9e';
const PROJECT = 'cpaas.io/project';

/**
 * prod: 1,200 namespaces and 1,200 ResourceQuotas, so each list takes 3 pages of 500.
 * pay-api has two quotas: CPU min(8, 6) = 6 cores, used 1.5 (25 %); memory 16 GiB, used 6 (37.5 %);
 *   pods 50, used 12 (24 %); storage 100 GiB, used 20 (20 %).
 * pay-db: requests only: CPU 2, used 0.5 (25 %); memory 4 GiB, used 1 (25 %).
 * search: plain cpu/memory: CPU 4, used 3 (75 %); memory 8 GiB, used 2 (25 %).
 * ns-0001 … ns-1196: no project, limits.cpu 1 each.
 */
function prodState(): { namespaces: NamespaceInput[]; resourcequotas: ResourceQuotaInput[] } {
  const fillers = Array.from({ length: 1196 }, (_, i) => `ns-${String(i + 1).padStart(4, '0')}`);
  return {
    namespaces: [
      { name: 'pay-api', labels: { [PROJECT]: 'payments' } },
      { name: 'pay-db', labels: { [PROJECT]: 'payments' } },
      { name: 'search', labels: { [PROJECT]: 'search' } },
      { name: 'kube-system' },
      ...fillers.map((name) => ({ name })),
    ],
    resourcequotas: [
      {
        namespace: 'pay-api',
        name: 'compute',
        spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50' } },
        status: { used: { 'limits.cpu': '1500m', 'limits.memory': '6Gi', pods: '12' } },
      },
      {
        namespace: 'pay-api',
        name: 'storage',
        spec: { hard: { 'requests.storage': '100Gi', 'limits.cpu': '6' } },
        status: { used: { 'requests.storage': '20Gi', 'limits.cpu': '1500m' } },
      },
      {
        namespace: 'pay-db',
        name: 'q',
        spec: { hard: { 'requests.cpu': '2', 'requests.memory': '4Gi' } },
        status: { used: { 'requests.cpu': '500m', 'requests.memory': '1Gi' } },
      },
      {
        namespace: 'search',
        name: 'q',
        spec: { hard: { cpu: '4', memory: '8Gi' } },
        status: { used: { cpu: '3', memory: '2Gi' } },
      },
      ...fillers.map((namespace) => ({ namespace, name: 'q', spec: { hard: { 'limits.cpu': '1' } } })),
    ],
  };
}

describe.each(testDialects())('quota syncs on %s', (dialect: Dialect) => {
  let prod: FakeKubeApiServer;
  let staging: FakeKubeApiServer;
  let t: TestApp;

  beforeEach(async () => {
    prod = await FakeKubeApiServer.start({
      state: {
        ...prodState(),
        projectquotas: [
          {
            name: 'payments',
            spec: { hard: { 'limits.cpu': '40', 'limits.memory': '80Gi', 'requests.cpu': '20' } },
          },
          { name: 'search', spec: { hard: { 'requests.cpu': '12', 'requests.memory': '24Gi' } } },
        ],
      },
    });
    prod.addToken(TOKEN, 'alice');
    staging = await FakeKubeApiServer.start({
      state: {
        projectQuotaCrd: false,
        namespaces: [
          { name: 'pay-stg', labels: { [PROJECT]: 'payments' } },
          { name: 'logs', labels: { [PROJECT]: 'logging' } },
        ],
        resourcequotas: [
          { namespace: 'pay-stg', name: 'q', spec: { hard: { 'limits.cpu': '4', 'limits.memory': '8Gi' } } },
          // caps only the pods that have a deadline (jobs): no limit on the namespace, so pay-stg stays 4 / 8
          {
            namespace: 'pay-stg',
            name: 'batch',
            spec: { hard: { 'limits.cpu': '1', 'limits.memory': '1Gi' }, scopes: ['Terminating'] },
          },
          { namespace: 'logs', name: 'q', spec: { hard: { 'limits.cpu': '2', 'limits.memory': '4Gi' } } },
        ],
      },
    });
    staging.addToken(TOKEN, 'alice');
    t = await buildTestApp(dialect, { kubernetes: { timeoutMs: 1000 } });
  });
  afterEach(async () => {
    await t.close();
    await prod.stop();
    await staging.stop();
  });

  const addCluster = async (name: string, api: FakeKubeApiServer, token = TOKEN) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/k8s/configs',
        payload: {
          name,
          kubeconfig: api.kubeconfig({ auth: 'token', token }),
          use_projectquota: true,
          project_label: PROJECT,
        },
      })
    ).json().id as number;
  const sync = async (kind: 'sync' | 'sync-project-quota', ids?: number[]) =>
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/k8s/${kind}${ids ? `?config_id=${ids.join(',')}` : ''}`,
      })
    ).json();
  const nsQuotas = async (query = '') => (await t.app.inject({ url: `/api/k8s/quotas${query}` })).json();
  const quotas = async () => (await t.app.inject({ url: '/api/quotas' })).json().items;

  it('lists namespaces and quotas cluster-wide in pages, never per namespace, and combines quotas per namespace', async () => {
    const id = await addCluster('prod', prod);
    prod.clearRequests();
    const result = await sync('sync');
    expect(result.ok).toBe(true);
    expect(result.clusters[0]).toMatchObject({
      cluster_name: 'prod',
      ok: true,
      created: 1200,
      updated: 0,
      unchanged: 0,
      removed: 0,
      namespaces: 1200,
      requests: 6,
      errors: [],
    });
    expect(
      prod.requests.map((r) => [r.path, r.query.limit, r.query.continue ? 'continue' : 'first']),
    ).toEqual([
      ['/api/v1/namespaces', '500', 'first'],
      ['/api/v1/resourcequotas', '500', 'first'],
      ['/api/v1/namespaces', '500', 'continue'],
      ['/api/v1/resourcequotas', '500', 'continue'],
      ['/api/v1/namespaces', '500', 'continue'],
      ['/api/v1/resourcequotas', '500', 'continue'],
    ]);
    const payments = await nsQuotas('?cluster=prod&project=payments');
    expect(payments.items).toEqual([
      {
        cluster_name: 'prod',
        namespace: 'pay-api',
        project_name: 'payments',
        cpu_limit: 6,
        memory_limit: 16,
        cpu_used: 1.5,
        memory_used: 6,
        pods_limit: 50,
        pods_used: 12,
        storage_limit: 100,
        storage_used: 20,
        cpu_rate: 25,
        memory_rate: 37.5,
        pods_rate: 24,
        storage_rate: 20,
        quota_count: 2,
        source: 'k8s',
        synced_at: '2026-11-25T08:00:00.000Z',
      },
      expect.objectContaining({
        namespace: 'pay-db',
        cpu_limit: 2,
        cpu_used: 0.5,
        cpu_rate: 25,
        memory_limit: 4,
        memory_used: 1,
        memory_rate: 25,
        pods_limit: null,
        pods_rate: null,
      }),
    ]);
    expect(
      (await nsQuotas('?search=sear')).items.map((q: { namespace: string; cpu_rate: number }) => [
        q.namespace,
        q.cpu_rate,
      ]),
    ).toEqual([['search', 75]]);
    expect((await nsQuotas('?cluster=prod')).total).toBe(1200);
    expect((await t.app.inject({ url: '/api/k8s/configs' })).json().items[0]).toMatchObject({
      id,
      last_sync_ok: true,
      last_sync_message: 'namespace quotas: 1200 created, 0 updated, 0 unchanged, 0 skipped, 0 removed',
    });
  });

  it('removes vanished namespaces after a successful sync only, and retries a server error', async () => {
    await addCluster('prod', prod);
    await sync('sync');
    const state = prodState();
    prod.setState({
      namespaces: state.namespaces.filter((n) => n.name !== 'search'),
      resourcequotas: state.resourcequotas.filter((q) => q.namespace !== 'search'),
    });

    prod.deny('alice', { verb: 'list', resource: 'resourcequotas' });
    const refused = await sync('sync');
    expect(refused.ok).toBe(false);
    expect(refused.clusters[0].errors[0].message).toBe(
      `prod: listing resourcequotas: forbidden (403): resourcequotas is forbidden: User "alice" cannot list resource "resourcequotas" in API group "" at the cluster scope; grant the permission to the kubeconfig's user`,
    );
    expect((await nsQuotas('?search=search')).total).toBe(1);

    prod.clearDenials();
    prod.fail({ path: '/api/v1/namespaces', status: 503, times: 2 });
    prod.clearRequests();
    const retried = await sync('sync');
    // 6 page requests + 2 answered 503 and retried
    expect(retried.clusters[0]).toMatchObject({ ok: true, removed: 1, unchanged: 1199, requests: 8 });
    expect((await nsQuotas('?search=search')).total).toBe(0);
  });

  it('syncs project quotas from the CRD, from namespace sums without it, summed over clusters, skipping manual quotas', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/quotas',
      payload: { cloud_id: 'S-1', project_name: 'search', cpu_quota: 1, memory_quota: 1 },
    });
    const prodId = await addCluster('prod', prod);
    const stagingId = await addCluster('staging', staging);
    const first = await sync('sync-project-quota');
    expect(first.ok).toBe(true);
    expect(first.skipped_projects).toEqual(['search']);
    const totals = (key: string) =>
      first.clusters.reduce((n: number, c: Record<string, number>) => n + c[key]!, 0);
    // payments is created by whichever cluster applies first and updated by the other; logging is created
    expect([totals('created'), totals('updated'), totals('skipped'), totals('removed')]).toEqual([
      2, 1, 1, 0,
    ]);
    // payments: 40 (prod ProjectQuota limits.cpu) + 4 (staging pay-stg) = 44 cores; 80 + 8 = 88 GiB.
    // 云序号 in code-point order: 'S-1' before 'logging' before 'payments'.
    expect(await quotas()).toEqual([
      expect.objectContaining({
        cloud_id: 'S-1',
        project_name: 'search',
        cpu_quota: 1,
        source: 'manual',
        clusters: [],
      }),
      {
        cloud_id: 'logging',
        project_name: 'logging',
        cpu_quota: 2,
        memory_quota: 4,
        source: 'k8s',
        clusters: [{ cluster_name: 'staging', cpu_quota: 2, memory_quota: 4, origin: 'resourcequota' }],
        updated_at: '2026-11-25T08:00:00.000Z',
      },
      {
        cloud_id: 'payments',
        project_name: 'payments',
        cpu_quota: 44,
        memory_quota: 88,
        source: 'k8s',
        clusters: [
          { cluster_name: 'prod', cpu_quota: 40, memory_quota: 80, origin: 'projectquota' },
          { cluster_name: 'staging', cpu_quota: 4, memory_quota: 8, origin: 'resourcequota' },
        ],
        updated_at: '2026-11-25T08:00:00.000Z',
      },
    ]);

    // repeating the synced figures changes nothing; the real 云序号 is set; the quota stays synced
    const same = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/payments',
      payload: { project_name: 'payments', cpu_quota: 44, memory_quota: 88 },
    });
    expect(same.json()).toMatchObject({ source: 'k8s' });
    await t.app.inject({ method: 'PUT', url: '/api/quotas/payments', payload: { cloud_id: 'P-001' } });
    const again = await sync('sync-project-quota', [prodId, stagingId]);
    expect(
      again.clusters.map((c: Record<string, unknown>) => [
        c.cluster_name,
        c.created,
        c.updated,
        c.unchanged,
        c.skipped,
      ]),
    ).toEqual([
      ['prod', 0, 0, 1, 1],
      ['staging', 0, 0, 2, 0],
    ]);

    staging.setState({ namespaces: [{ name: 'pay-stg', labels: { [PROJECT]: 'payments' } }] });
    const shrunk = await sync('sync-project-quota', [stagingId]);
    expect(shrunk.clusters[0]).toMatchObject({ removed: 1, unchanged: 1 });
    expect(
      (await quotas()).map((q: { cloud_id: string; cpu_quota: number }) => [q.cloud_id, q.cpu_quota]),
    ).toEqual([
      ['P-001', 44],
      ['S-1', 1],
    ]);
  });

  it('deleting a cluster takes its part out of the project quotas and its namespace quotas with it', async () => {
    const prodId = await addCluster('prod', prod);
    const stagingId = await addCluster('staging', staging);
    expect((await sync('sync')).ok).toBe(true);
    expect((await sync('sync-project-quota')).ok).toBe(true);
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/k8s/quotas/import',
      ...multipartBody([
        {
          field: 'file',
          fileName: 'ns.xlsx',
          content: await workbookWith([
            [...NAMESPACE_QUOTA_TEMPLATE_COLUMNS],
            ['staging', 'typed-in', 'logging', 1, 1, 0, 0, null, null, null, null],
            ['legacy', 'old-ns', 'payments', 2, 2, 1, 1, null, null, null, null],
          ]),
        },
      ]),
    });
    expect(imported.json()).toMatchObject({ stored: true, created: 2 });
    // search takes its figures from prod's ProjectQuota (12 cores, 24 GiB); typing new ones makes it manual
    const manual = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/search',
      payload: { cpu_quota: 5, memory_quota: 10 },
    });
    expect(manual.json()).toMatchObject({ cpu_quota: 5, memory_quota: 10, source: 'manual' });
    const figures = async () =>
      (await quotas()).map(
        (q: { cloud_id: string; cpu_quota: number; memory_quota: number; source: string }) => [
          q.cloud_id,
          q.cpu_quota,
          q.memory_quota,
          q.source,
        ],
      );
    // payments: 40 + 4 cores, 80 + 8 GiB; logging lives in staging only
    expect(await figures()).toEqual([
      ['logging', 2, 4, 'k8s'],
      ['payments', 44, 88, 'k8s'],
      ['search', 5, 10, 'manual'],
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/k8s/configs/${stagingId}` })).statusCode).toBe(
      204,
    );
    // payments keeps prod's 40 cores and 80 GiB; logging had no other cluster and is gone
    expect(await figures()).toEqual([
      ['payments', 40, 80, 'k8s'],
      ['search', 5, 10, 'manual'],
    ]);
    expect((await quotas()).find((q: { cloud_id: string }) => q.cloud_id === 'payments').clusters).toEqual([
      { cluster_name: 'prod', cpu_quota: 40, memory_quota: 80, origin: 'projectquota' },
    ]);
    // the synced and the imported rows of staging go; those of the unconnected "legacy" stay
    expect((await nsQuotas('?cluster=staging')).total).toBe(0);
    expect((await nsQuotas('?cluster=legacy')).items.map((q: { namespace: string }) => q.namespace)).toEqual([
      'old-ns',
    ]);
    expect((await nsQuotas('?cluster=prod')).total).toBe(1200);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/k8s/configs/${prodId}` })).statusCode).toBe(
      204,
    );
    expect(await figures()).toEqual([['search', 5, 10, 'manual']]);
    expect((await nsQuotas()).total).toBe(1);
    const shares = await t.runtime.database.db.selectFrom('project_quota_clusters').selectAll().execute();
    expect(shares).toEqual([]);
  });

  it('stores nothing of a sync whose cluster is deleted while it lists', async () => {
    const id = await addCluster('prod', prod);
    prod.delay({ path: /.*/, ms: 400 });
    const namespaces = sync('sync');
    const projects = sync('sync-project-quota');
    while (prod.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await t.app.inject({ method: 'DELETE', url: `/api/k8s/configs/${id}` })).statusCode).toBe(204);
    for (const result of [await namespaces, await projects]) {
      expect(result.clusters[0]).toMatchObject({ cluster_name: 'prod', ok: false, created: 0 });
      expect(result.clusters[0].errors).toEqual([
        {
          code: 'config',
          message: 'prod: cluster "prod" was deleted or renamed while it synced; nothing was stored',
        },
      ]);
    }
    expect(await nsQuotas()).toEqual({ items: [], total: 0 });
    expect(await quotas()).toEqual([]);
  });

  it('reports a namespace or ProjectQuota it cannot read as an error of its own, keeping what was stored', async () => {
    await addCluster('prod', prod);
    await addCluster('staging', staging);
    expect((await sync('sync')).ok).toBe(true);
    expect((await sync('sync-project-quota')).ok).toBe(true);
    const payApiBefore = (await nsQuotas('?search=pay-api')).items;
    const logsBefore = (await nsQuotas('?search=logs')).items;
    expect(payApiBefore).toEqual([
      expect.objectContaining({ namespace: 'pay-api', cpu_limit: 6, pods_limit: 50 }),
    ]);

    const state = prodState();
    prod.setResourceQuotas(
      state.resourcequotas.map((q) =>
        q.namespace === 'pay-api' && q.name === 'compute'
          ? { ...q, spec: { hard: { ...q.spec.hard, 'limits.cpu': 'lots' } } }
          : q,
      ),
    );
    staging.setResourceQuotas([
      { namespace: 'pay-stg', name: 'q', spec: { hard: { 'limits.cpu': '6', 'limits.memory': '8Gi' } } },
      { namespace: 'logs', name: 'q', spec: { hard: { 'limits.cpu': '2', 'limits.memory': '4Gb' } } },
    ]);
    const result = await sync('sync');
    expect(
      result.clusters.map((c: Record<string, unknown>) => [c.cluster_name, c.ok, c.updated, c.unchanged]),
    ).toEqual([
      ['prod', true, 0, 1199],
      // pay-stg's CPU went from 4 to 6
      ['staging', true, 1, 0],
    ]);
    expect(result.clusters[0].namespaces).toBe(1200);
    expect(result.clusters[0].errors).toEqual([
      {
        code: 'bad_quantity',
        field: 'pay-api',
        message: `prod/pay-api: limits.cpu "lots" is not a Kubernetes quantity; the namespace's stored figures were kept`,
      },
    ]);
    expect(result.clusters[1].errors).toEqual([
      {
        code: 'bad_quantity',
        field: 'logs',
        message: `staging/logs: limits.memory "4Gb" is not a Kubernetes quantity; the namespace's stored figures were kept`,
      },
    ]);
    expect((await nsQuotas('?search=pay-api')).items).toEqual(payApiBefore);
    expect((await nsQuotas('?search=logs')).items).toEqual(logsBefore);
    expect((await t.app.inject({ url: '/api/k8s/configs' })).json().items[0].last_sync_message).toBe(
      'namespace quotas: 0 created, 0 updated, 1199 unchanged, 0 skipped, 0 removed, 1 error(s)',
    );

    const figures = async () =>
      (await quotas()).map((q: { cloud_id: string; cpu_quota: number; memory_quota: number }) => [
        q.cloud_id,
        q.cpu_quota,
        q.memory_quota,
      ]);
    // payments: 40 (prod) + 4 (staging) cores, 80 + 8 GiB; search from prod's requests 12 / 24 GiB
    expect(await figures()).toEqual([
      ['logging', 2, 4],
      ['payments', 44, 88],
      ['search', 12, 24],
    ]);
    prod.setProjectQuotas([
      { name: 'payments', spec: { hard: { 'limits.cpu': '50', 'limits.memory': '80Gi' } } },
      { name: 'search', spec: { hard: { 'requests.cpu': 'lots', 'requests.memory': '24Gi' } } },
    ]);
    const projects = await sync('sync-project-quota');
    expect(
      projects.clusters.map((c: Record<string, unknown>) => [c.cluster_name, c.ok, c.namespaces]),
    ).toEqual([
      // prod reads ProjectQuotas, staging sums its 2 namespaces
      ['prod', true, 0],
      ['staging', true, 2],
    ]);
    expect(projects.clusters[0].errors).toEqual([
      {
        code: 'bad_quantity',
        field: 'search',
        message: `prod/projectquota search: requests.cpu "lots" is not a Kubernetes quantity; the project's stored share was kept`,
      },
    ]);
    expect(projects.clusters[1].errors.map((e: { field: string }) => e.field)).toEqual(['logs']);
    // payments: 50 + 6 cores (both read again), 80 + 8 GiB; search and logging keep what they had
    expect(await figures()).toEqual([
      ['logging', 2, 4],
      ['payments', 56, 88],
      ['search', 12, 24],
    ]);
  });

  it('gives each cluster its own result: one down and one too slow do not stop the others', async () => {
    const down = await FakeKubeApiServer.start();
    const downUrl = down.url;
    const downKubeconfig = down.kubeconfig({ auth: 'token', token: TOKEN });
    await down.stop();
    await addCluster('prod', prod);
    await addCluster('staging', staging);
    await t.app.inject({
      method: 'POST',
      url: '/api/k8s/configs',
      payload: { name: 'down', kubeconfig: downKubeconfig },
    });
    const slow = await FakeKubeApiServer.start({ state: { namespaces: [{ name: 'a' }] } });
    slow.addToken(TOKEN, 'alice');
    slow.delay({ path: /.*/, ms: 3000 });
    await addCluster('slow', slow);
    try {
      const result = await sync('sync');
      expect(result.ok).toBe(false);
      expect(
        result.clusters.map((c: { cluster_name: string; ok: boolean; created: number }) => [
          c.cluster_name,
          c.ok,
          c.created,
        ]),
      ).toEqual([
        ['down', false, 0],
        ['prod', true, 1200],
        ['slow', false, 0],
        ['staging', true, 2],
      ]);
      expect(result.clusters[0].errors[0].message).toBe(`down: ${downUrl} is unreachable (ECONNREFUSED)`);
      expect(result.clusters[2].errors[0].code).toBe('timeout');
      expect(result.clusters[2].errors[0].message).toMatch(
        /^slow: listing (namespaces|resourcequotas): https:\/\/127\.0\.0\.1:\d+ did not answer within 1 s$/,
      );
      expect((await nsQuotas('?cluster=staging')).total).toBe(2);
    } finally {
      await slow.stop();
    }
  });

  it('stops a cancelled sync job at its next request, keeping the quotas stored before', async () => {
    await addCluster('prod', prod);
    expect((await sync('sync')).clusters[0]).toMatchObject({ ok: true, created: 1200 });
    const before = prod.requests.length;
    prod.delay({ path: /.*/, ms: 800 }); // each of the 3 pages per list would take 0.8 s
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/scheduler/jobs/namespace-quota-sync/run',
    });
    expect(started.statusCode).toBe(202);
    const { id } = started.json();
    while (prod.requests.length < before + 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await t.app.inject({ method: 'POST', url: `/api/scheduler/runs/${id}/cancel` });
    expect(cancelled.json()).toMatchObject({ status: 'running', cancel_requested: true });
    let run = cancelled.json();
    while (run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      run = (await t.app.inject({ url: `/api/scheduler/runs/${id}` })).json();
    }
    expect(run).toMatchObject({ status: 'cancelled', summary: 'cancelled' });
    // the first page of namespaces and of quotas were asked for; no later page was
    expect(prod.requests.length - before).toBe(2);
    expect((await nsQuotas('?cluster=prod')).total).toBe(1200);
  });

  it('with a wrong token says so and changes nothing', async () => {
    const id = await addCluster('prod', prod);
    expect((await sync('sync')).ok).toBe(true);
    expect((await sync('sync-project-quota')).ok).toBe(true);
    const namespacesBefore = await nsQuotas();
    const quotasBefore = await quotas();
    expect(namespacesBefore.total).toBe(1200);
    // from prod's ProjectQuotas: payments limits 40 cores / 80 GiB, search requests 12 / 24 GiB
    expect(
      quotasBefore.map((q: { cloud_id: string; cpu_quota: number; memory_quota: number }) => [
        q.cloud_id,
        q.cpu_quota,
        q.memory_quota,
      ]),
    ).toEqual([
      ['payments', 40, 80],
      ['search', 12, 24],
    ]);

    // the cluster changes, which a sync with the right token would pick up
    const state = prodState();
    prod.setState({
      namespaces: state.namespaces.filter((n) => n.name !== 'search'),
      resourcequotas: state.resourcequotas.filter((q) => q.namespace !== 'search'),
      projectquotas: [{ name: 'payments', spec: { hard: { 'limits.cpu': '1', 'limits.memory': '1Gi' } } }],
    });
    const edited = await t.app.inject({
      method: 'PUT',
      url: `/api/k8s/configs/${id}`,
      payload: { kubeconfig: prod.kubeconfig({ auth: 'token', token: 'not-the-token' }) },
    });
    expect(edited.statusCode).toBe(200);
    for (const kind of ['sync', 'sync-project-quota'] as const) {
      const result = await sync(kind);
      expect(result.ok).toBe(false);
      expect(result.clusters[0]).toMatchObject({ ok: false, created: 0, updated: 0, removed: 0 });
      expect(result.clusters[0].errors).toEqual([
        {
          code: 'unauthorized',
          message: `prod: ${prod.url} refused the credentials (401 Unauthorized): the token or certificate is wrong or expired`,
        },
      ]);
    }
    expect(await nsQuotas()).toEqual(namespacesBefore);
    expect(await quotas()).toEqual(quotasBefore);
    expect((await t.app.inject({ url: '/api/k8s/configs' })).json().items[0]).toMatchObject({
      last_sync_ok: false,
      last_sync_message: `project quotas: ${prod.url} refused the credentials (401 Unauthorized): the token or certificate is wrong or expired`,
    });
    expect((await t.app.inject({ method: 'POST', url: '/api/k8s/sync?config_id=999' })).statusCode).toBe(404);
  });

  it('restarts a list whose continue token expired between pages, once', async () => {
    await addCluster('prod', prod);
    // 1,200 namespaces take 3 pages; the 4 quotas of pay-api, pay-db and search fit in one
    const state = prodState();
    prod.setResourceQuotas(state.resourcequotas.slice(0, 4));
    // each namespaces page waits 300 ms before it is answered, so its token can expire meanwhile
    prod.delay({ path: '/api/v1/namespaces', ms: 300 });
    const expireTokensAsPagesArrive = async (times: number) => {
      let expired = 0;
      while (expired < times) {
        const continued = prod.requests.filter((r) => r.path === '/api/v1/namespaces' && r.query.continue);
        if (continued.length > expired) {
          prod.expireContinueTokens();
          expired += 1;
        } else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const namespacePages = () =>
      prod.requests
        .filter((r) => r.path === '/api/v1/namespaces')
        .map((r) => [r.query.continue ? 'continue' : 'first', r.status]);

    prod.clearRequests();
    const [restarted] = await Promise.all([sync('sync'), expireTokensAsPagesArrive(1)]);
    expect(restarted.clusters[0]).toMatchObject({
      ok: true,
      created: 1200,
      namespaces: 1200,
      // 1 quota page; namespaces: page 1, page 2 expired (410), then pages 1, 2 and 3 again
      requests: 6,
      errors: [],
    });
    expect(namespacePages()).toEqual([
      ['first', 200],
      ['continue', 410],
      ['first', 200],
      ['continue', 200],
      ['continue', 200],
    ]);
    expect((await nsQuotas('?cluster=prod')).total).toBe(1200);

    // a list whose tokens expire again after the restart gives up, and nothing changes
    prod.setNamespaces(state.namespaces.filter((n) => n.name !== 'search'));
    prod.clearRequests();
    const [expiredTwice] = await Promise.all([sync('sync'), expireTokensAsPagesArrive(2)]);
    expect(expiredTwice.clusters[0]).toMatchObject({ ok: false, created: 0, removed: 0, requests: 5 });
    expect(expiredTwice.clusters[0].errors).toEqual([
      {
        code: 'server',
        message: 'prod: listing namespaces: the list changed too fast to page through (410 Expired)',
      },
    ]);
    expect(namespacePages()).toEqual([
      ['first', 200],
      ['continue', 410],
      ['first', 200],
      ['continue', 410],
    ]);
    expect((await nsQuotas('?search=search')).total).toBe(1);
  });

  it('waits as long as a 429 Retry-After says, and names the throttling when it persists', async () => {
    await addCluster('prod', prod);
    prod.fail({ path: '/api/v1/resourcequotas', status: 429, times: 1, retryAfterSeconds: 1 });
    prod.clearRequests();
    let started = performance.now();
    const retried = await sync('sync');
    // the retry waited the 1 s the server asked for, not the 0.5 s of the first backoff step
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    // 6 page requests + the one answered 429
    expect(retried.clusters[0]).toMatchObject({ ok: true, created: 1200, requests: 7, errors: [] });
    expect(prod.requests.filter((r) => r.status === 429).map((r) => r.path)).toEqual([
      '/api/v1/resourcequotas',
    ]);

    // throttled on every attempt, the way priority and fairness rejects (text/plain)
    prod.fail({ path: '/api/v1/resourcequotas', status: 429, times: 3, retryAfterSeconds: 1, body: 'text' });
    prod.clearRequests();
    started = performance.now();
    const throttled = await sync('sync');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1990);
    expect(throttled.clusters[0]).toMatchObject({ ok: false, unchanged: 0 });
    expect(throttled.clusters[0].errors).toEqual([
      {
        code: 'server',
        message: `prod: listing resourcequotas: ${prod.url} is throttling requests (429 Too Many Requests)`,
      },
    ]);
    expect(prod.requests.filter((r) => r.path === '/api/v1/resourcequotas').map((r) => r.status)).toEqual([
      429, 429, 429,
    ]);
    expect((await nsQuotas('?cluster=prod')).total).toBe(1200);
  });
});

describe('secrets of a kubeconfig', () => {
  it('never appear in a response or a log line', async () => {
    const api = await FakeKubeApiServer.start({ state: { namespaces: [{ name: 'a' }] } });
    const token = 'tok-5ecr3t-value-never-shown';
    api.addToken(token, 'alice');
    const cert = await api.issueClientCertificate('bob');
    const keyBody = cert.keyPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const secrets = [token, keyBody.slice(0, 40), Buffer.from(cert.keyPem).toString('base64').slice(0, 40)];
    let logged = '';
    const logs = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const runtime = await createTestRuntime('sqlite');
    const app = await buildApp(runtime.services, {
      health: { status: 'ok', version: 't', database: 'sqlite' },
      maxUploadBytes: 1e7,
      webDist: path.join(os.tmpdir(), 'kra-no-web-dist'),
      logger: { level: 'trace', stream: logs },
    });
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
      const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      bodies.push(res.body);
      return res;
    };
    try {
      const withToken = api.kubeconfig({ auth: 'token', token });
      const { id } = (await call('POST', '/api/k8s/configs', { name: 'tok', kubeconfig: withToken })).json();
      await call('POST', '/api/k8s/configs', {
        name: 'cert',
        kubeconfig: api.kubeconfig({ auth: 'client-certificate', user: 'bob' }),
      });
      const bad = await call('POST', '/api/k8s/configs', {
        name: 'bad',
        kubeconfig: withToken.replace(/current-context:.*\n/, ''),
      });
      expect(bad.statusCode).toBe(400);
      await call('POST', '/api/k8s/configs', {
        name: 'wrong',
        kubeconfig: api.kubeconfig({ auth: 'token', token: `${token}-wrong` }),
      });
      const edited = await call('PUT', `/api/k8s/configs/${id}`, {
        kubeconfig: withToken.replaceAll('fake-user', 'other-user'),
      });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ name: 'tok', auth_kind: 'token' });
      await call('GET', '/api/k8s/configs');
      // the edited kubeconfig is the one stored and used
      expect((await call('POST', `/api/k8s/configs/${id}/test`)).json()).toMatchObject({
        ok: true,
        identity: 'alice',
      });
      await call('POST', '/api/k8s/sync');
      await call('POST', '/api/k8s/sync-project-quota');
      expect(bodies).toHaveLength(9);
      expect(logged).toContain('"url":"/api/k8s/sync"');
      for (const secret of secrets) {
        for (const body of bodies) expect(body).not.toContain(secret);
        expect(logged).not.toContain(secret);
      }
    } finally {
      await app.close();
      await runtime.dispose();
      await api.stop();
    }
  });
});
