import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import {
  bearerAuth,
  cpuCounter,
  DAY,
  FaultyProxy,
  HOUR,
  memoryGauge,
  openMetrics,
  PrometheusServer,
} from '../helpers/prometheus';

const KRA = fileURLToPath(new URL('../../bin/kra.js', import.meta.url));
const TOKEN = 'cli-token-91ab';
const PROM_TOKEN = 'cli-prom-token-4d2a';

describe('kra clusters and kra sync quotas', () => {
  let dir: string;
  let api: FakeKubeApiServer;
  const kra = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [KRA, ...args], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', KRA_K8S_TIMEOUT_SECONDS: '5' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-cli-k8s-'));
    api = await FakeKubeApiServer.start({
      state: {
        namespaces: [{ name: 'pay-api', labels: { 'cpaas.io/project': 'payments' } }],
        resourcequotas: [
          { namespace: 'pay-api', name: 'q', spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi' } } },
        ],
        projectquotas: [
          { name: 'payments', spec: { hard: { 'limits.cpu': '20', 'limits.memory': '40Gi' } } },
        ],
      },
    });
    api.addToken(TOKEN, 'ops-bot');
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a cluster from a file, tests it and syncs, with the key file created 0600', async () => {
    const file = path.join(dir, 'prod.kubeconfig');
    fs.writeFileSync(file, api.kubeconfig({ auth: 'token', token: TOKEN }));
    const added = await kra('clusters', 'add', '--name', 'prod', '--kubeconfig', file);
    expect(added).toMatchObject({ code: 0, stdout: `added cluster prod (id 1): ${api.url}, token\n` });
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);

    const tested = await kra('clusters', 'test', 'prod');
    expect(tested.code).toBe(0);
    expect(tested.stdout.split('\n').slice(0, 3)).toEqual([
      `ok: connected to ${api.url} (v1.30.4) as ops-bot`,
      '  version v1.30.4, user ops-bot (system:authenticated)',
      '  ✓ list namespaces',
    ]);

    const synced = await kra('sync', 'quotas', '--json');
    expect(synced.code).toBe(0);
    const result = JSON.parse(synced.stdout);
    expect(result.namespace_quotas.clusters[0]).toMatchObject({ cluster_name: 'prod', ok: true, created: 1 });
    expect(result.project_quotas.clusters[0]).toMatchObject({ cluster_name: 'prod', ok: true, created: 1 });
    const quotas = JSON.parse((await kra('quotas', 'list', '--json')).stdout);
    expect(
      quotas.items.map((q: { cloud_id: string; cpu_quota: number; memory_quota: number; source: string }) => [
        q.cloud_id,
        q.cpu_quota,
        q.memory_quota,
        q.source,
      ]),
    ).toEqual([['payments', 20, 40, 'k8s']]);
    expect((await kra('clusters', 'list')).stdout).not.toContain(TOKEN);
  });

  it('exits non-zero with the reason when a cluster refuses the credentials or is unknown', async () => {
    const file = path.join(dir, 'bad.kubeconfig');
    fs.writeFileSync(file, api.kubeconfig({ auth: 'token', token: 'wrong' }));
    await kra('clusters', 'add', '--name', 'bad', '--kubeconfig', file);
    const synced = await kra('sync', 'quotas', '--cluster', 'bad', '--namespaces-only');
    expect(synced.code).toBe(1);
    expect(synced.stderr).toBe(
      `  bad: ${api.url} refused the credentials (401 Unauthorized): the token or certificate is wrong or expired\n`,
    );
    const unknown = await kra('sync', 'quotas', '--cluster', 'nope');
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'error: no cluster named "nope" (kra clusters list shows them)\n',
    });
    const exec = path.join(dir, 'exec.kubeconfig');
    fs.writeFileSync(exec, api.kubeconfig({ auth: 'exec', token: TOKEN }));
    const refused = await kra('clusters', 'add', '--name', 'exec', '--kubeconfig', exec);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')[0]).toMatch(
      /^error: kubeconfig: user "fake-user" runs the command ".*" \(exec plugin\); refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true$/,
    );
  });
});

