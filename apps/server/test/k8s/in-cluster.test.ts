import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientNodeKubeAccess } from '../../src/adapters/kubernetes/client-node.kube-access';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';

describe('in-cluster connection (service account)', () => {
  let api: FakeKubeApiServer;
  let root: string;
  const env = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };

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
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
  });
  afterAll(async () => {
    process.env.KUBERNETES_SERVICE_HOST = env.host;
    process.env.KUBERNETES_SERVICE_PORT = env.port;
    if (env.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    if (env.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    await api.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('authenticates with the mounted token and verifies the mounted CA', async () => {
    const access = new ClientNodeKubeAccess(
      { allowExec: false },
      { timeoutMs: 5000, attempts: 1, pageSize: 500, backoffMs: 10 },
      root,
    );
    const client = access.connect({ kind: 'in-cluster' });
    expect(await client.whoAmI()).toEqual({
      username: 'system:serviceaccount:kra:analyzer',
      groups: ['system:authenticated'],
    });
    expect((await client.listNamespaces()).map((n) => n.name)).toEqual(['kube-system', 'team-a']);
  });
});
