import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientNodeKubeAccess } from '../../src/adapters/kubernetes/client-node.kube-access';
import { KubeError } from '../../src/ports';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';
import { buildTestApp } from '../helpers/test-runtime';

const CLIENT_OPTIONS = { timeoutMs: 5000, attempts: 1, pageSize: 500, backoffMs: 10 };
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Sets (or, with undefined, removes) the variables the kubelet gives a pod; returns how to restore them. */
function setServiceEnv(host: string | undefined, port: string | undefined): () => void {
  const before = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  const apply = (h: string | undefined, p: string | undefined) => {
    if (h === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    else process.env.KUBERNETES_SERVICE_HOST = h;
    if (p === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    else process.env.KUBERNETES_SERVICE_PORT = p;
  };
  apply(host, port);
  return () => apply(before.host, before.port);
}

describe('in-cluster connection (service account)', () => {
  let api: FakeKubeApiServer;
  let root: string;
  let restoreEnv: () => void;

  beforeAll(async () => {
    api = await FakeKubeApiServer.start({
      state: { namespaces: [{ name: 'kube-system' }, { name: 'team-a' }] },
    });
    api.addToken('sa-token-31f0', 'system:serviceaccount:kra:analyzer');
    // what the kubelet mounts into every pod, and the variables it sets
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-sa-'));
    const dir = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'token'), 'sa-token-31f0');
    fs.writeFileSync(path.join(dir, 'ca.crt'), api.caPem);
    fs.writeFileSync(path.join(dir, 'namespace'), 'kra');
    const url = new URL(api.url);
    restoreEnv = setServiceEnv(url.hostname, url.port);
  });
  afterAll(async () => {
    restoreEnv();
    await api.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('authenticates with the mounted token and verifies the mounted CA', async () => {
    const access = new ClientNodeKubeAccess({ allowExec: false }, CLIENT_OPTIONS, root);
    expect(access.inspectInCluster()).toEqual({ server: api.url });
    const client = await access.connect({ kind: 'in-cluster' });
    expect(await client.whoAmI()).toEqual({
      username: 'system:serviceaccount:kra:analyzer',
      groups: ['system:authenticated'],
    });
    expect((await client.listNamespaces()).map((n) => n.name)).toEqual(['kube-system', 'team-a']);
  });

  it('says so when no service-account token is mounted', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-no-sa-'));
    try {
      const access = new ClientNodeKubeAccess({ allowExec: false }, CLIENT_OPTIONS, bare);
      const expected = new KubeError(
        'config',
        `in-cluster: no token or ca.crt in ${bare}${SERVICE_ACCOUNT_DIR}: the pod has no service-account token mounted (automountServiceAccountToken: false?)`,
      );
      expect(() => access.inspectInCluster()).toThrow(expected);
      await expect(access.connect({ kind: 'in-cluster' })).rejects.toThrow(expected);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('refuses a service port on which the token would travel over plain http', () => {
    const restore = setServiceEnv('10.96.0.1', '8080');
    try {
      expect(() =>
        new ClientNodeKubeAccess({ allowExec: false }, CLIENT_OPTIONS, root).inspectInCluster(),
      ).toThrow(
        'in-cluster: KUBERNETES_SERVICE_PORT is 8080, on which the connection would be plain http and the service-account token would travel in clear',
      );
    } finally {
      restore();
    }
  });
});

describe('an in-cluster connection outside a pod', () => {
  it('is refused on save with the reason, and nothing is stored', async () => {
    const restore = setServiceEnv(undefined, undefined);
    const t = await buildTestApp('sqlite');
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/k8s/configs',
        payload: { name: 'here', kind: 'in-cluster' },
      });
      expect(res.statusCode).toBe(400);
      const reason =
        'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, so this server is not running in a Kubernetes pod; connect with a kubeconfig instead';
      expect(res.json()).toEqual({
        error: 'in_cluster_unavailable',
        message: reason,
        details: [{ code: 'in_cluster_unavailable', field: 'kind', message: reason }],
      });
      expect((await t.app.inject({ url: '/api/k8s/configs' })).json()).toEqual({ items: [] });
    } finally {
      await t.close();
      restore();
    }
  });
});