describe('kra secrets rotate', () => {
  it('re-encrypts stored kubeconfigs and Prometheus secrets under a new key, after which the old key is no longer needed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-cli-rotate-'));
    const api = await FakeKubeApiServer.start({
      state: { namespaces: [{ name: 'pay-api', labels: { 'cpaas.io/project': 'payments' } }] },
    });
    api.addToken(TOKEN, 'ops-bot');
    // A day already over: three days ago, in UTC (the zone these runs use).
    const date = new Date(Date.now() - 3 * DAY * 1000).toISOString().slice(0, 10);
    const start = Date.parse(`${date}T00:00:00Z`) / 1000;
    const pod = {
      namespace: 'pay-api',
      pod: 'api-0',
      container: 'app',
      from: start - HOUR,
      to: start + DAY + HOUR,
      scrapeSeconds: 30,
    };
    const prometheus = await PrometheusServer.start({
      openMetrics: openMetrics([
        cpuCounter({ ...pod, coresUsed: () => 0.5 }),
        memoryGauge({ ...pod, bytes: () => 2 ** 30 }),
      ]),
    });
    const proxy = await FaultyProxy.start(prometheus.url);
    proxy.requireHeaders({ ...bearerAuth(PROM_TOKEN), 'x-scope-orgid': 'tenant-a' });
    const oldKey = Buffer.alloc(32, 1).toString('base64');
    const newKey = Buffer.alloc(32, 2).toString('base64');
    const run = async (env: Record<string, string>, ...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [KRA, ...args], {
          env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', TZ: 'UTC', ...env },
        });
        return { code: 0, out: stdout };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    };
    try {
      const file = path.join(dir, 'k');
      fs.writeFileSync(file, api.kubeconfig({ auth: 'token', token: TOKEN }));
      const tokenFile = path.join(dir, 'prom-token');
      fs.writeFileSync(tokenFile, `${PROM_TOKEN}\n`);
      const withOld = { KRA_SECRET_KEY: oldKey };
      expect((await run(withOld, 'clusters', 'add', '--name', 'prod', '--kubeconfig', file)).code).toBe(0);
      const added = await run(
        withOld,
        'prometheus',
        'add',
        '--name',
        'prom',
        '--url',
        proxy.url,
        '--cluster',
        'prod',
        '--bearer-token-file',
        tokenFile,
        '--header',
        'X-Scope-OrgID=tenant-a',
      );
      expect(added.code).toBe(0);
      const withoutOld = await run({ KRA_SECRET_KEY: newKey }, 'clusters', 'test', 'prod');
      expect(withoutOld.code).toBe(1);
      expect(withoutOld.out).toMatch(/encrypted with key [0-9a-f]{8}, which is not configured/);
      const unreadable = await run({ KRA_SECRET_KEY: newKey }, 'sync', 'usage', '--date', date);
      expect(unreadable.code).toBe(1);
      expect(unreadable.out).toMatch(
        /\n {2}prom: a stored secret was encrypted with key [0-9a-f]{8}, which is not configured/,
      );

      const rotated = await run(
        { KRA_SECRET_KEY: newKey, KRA_SECRET_KEY_PREVIOUS: oldKey },
        'secrets',
        'rotate',
      );
      // the kubeconfig; the Prometheus token and the sealed headers
      expect(rotated).toEqual({
        code: 0,
        out: 're-encrypted 1 kubeconfig(s) and 2 Prometheus secret(s); 0 already used the current key\n',
      });
      expect((await run({ KRA_SECRET_KEY: newKey }, 'clusters', 'test', 'prod')).code).toBe(0);
      const synced = await run({ KRA_SECRET_KEY: newKey }, 'sync', 'usage', '--date', date, '--json');
      expect(synced.code).toBe(0);
      expect(JSON.parse(synced.out).sources[0]).toMatchObject({ name: 'prom', ok: true, namespaces: 1 });
      expect(proxy.requests.filter((r) => r.outcome === 'unauthorized')).toEqual([]);
      expect(
        await run({ KRA_SECRET_KEY: newKey, KRA_SECRET_KEY_PREVIOUS: oldKey }, 'secrets', 'rotate', '--json'),
      ).toEqual({
        code: 0,
        out: `${JSON.stringify(
          { kubeconfigs: { resealed: 0, current: 1 }, prometheus: { resealed: 0, current: 2 } },
          null,
          2,
        )}\n`,
      });
    } finally {
      await proxy.stop();
      await prometheus.stop();
      await api.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
