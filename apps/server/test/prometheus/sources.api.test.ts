import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartBody } from '../helpers/multipart';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import { readSheet, workbookWith } from '../helpers/workbooks';

describe.each(testDialects())('Prometheus sources on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });
  const add = (payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/prometheus/configs',
      payload: { url: 'https://prom.internal:9090/', ...payload },
    });

  it("keeps the seed's fields: use_accurate_sync alone means replica-dedup, with sensible defaults", async () => {
    const seed = await add({ name: 'prod-prom', cluster_name: 'prod', use_accurate_sync: true });
    expect(seed.statusCode).toBe(201);
    expect(seed.json()).toMatchObject({
      name: 'prod-prom',
      url: 'https://prom.internal:9090',
      cluster_name: 'prod',
      strategy: 'replica-dedup',
      use_accurate_sync: true,
      memory_metric: 'usage_bytes',
      step: '1m',
      timeout_seconds: 60,
      tolerance: 1.5,
      auth_kind: 'none',
      header_names: [],
      has_ca: false,
    });
    const plain = await add({
      name: 'staging-prom',
      cluster_name: 'staging',
      use_accurate_sync: false,
      selector: 'cluster="staging"',
    });
    expect(plain.json()).toMatchObject({
      strategy: 'pod-peak',
      use_accurate_sync: false,
      selector: 'cluster="staging"',
    });
  });

  it('allows one source per cluster, and names the problem of each bad field', async () => {
    await add({ name: 'a', cluster_name: 'prod' });
    const twice = await add({ name: 'b', cluster_name: 'prod' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe(
      'cluster "prod" is already measured by Prometheus source "a"; one source per cluster, or its usage would be counted twice',
    );
    expect((await add({ name: 'c', cluster_name: 'x', selector: 'cluster=prod' })).json().message).toBe(
      'selector: "cluster=prod" is not a list of label matchers such as cluster="prod"',
    );
    expect((await add({ name: 'c', cluster_name: 'x', step: '60' })).json().message).toBe(
      'step: "60" is not a PromQL duration such as 30s or 1m',
    );
    // 0s would divide the day's average by zero, 1ms make 86.4 million steps of a day
    for (const step of ['0s', '1ms', '1500ms', '61m', '2h']) {
      const refused = await add({ name: 'c', cluster_name: 'x', step });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().details).toEqual([
        {
          code: 'invalid_value',
          field: 'step',
          message: `step: "${step}" must be a whole number of seconds from 1s to 1h`,
        },
      ]);
    }
    for (const [name, step] of [
      ['s1', '1s'],
      ['s2', '1000ms'],
      ['s3', '90s'],
      ['s4', '1h'],
    ] as const) {
      expect((await add({ name, cluster_name: name, step })).json()).toMatchObject({ step });
    }
    expect((await add({ name: 'c', cluster_name: 'x', auth_kind: 'bearer' })).json().message).toBe(
      'secret: a bearer token is required',
    );
    expect((await add({ name: 'c', cluster_name: 'x', url: 'ftp://prom' })).json().details[0].field).toBe(
      'url',
    );
    expect((await add({ name: 'c', cluster_name: 'x', strategy: 'median' })).statusCode).toBe(400);
  });

  it("imports the seed's template with per-row errors, and serves the template", async () => {
    const rows = [
      ['配置名称', 'Prometheus URL', '集群名称', '精确同步'],
      ['prod-prom', 'https://prom-prod:9090', 'prod', '是'],
      ['dr-prom', 'https://prom-dr:9090', 'dr', '否'],
      ['bad', 'not a url', 'x', '是'],
      ['twin', 'https://prom-2:9090', 'prod', '否'],
    ];
    const body = multipartBody([
      { field: 'file', fileName: 'prometheus.xlsx', content: await workbookWith(rows) },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/prometheus/import', ...body });
    expect(res.statusCode).toBe(422);
    expect(res.json().details.map((d: { message: string }) => d.message)).toEqual([
      'row 4, column B (Prometheus URL): "not a url" is not an http:// or https:// URL',
      'row 5, column C (集群名称): cluster "prod" is already measured by source "prod-prom"',
    ]);
    const partial = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/import',
      ...multipartBody([{ field: 'file', fileName: 'p.xlsx', content: await workbookWith(rows) }], {
        partial: 'true',
      }),
    });
    expect(partial.json()).toMatchObject({ stored: true, total_rows: 4, created: 2 });
    const list = (await t.app.inject({ url: '/api/prometheus/configs' })).json().items;
    expect(list.map((s: { name: string; strategy: string }) => [s.name, s.strategy])).toEqual([
      ['dr-prom', 'pod-peak'],
      ['prod-prom', 'replica-dedup'],
    ]);
    const template = await t.app.inject({ url: '/api/templates/prometheus-config' });
    expect((await readSheet(template.rawPayload)).rows[0]).toEqual([
      '配置名称',
      'Prometheus URL',
      '集群名称',
      '精确同步',
    ]);
  });

  it('a template import changes an existing source only in URL, cluster and 精确同步', async () => {
    const tuned = {
      cluster_name: 'prod',
      selector: 'cluster="prod"',
      strategy: 'concurrent-peak',
      memory_metric: 'working_set_bytes',
      step: '30s',
      timeout_seconds: 20,
      tolerance: 2,
      auth_kind: 'bearer',
      secret: 'prom-token-5e1',
      headers: { 'X-Scope-OrgID': 'tenant-a' },
      ca_pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      insecure_skip_tls_verify: true,
    };
    expect((await add({ name: 'prod-prom', ...tuned })).statusCode).toBe(201);
    expect(
      (await add({ name: 'dr-prom', cluster_name: 'dr', strategy: 'replica-dedup', step: '2m' })).statusCode,
    ).toBe(201);
    expect((await add({ name: 'edge-prom', cluster_name: 'edge', strategy: 'average' })).statusCode).toBe(
      201,
    );
    const rows = [
      ['配置名称', 'Prometheus URL', '集群名称', '精确同步'],
      ['prod-prom', 'https://prom-prod-2:9090', 'prod', '否'],
      ['dr-prom', 'https://prom-dr:9090', 'dr-east', '否'],
      ['edge-prom', 'https://prom-edge:9090', 'edge', '是'],
      ['new-prom', 'https://prom-new:9090', 'new', '否'],
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/import',
      ...multipartBody([{ field: 'file', fileName: 'p.xlsx', content: await workbookWith(rows) }]),
    });
    expect(res.json()).toMatchObject({ stored: true, created: 1, updated: 3, errors: [] });
    const byName = Object.fromEntries(
      (await t.app.inject({ url: '/api/prometheus/configs' }))
        .json()
        .items.map((s: { name: string }) => [s.name, s]),
    );
    expect(byName['prod-prom']).toMatchObject({
      url: 'https://prom-prod-2:9090',
      cluster_name: 'prod',
      selector: 'cluster="prod"',
      // 否 is "not replica-dedup": the concurrent peak stays
      strategy: 'concurrent-peak',
      memory_metric: 'working_set_bytes',
      step: '30s',
      timeout_seconds: 20,
      tolerance: 2,
      auth_kind: 'bearer',
      header_names: ['X-Scope-OrgID'],
      has_ca: true,
      insecure_skip_tls_verify: true,
    });
    const record = await t.runtime.services.prometheus.get(byName['prod-prom'].id);
    expect(t.runtime.services.prometheus.connection(record)).toMatchObject({
      auth: { kind: 'bearer', token: 'prom-token-5e1' },
      headers: { 'X-Scope-OrgID': 'tenant-a' },
    });
    expect(byName['dr-prom']).toMatchObject({ cluster_name: 'dr-east', strategy: 'pod-peak', step: '2m' });
    expect(byName['edge-prom']).toMatchObject({ strategy: 'replica-dedup' });
    expect(byName['new-prom']).toMatchObject({ strategy: 'pod-peak', step: '1m', auth_kind: 'none' });

    // the same rule through the API
    const edit = (id: number, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: `/api/prometheus/configs/${id}`, payload });
    expect((await edit(byName['prod-prom'].id, { use_accurate_sync: false })).json().strategy).toBe(
      'concurrent-peak',
    );
    expect((await edit(byName['edge-prom'].id, { use_accurate_sync: false })).json().strategy).toBe(
      'pod-peak',
    );
  });

  it('refuses a day that is not over and a sync without sources', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/prometheus/sync?date=2026-11-20' });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toBe(
      'no Prometheus source is configured: add one under Prometheus接入 first',
    );
    await add({ name: 'a', cluster_name: 'prod' });
    // the test clock is 2026-11-25T08:00Z, 16:00 in Shanghai: the 25th is not over
    const today = await t.app.inject({ method: 'POST', url: '/api/prometheus/sync?date=2026-11-25' });
    expect(today.json().message).toBe(
      '2026-11-25 is not over yet in Asia/Shanghai; sync it from 2026-11-25T16:00:00.000Z on',
    );
  });
});

describe('changing how a source authenticates', () => {
  it('asks for the new secret instead of reusing the old one', async () => {
    const t = await buildTestApp('sqlite');
    try {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/prometheus/configs',
        payload: {
          name: 'p',
          url: 'https://prom:9090',
          cluster_name: 'prod',
          auth_kind: 'bearer',
          secret: 'tok',
        },
      });
      const id = created.json().id;
      const switched = await t.app.inject({
        method: 'PUT',
        url: `/api/prometheus/configs/${id}`,
        payload: { auth_kind: 'basic', username: 'ops' },
      });
      expect(switched.statusCode).toBe(400);
      expect(switched.json().message).toBe('secret: give the password for basic authentication');
      const done = await t.app.inject({
        method: 'PUT',
        url: `/api/prometheus/configs/${id}`,
        payload: { auth_kind: 'basic', username: 'ops', secret: 'pw' },
      });
      expect(done.json()).toMatchObject({ auth_kind: 'basic', username: 'ops' });
    } finally {
      await t.close();
    }
  });
});
