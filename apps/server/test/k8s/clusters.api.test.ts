import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXEC_CREDENTIAL_SCRIPT, FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import { multipartBody } from '../helpers/multipart';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import { workbookWith } from '../helpers/workbooks';

const TOKEN = 'sk-cluster-token-7f3a9c';

describe.each(testDialects())('cluster connections on %s', (dialect) => {
  let api: FakeKubeApiServer;
  let t: TestApp;
  beforeAll(async () => {
    api = await FakeKubeApiServer.start({ state: { namespaces: [{ name: 'team-a' }] } });
    api.addToken(TOKEN, 'alice', ['ops']);
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(async () => {
    t = await buildTestApp(dialect, { kubernetes: { timeoutMs: 1000 } });
    api.reset();
    api.clearDenials();
  });
  afterEach(async () => {
    await t.close();
  });

  const add = (payload: object) => t.app.inject({ method: 'POST', url: '/api/k8s/configs', payload });
  const test = async (id: number) =>
    (await t.app.inject({ method: 'POST', url: `/api/k8s/configs/${id}/test` })).json();

  it('adds a cluster from raw or base64 kubeconfig and never returns or stores the token in clear', async () => {
    const kubeconfig = api.kubeconfig({ auth: 'token', token: TOKEN });
    const raw = await add({
      name: 'prod',
      kubeconfig,
      use_projectquota: true,
      project_label: 'cpaas.io/project',
    });
    expect(raw.statusCode).toBe(201);
    expect(raw.json()).toMatchObject({
      name: 'prod',
      kind: 'kubeconfig',
      server: api.url,
      auth_kind: 'token',
      insecure_skip_tls_verify: false,
      quota_source: 'projectquota',
      project_label: 'cpaas.io/project',
      last_test: null,
    });
    const b64 = await add({
      name: 'staging',
      kubeconfig: Buffer.from(kubeconfig).toString('base64'),
      use_projectquota: false,
      project_label: null,
    });
    expect(b64.json()).toMatchObject({
      name: 'staging',
      auth_kind: 'token',
      quota_source: 'resourcequota',
      project_label: null,
    });
    const list = await t.app.inject({ url: '/api/k8s/configs' });
    expect(list.json().items.map((c: { name: string }) => c.name)).toEqual(['prod', 'staging']);
    expect(list.body).not.toContain(TOKEN);
    const stored = await t.runtime.database.db.selectFrom('clusters').select('sealed_kubeconfig').execute();
    for (const row of stored) {
      expect(row.sealed_kubeconfig).toMatch(/^kra1\./);
      expect(row.sealed_kubeconfig).not.toContain(TOKEN);
    }
    expect((await add({ name: 'prod', kubeconfig })).statusCode).toBe(409);
  });

  it('refuses a kubeconfig with problems, naming each, and stores nothing', async () => {
    const noContext = api.kubeconfig({ auth: 'token', token: TOKEN }).replace(/current-context:.*\n/, '');
    const res = await add({ name: 'x', kubeconfig: noContext });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_kubeconfig',
      message: 'kubeconfig: the kubeconfig has no current-context',
    });

    const badServer = api.kubeconfig({ auth: 'token', token: TOKEN, server: 'cluster.local:6443' });
    expect(
      (await add({ name: 'x', kubeconfig: badServer }))
        .json()
        .details.map((d: { message: string }) => d.message),
    ).toEqual(['cluster "fake-cluster": server "cluster.local:6443" must be an https:// URL']);

    const plainHttp = api.url.replace('https:', 'http:');
    const overHttp = await add({
      name: 'x',
      kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN, server: plainHttp }),
    });
    expect(overHttp.statusCode).toBe(400);
    expect(overHttp.json().details).toEqual([
      {
        code: 'invalid_kubeconfig',
        field: 'kubeconfig',
        message: `cluster "fake-cluster": server "${plainHttp}" must be an https:// URL: over http:// the credentials would travel in clear`,
      },
    ]);
    expect(overHttp.body).not.toContain(TOKEN);

    const execNotAMap = api
      .kubeconfig({ auth: 'token', token: TOKEN })
      .replace(/^(\s*)token: .*$/m, '$1exec: "x"');
    expect((await add({ name: 'x', kubeconfig: execNotAMap })).json().message).toBe(
      'kubeconfig: user "fake-user" has an exec plugin; refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true',
    );

    const exec = api.kubeconfig({ auth: 'exec', token: TOKEN });
    const refused = await add({ name: 'x', kubeconfig: exec });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe(
      `kubeconfig: user "fake-user" runs the command "${process.execPath}" (exec plugin); refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true`,
    );

    const tokenFile = api
      .kubeconfig({ auth: 'token', token: TOKEN })
      .replace(/^(\s*)token: .*$/m, '$1token-file: /etc/shadow');
    expect((await add({ name: 'x', kubeconfig: tokenFile })).json().message).toBe(
      'kubeconfig: user "fake-user" reads token-file "/etc/shadow" from the server\'s disk (use token); refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true',
    );
    expect((await add({ name: 'x', kubeconfig: 'not: [valid' })).json().message).toBe(
      // the unclosed [ is noticed where the stream ends
      'kubeconfig: the kubeconfig is not valid YAML at line 2, column 1: unexpected end of the stream within a flow collection',
    );
    expect((await t.app.inject({ url: '/api/k8s/configs' })).json()).toEqual({ items: [] });
  });

  it('tests a connection: version, identity and what it may list', async () => {
    api.deny('alice', { verb: 'list', group: 'apps', resource: 'daemonsets' });
    api.deny('alice', { verb: 'list', group: 'batch', resource: 'cronjobs' });
    const { id } = (
      await add({ name: 'prod', kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN }) })
    ).json();
    const result = await test(id);
    expect(result).toMatchObject({
      ok: false,
      error_kind: 'forbidden',
      message: 'connected, but may not list daemonsets.apps, list cronjobs.batch',
      version: 'v1.30.4',
      identity: 'alice',
      groups: ['ops', 'system:authenticated'],
      projectquota_crd: true,
    });
    expect(
      result.permissions.map((p: { resource: string; allowed: boolean }) => [p.resource, p.allowed]),
    ).toEqual([
      ['namespaces', true],
      ['resourcequotas', true],
      ['deployments', true],
      ['statefulsets', true],
      ['daemonsets', false],
      ['jobs', true],
      ['cronjobs', false],
      ['projectquotas', true],
    ]);
    api.clearDenials();
    expect(await test(id)).toMatchObject({ ok: true, message: `connected to ${api.url} (v1.30.4) as alice` });
    expect((await t.app.inject({ url: '/api/k8s/configs' })).json().items[0].last_test).toMatchObject({
      ok: true,
      identity: 'alice',
    });
  });

  it('says what to check for a wrong token, a wrong CA, an unreachable server and a timeout', async () => {
    const wrongToken = (
      await add({ name: 'a', kubeconfig: api.kubeconfig({ auth: 'token', token: 'wrong' }) })
    ).json();
    expect(await test(wrongToken.id)).toMatchObject({
      ok: false,
      error_kind: 'unauthorized',
      message: `${api.url} refused the credentials (401 Unauthorized): the token or certificate is wrong or expired`,
    });

    const other = await FakeKubeApiServer.start();
    const wrongCa = (
      await add({
        name: 'b',
        kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN, caPem: other.caPem }),
      })
    ).json();
    const tls = await test(wrongCa.id);
    expect(tls).toMatchObject({ ok: false, error_kind: 'tls' });
    expect(tls.message).toMatch(
      /^TLS verification of https:\/\/127\.0\.0\.1:\d+ failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): check certificate-authority-data/,
    );
    const otherUrl = other.url;
    await other.stop();
    const gone = (
      await add({ name: 'c', kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN, server: otherUrl }) })
    ).json();
    expect(await test(gone.id)).toMatchObject({
      ok: false,
      error_kind: 'unreachable',
      message: `${otherUrl} is unreachable (ECONNREFUSED)`,
    });

    api.delay({ path: '/version', ms: 3000 });
    const slow = (
      await add({ name: 'd', kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN }) })
    ).json();
    expect(await test(slow.id)).toMatchObject({
      ok: false,
      error_kind: 'timeout',
      message: `reading the server version: ${api.url} did not answer within 1 s`,
    });
  });

  it('connects with a client certificate, and shows an insecure kubeconfig as such', async () => {
    await api.issueClientCertificate('bob', ['dev']);
    const cert = (
      await add({ name: 'cert', kubeconfig: api.kubeconfig({ auth: 'client-certificate', user: 'bob' }) })
    ).json();
    expect(cert.auth_kind).toBe('client-certificate');
    expect(await test(cert.id)).toMatchObject({ ok: true, identity: 'bob' });
    const insecure = (
      await add({
        name: 'insecure',
        kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN, insecureSkipTlsVerify: true }),
      })
    ).json();
    expect(insecure.insecure_skip_tls_verify).toBe(true);
    expect(await test(insecure.id)).toMatchObject({ ok: true, identity: 'alice' });
  });

  it('keeps the kubeconfig on edit unless one is given, and deletes', async () => {
    const { id } = (
      await add({ name: 'prod', kubeconfig: api.kubeconfig({ auth: 'token', token: TOKEN }) })
    ).json();
    const renamed = await t.app.inject({
      method: 'PUT',
      url: `/api/k8s/configs/${id}`,
      payload: { name: 'production', project_label: 'field.cattle.io/projectId' },
    });
    expect(renamed.json()).toMatchObject({
      name: 'production',
      project_label: 'field.cattle.io/projectId',
      auth_kind: 'token',
    });
    expect(await test(id)).toMatchObject({ ok: true });
    const badLabel = await t.app.inject({
      method: 'PUT',
      url: `/api/k8s/configs/${id}`,
      payload: { project_label: 'not a label!' },
    });
    expect(badLabel.statusCode).toBe(400);
    expect(badLabel.json().details[0]).toMatchObject({
      field: 'project_label',
      message: 'body.project_label: not a Kubernetes label key such as cpaas.io/project',
    });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/k8s/configs/${id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/k8s/configs/${id}` })).statusCode).toBe(404);
  });

  it('re-importing the template replaces connections but keeps project labels, and quota sources left empty', async () => {
    const insecure = api.kubeconfig({ auth: 'token', token: TOKEN, insecureSkipTlsVerify: true });
    await add({
      name: 'prod',
      kubeconfig: insecure,
      use_projectquota: false,
      project_label: 'field.cattle.io/projectId',
    });
    await add({ name: 'staging', kubeconfig: insecure, use_projectquota: false, project_label: null });
    const verified = api.kubeconfig({ auth: 'token', token: TOKEN });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/k8s/configs/import',
      ...multipartBody([
        {
          field: 'file',
          fileName: 'clusters.xlsx',
          content: await workbookWith([
            ['集群名称', 'Kubeconfig (Base64编码或原始内容)', '使用ProjectQuota'],
            ['prod', verified, null],
            ['staging', verified, '是'],
            ['dr', verified, null],
          ]),
        },
      ]),
    });
    expect(res.json()).toMatchObject({ stored: true, total_rows: 3, created: 1, updated: 2, errors: [] });
    const items = (await t.app.inject({ url: '/api/k8s/configs' })).json().items;
    expect(
      items.map((c: Record<string, unknown>) => [
        c.name,
        c.insecure_skip_tls_verify,
        c.use_projectquota,
        c.project_label,
      ]),
    ).toEqual([
      // a new cluster reads ProjectQuotas under the default label
      ['dr', false, true, 'cpaas.io/project'],
      // the template's kubeconfig replaced the insecure one; the label and the quota source stay
      ['prod', false, false, 'field.cattle.io/projectId'],
      ['staging', false, true, null],
    ]);
  });

  it("imports the seed's template with per-row errors", async () => {
    const kubeconfig = api.kubeconfig({ auth: 'token', token: TOKEN });
    const rows = [
      ['集群名称', 'Kubeconfig (Base64编码或原始内容)', '使用ProjectQuota'],
      ['prod', Buffer.from(kubeconfig).toString('base64'), '是'],
      ['staging', kubeconfig, '否'],
      ['', kubeconfig, '是'],
      ['broken', 'apiVersion: v1', 'maybe'],
    ];
    const upload = async (fields: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/api/k8s/configs/import',
        ...multipartBody(
          [{ field: 'file', fileName: 'clusters.xlsx', content: await workbookWith(rows) }],
          fields,
        ),
      });
    const rejected = await upload();
    expect(rejected.statusCode).toBe(422);
    expect(rejected.json().details.map((d: { message: string }) => d.message)).toEqual([
      'row 4, column A (集群名称): 集群名称 is empty',
      'row 5, column B (Kubeconfig (Base64编码或原始内容)): kubeconfig: the kubeconfig has no current-context',
      'row 5, column C (使用ProjectQuota): "maybe" is not 是/否 (yes/no)',
    ]);
    expect(rejected.body).not.toContain(TOKEN);
    const partial = await upload({ partial: 'true' });
    expect(partial.json()).toMatchObject({ stored: true, total_rows: 4, created: 2, updated: 0 });
    const items = (await t.app.inject({ url: '/api/k8s/configs' })).json().items;
    expect(
      items.map((c: { name: string; use_projectquota: boolean }) => [c.name, c.use_projectquota]),
    ).toEqual([
      ['prod', true],
      ['staging', false],
    ]);
    const template = await t.app.inject({ url: '/api/templates/k8s-config' });
    expect(template.headers['content-disposition']).toContain('k8s_config_template.xlsx');
  });
});

describe('kubeconfigs that run commands, when the operator allows them', () => {
  it('connects with an exec plugin', async () => {
    const api = await FakeKubeApiServer.start();
    api.addToken('exec-token', 'carol');
    const t = await buildTestApp('sqlite', { kubernetes: { allowExec: true } });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/k8s/configs',
        payload: { name: 'exec', kubeconfig: api.kubeconfig({ auth: 'exec', token: 'exec-token' }) },
      });
      expect(res.json()).toMatchObject({ auth_kind: 'exec' });
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/k8s/configs/${res.json().id}/test` })).json(),
      ).toMatchObject({ ok: true, identity: 'carol' });
    } finally {
      await t.close();
      await api.stop();
    }
  });
});

describe('an exec plugin that never finishes', () => {
  it('fails its cluster after the timeout and does not hold up the others', async () => {
    const api = await FakeKubeApiServer.start({ state: { namespaces: [{ name: 'team-a' }] } });
    api.addToken('plain-token', 'dave');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-hung-exec-'));
    const pidFile = path.join(dir, 'pids');
    const plugin = path.join(dir, 'hung-plugin.mjs');
    // a credential plugin that writes its pid and then waits a minute without printing anything
    fs.writeFileSync(
      plugin,
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(pidFile)}, process.pid + '\\n');\nsetTimeout(() => {}, 60_000);\n`,
    );
    const hung = api
      .kubeconfig({ auth: 'exec', token: 'unused' })
      .replace(JSON.stringify(EXEC_CREDENTIAL_SCRIPT), JSON.stringify(plugin));
    const t = await buildTestApp('sqlite', { kubernetes: { allowExec: true, timeoutMs: 1000 } });
    try {
      const add = async (name: string, kubeconfig: string) =>
        (
          await t.app.inject({ method: 'POST', url: '/api/k8s/configs', payload: { name, kubeconfig } })
        ).json().id as number;
      const hungId = await add('hung', hung);
      await add('plain', api.kubeconfig({ auth: 'token', token: 'plain-token' }));

      const started = performance.now();
      const result = (await t.app.inject({ method: 'POST', url: '/api/k8s/sync' })).json();
      // 1 s timeout, far less than the plugin's minute
      expect(performance.now() - started).toBeLessThan(5000);
      expect(
        result.clusters.map((c: { cluster_name: string; ok: boolean }) => [c.cluster_name, c.ok]),
      ).toEqual([
        ['hung', false],
        ['plain', true],
      ]);
      expect(result.clusters[0]).toMatchObject({ created: 0, requests: 0 });
      expect(result.clusters[0].errors).toHaveLength(1);
      expect(result.clusters[0].errors[0].code).toBe('timeout');
      expect(result.clusters[0].errors[0].message).toMatch(
        /^hung: listing (namespaces|resourcequotas): the kubeconfig's credentials were not obtained within 1 s \(its exec plugin did not finish\)$/,
      );
      expect(result.clusters[1]).toMatchObject({ created: 1, namespaces: 1 });

      const test = (await t.app.inject({ method: 'POST', url: `/api/k8s/configs/${hungId}/test` })).json();
      expect(test).toMatchObject({
        ok: false,
        error_kind: 'timeout',
        message:
          "reading the server version: the kubeconfig's credentials were not obtained within 1 s (its exec plugin did not finish)",
      });
    } finally {
      await t.close();
      await api.stop();
      const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean) : [];
      for (const pid of pids) {
        try {
          process.kill(Number(pid));
        } catch {
          // already ended
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
