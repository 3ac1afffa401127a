// Drives the fake kube-apiserver with the real @kubernetes/client-node 1.4, over HTTPS on loopback, to prove
// that what the product will meet (objects, paging, auth, errors) looks the way client-node presents a real
// cluster. The assertions on error shapes double as documentation of how client-node surfaces them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { CONTINUE_EXPIRED_MESSAGE, createCertificateAuthority, FakeKubeApiServer } from './index';
import type { KubeconfigOptions } from './index';
import { issueClientCertificate } from './certificates';

const TOKEN = 'token-alice';

function kubeConfig(yaml: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

/** The rejection of a promise that must fail. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

interface ApiFailure {
  code: number;
  /** client-node hands the body over as the raw response text; parsed here when it is JSON. */
  body: unknown;
  status: Record<string, unknown> | undefined;
  headers: Record<string, string>;
}

async function apiFailure(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await failure(promise);
  if (!(error instanceof k8s.ApiException)) throw error;
  const body: unknown = error.body;
  let status: Record<string, unknown> | undefined;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body) as Record<string, unknown>;
    } catch {
      status = undefined;
    }
  }
  return { code: error.code, body, status, headers: error.headers };
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`not an object: ${String(value)}`);
  return value as Record<string, unknown>;
}

/** Per-call options that abort the request after `ms`: client-node 1.4 has no timeout of its own. */
function timeoutOptions(ms: number): k8s.ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx) => {
          ctx.setSignal(AbortSignal.timeout(ms));
          return new k8s.Observable(Promise.resolve(ctx));
        },
        post: (rsp) => new k8s.Observable(Promise.resolve(rsp)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

const namespaces = (names: string[]) => names.map((name) => ({ name }));

describe('FakeKubeApiServer driven by @kubernetes/client-node 1.4', () => {
  let server: FakeKubeApiServer;
  let core: k8s.CoreV1Api;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kube-'));

  const client = (options: KubeconfigOptions = { auth: 'token', token: TOKEN }) =>
    kubeConfig(server.kubeconfig(options)).makeApiClient(k8s.CoreV1Api);

  beforeAll(async () => {
    server = await FakeKubeApiServer.start({ tokens: { [TOKEN]: { username: 'alice', groups: ['ops'] } } });
    core = client();
  });

  afterAll(async () => {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.reset();
    server.clearDenials();
    server.setState({
      namespaces: [
        {
          name: 'team-a',
          labels: { project: 'alpha' },
          creationTimestamp: '2024-05-01T10:00:00Z',
          uid: 'uid-a',
        },
        { name: 'team-b', labels: { project: 'beta' } },
      ],
      resourcequotas: [
        {
          namespace: 'team-a',
          name: 'compute',
          spec: { hard: { 'limits.cpu': '4', 'limits.memory': '8Gi', 'requests.cpu': '1.5e3' } },
          status: { used: { 'limits.cpu': '500m', 'limits.memory': '1Gi', 'requests.cpu': '250m' } },
        },
        { namespace: 'team-b', name: 'compute', spec: { hard: { 'requests.cpu': '2' } } },
      ],
      projectQuotaCrd: true,
      projectquotas: [
        { name: 'alpha', spec: { hard: { 'limits.cpu': '20' } }, status: { used: { 'limits.cpu': '4' } } },
      ],
    });
    server.clearRequests();
  });

  describe('authentication', () => {
    it('lists namespaces with a token kubeconfig, as typed objects with full metadata', async () => {
      const list = await core.listNamespace();
      expect(list.kind).toBe('NamespaceList');
      expect(list.metadata?.resourceVersion).toBe(server.resourceVersion);
      const a = list.items[0];
      expect(a?.metadata).toMatchObject({
        name: 'team-a',
        uid: 'uid-a',
        labels: { 'kubernetes.io/metadata.name': 'team-a', project: 'alpha' },
      });
      // ObjectSerializer turns date-time fields into Date objects; list items carry no kind/apiVersion.
      expect(a?.metadata?.creationTimestamp).toEqual(new Date('2024-05-01T10:00:00Z'));
      expect(a?.kind).toBeUndefined();
      expect(a?.status?.phase).toBe('Active');
      expect(list.items.map((n) => n.metadata?.name)).toEqual(['team-a', 'team-b']);
      expect(server.requests).toEqual([
        { method: 'GET', path: '/api/v1/namespaces', query: {}, user: 'alice', status: 200 },
      ]);
    });

    it('authenticates a client certificate as CN, with each O as a group', async () => {
      await server.issueClientCertificate('bob', ['quota-readers', 'team,with,commas']);
      const kc = kubeConfig(server.kubeconfig({ auth: 'client-certificate', user: 'bob' }));
      const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
      expect(list.items).toHaveLength(2);
      const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
      expect(review.status?.userInfo).toEqual({
        username: 'bob',
        groups: ['quota-readers', 'team,with,commas', 'system:authenticated'],
      });
      expect(server.requests.map((r) => [r.user, r.status])).toEqual([
        ['bob', 200],
        ['bob', 201],
      ]);
    });

    it('refuses a client certificate signed by another CA with 401', async () => {
      const foreign = await issueClientCertificate(
        await createCertificateAuthority('intruder-ca'),
        'mallory',
      );
      const rejected = await apiFailure(
        client({ auth: 'client-certificate', user: 'mallory', certificate: foreign }).listNamespace(),
      );
      expect(rejected.code).toBe(401);
      expect(server.requests).toEqual([
        { method: 'GET', path: '/api/v1/namespaces', query: {}, user: null, status: 401 },
      ]);
    });

    it('runs the exec credential plugin, once per request unless the credential says when it expires', async () => {
      const runs = path.join(tmp, 'runs-uncached');
      const exec = client({ auth: 'exec', token: TOKEN, countFile: runs });
      expect((await exec.listNamespace()).items).toHaveLength(2);
      await exec.listNamespace();
      expect(fs.readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(2);

      const cachedRuns = path.join(tmp, 'runs-cached');
      const expiry = new Date(Date.now() + 3600_000).toISOString();
      const cached = client({
        auth: 'exec',
        token: TOKEN,
        countFile: cachedRuns,
        expirationTimestamp: expiry,
      });
      await cached.listNamespace();
      await cached.listNamespace();
      expect(fs.readFileSync(cachedRuns, 'utf8').trim().split('\n')).toHaveLength(1);
      expect(server.requests.map((r) => r.user)).toEqual(['alice', 'alice', 'alice', 'alice']);
    });

    it('surfaces a failing exec plugin as a plain Error carrying its stderr, before any request', async () => {
      const error = await failure(
        client({ auth: 'exec', token: TOKEN, failWith: 'login required' }).listNamespace(),
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(k8s.ApiException);
      expect((error as Error).message).toBe('login required\n');
      expect(server.requestCount()).toBe(0);
    });

    it('answers a wrong token, or no credentials, with 401 (client-node drops the 401 body)', async () => {
      const wrong = await apiFailure(client({ auth: 'token', token: 'nope' }).listNamespace());
      expect(wrong.code).toBe(401);
      // client-node's generated code declares 401 without a schema and so never reads the Status body.
      expect(wrong.body).toBeUndefined();
      const none = await apiFailure(client({ auth: 'none' }).listNamespace());
      expect(none.code).toBe(401);
      expect(server.requests.map((r) => [r.user, r.status])).toEqual([
        [null, 401],
        [null, 401],
      ]);
    });
  });

  describe('TLS', () => {
    it('fails verification against another CA with a FetchError, and no request reaches the server', async () => {
      const other = await createCertificateAuthority('some-other-ca');
      const error = await failure(
        client({ auth: 'token', token: TOKEN, caPem: other.certPem }).listNamespace(),
      );
      expect(error).toBeInstanceOf(k8s.FetchError);
      expect(error).toMatchObject({ type: 'system', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      expect((error as Error).message).toContain('unable to verify the first certificate');
      expect(server.requestCount()).toBe(0);
    });

    it('fails on a name the certificate does not carry', async () => {
      const error = await failure(
        client({ auth: 'token', token: TOKEN, tlsServerName: 'kubernetes.default.svc' }).listNamespace(),
      );
      expect(error).toMatchObject({ name: 'FetchError', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });

    it('works with insecure-skip-tls-verify and with https://localhost (DNS SAN)', async () => {
      const insecure = client({ auth: 'token', token: TOKEN, insecureSkipTlsVerify: true });
      expect((await insecure.listNamespace()).items).toHaveLength(2);
      const byName = client({
        auth: 'token',
        token: TOKEN,
        server: server.url.replace('127.0.0.1', 'localhost'),
      });
      expect((await byName.listNamespace()).items).toHaveLength(2);
    });
  });

  describe('paging', () => {
    const names = ['ns-1', 'ns-2', 'ns-3', 'ns-4', 'ns-5', 'ns-6', 'ns-7'];

    it('returns every item once across three pages, from the snapshot of the first page', async () => {
      server.setNamespaces(namespaces(names));
      const first = await core.listNamespace({ limit: 3 });
      const rv = first.metadata?.resourceVersion;
      // client-node renames the `continue` field to `_continue`, in the list metadata and in the request params.
      expect(first.metadata?._continue).toBeTruthy();
      expect(first.metadata?.remainingItemCount).toBe(4);
      const token = JSON.parse(
        Buffer.from(first.metadata?._continue ?? '', 'base64url').toString(),
      ) as unknown;
      expect(token).toEqual({ v: 'meta.k8s.io/v1', rv: Number(rv), start: 'ns-3\u0000' });

      // A change between pages must not leak into the rest of this list.
      server.setNamespaces(namespaces([...names, 'ns-35']));
      const second = await core.listNamespace({ limit: 3, _continue: first.metadata?._continue });
      expect(second.metadata?.remainingItemCount).toBe(1);
      const third = await core.listNamespace({ limit: 3, _continue: second.metadata?._continue });
      expect(third.metadata?._continue).toBeUndefined();
      expect(third.metadata?.remainingItemCount).toBeUndefined();
      expect([second, third].map((p) => p.metadata?.resourceVersion)).toEqual([rv, rv]);
      const all = [first, second, third].flatMap((p) => p.items.map((n) => n.metadata?.name));
      expect(all).toEqual(names);
      expect(server.requests.map((r) => r.query.continue === undefined)).toEqual([true, false, false]);
    });

    it('omits remainingItemCount when a label selector filters the list, like the real server', async () => {
      const even: Record<string, string> = { even: 'yes' };
      server.setNamespaces(names.map((name, i) => ({ name, labels: i % 2 === 0 ? even : {} })));
      const page = await core.listNamespace({ limit: 2, labelSelector: 'even=yes' });
      expect(page.items.map((n) => n.metadata?.name)).toEqual(['ns-1', 'ns-3']);
      expect(page.metadata?._continue).toBeTruthy();
      expect(page.metadata?.remainingItemCount).toBeUndefined();
      const rest = await core.listNamespace({ labelSelector: 'even', _continue: page.metadata?._continue });
      expect(rest.items.map((n) => n.metadata?.name)).toEqual(['ns-5', 'ns-7']);
      expect((await core.listNamespace({ labelSelector: '!even' })).items).toHaveLength(3);
      // As with etcd, "more" means more keys: a filtered page can promise a next page that is empty.
      const only = await core.listNamespace({ limit: 1, fieldSelector: 'metadata.name=ns-1' });
      expect(only.items.map((n) => n.metadata?.name)).toEqual(['ns-1']);
      const empty = await core.listNamespace({
        limit: 1,
        fieldSelector: 'metadata.name=ns-1',
        _continue: only.metadata?._continue,
      });
      expect(empty.items).toEqual([]);
      expect(empty.metadata?._continue).toBeUndefined();
    });

    it('answers 410 Expired for a token issued before expireContinueTokens(), with a token to go on', async () => {
      server.setNamespaces(namespaces(names));
      const first = await core.listNamespace({ limit: 3 });
      server.expireContinueTokens();
      const expired = await apiFailure(
        core.listNamespace({ limit: 3, _continue: first.metadata?._continue }),
      );
      expect(expired.code).toBe(410);
      expect(expired.status).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: CONTINUE_EXPIRED_MESSAGE,
      });
      // The 410 carries a fresh token (rv -1): it continues from the latest state, inconsistently.
      const fresh = record(record(expired.status).metadata).continue;
      expect(typeof fresh).toBe('string');
      server.setNamespaces(namespaces([...names, 'ns-35']));
      const rest = await core.listNamespace({ _continue: String(fresh) });
      expect(rest.items.map((n) => n.metadata?.name)).toEqual(['ns-35', 'ns-4', 'ns-5', 'ns-6', 'ns-7']);
    });

    it('rejects a malformed continue token with 400 BadRequest', async () => {
      const bad = await apiFailure(core.listNamespace({ _continue: 'not a token' }));
      expect(bad.code).toBe(400);
      expect(bad.status).toMatchObject({ reason: 'BadRequest' });
      expect(String(bad.status?.message)).toMatch(/^invalid continue token: continue key is not valid/);
    });
  });

  describe('authorization', () => {
    it('answers a denied list with 403 and the real Forbidden message', async () => {
      server.deny('alice', { verb: 'list', resource: 'namespaces' });
      const denied = await apiFailure(core.listNamespace());
      expect(denied.code).toBe(403);
      expect(denied.status).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope',
        reason: 'Forbidden',
        details: { kind: 'namespaces' },
        code: 403,
      });
      // Other verbs and resources stay allowed.
      expect((await core.readNamespace({ name: 'team-a' })).metadata?.name).toBe('team-a');
    });

    it('words namespaced and grouped denials the way kube-apiserver does', async () => {
      server.deny('alice', { verb: 'list', resource: 'resourcequotas', namespace: 'team-b' });
      server.deny('*', { verb: 'list', group: 'apps', resource: 'deployments' });
      const ns = await apiFailure(core.listNamespacedResourceQuota({ namespace: 'team-b' }));
      expect(ns.status?.message).toBe(
        'resourcequotas is forbidden: User "alice" cannot list resource "resourcequotas" in API group "" in the namespace "team-b"',
      );
      expect((await core.listNamespacedResourceQuota({ namespace: 'team-a' })).items).toHaveLength(1);
      const apps = kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN })).makeApiClient(
        k8s.AppsV1Api,
      );
      const deployments = await apiFailure(apps.listDeploymentForAllNamespaces());
      expect(deployments.status).toMatchObject({
        message:
          'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope',
        details: { group: 'apps', kind: 'deployments' },
      });
    });

    it('answers SelfSubjectAccessReviews from the same rules', async () => {
      server.deny('alice', { verb: 'list', resource: 'namespaces' });
      const authz = kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN })).makeApiClient(
        k8s.AuthorizationV1Api,
      );
      const ask = (verb: string, resource: string, group = '') =>
        authz.createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes: { verb, resource, group } } },
        });
      const denied = await ask('list', 'namespaces');
      expect(denied.spec.resourceAttributes).toEqual({ verb: 'list', resource: 'namespaces', group: '' });
      expect(denied.status).toEqual({ allowed: false });
      const allowed = await ask('list', 'projectquotas', 'auth.alauda.io');
      expect(allowed.status?.allowed).toBe(true);
      expect(allowed.status?.reason).toContain('RBAC: allowed by');
      expect(server.requests.map((r) => r.status)).toEqual([201, 201]);
    });

    it('with anonymous auth on, lets anyone read /version but forbids resources to system:anonymous', async () => {
      const open = await FakeKubeApiServer.start({ anonymousAuth: true });
      try {
        const kc = kubeConfig(open.kubeconfig({ auth: 'none' }));
        expect((await kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion).toBe('v1.30.4');
        const denied = await apiFailure(kc.makeApiClient(k8s.CoreV1Api).listNamespace());
        expect(denied.code).toBe(403);
        expect(denied.status?.message).toContain('User "system:anonymous" cannot list resource "namespaces"');
        const apiDenied = await apiFailure(kc.makeApiClient(k8s.CoreApi).getAPIVersions());
        expect(apiDenied.status?.message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
      } finally {
        await open.stop();
      }
    });
  });

  describe('ProjectQuota CRD and discovery', () => {
    const projectQuotas = () =>
      kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }))
        .makeApiClient(k8s.CustomObjectsApi)
        .listClusterCustomObject({ group: 'auth.alauda.io', version: 'v1', plural: 'projectquotas' });

    it('serves ProjectQuotas as an unstructured list while the CRD is installed', async () => {
      const list = record(await projectQuotas());
      expect(list).toMatchObject({ apiVersion: 'auth.alauda.io/v1', kind: 'ProjectQuotaList' });
      // Unstructured lists always carry metadata.continue, empty on the last page; items keep their kind.
      expect(record(list.metadata).continue).toBe('');
      const [item] = list.items as unknown[];
      expect(item).toMatchObject({
        apiVersion: 'auth.alauda.io/v1',
        kind: 'ProjectQuota',
        metadata: { name: 'alpha' },
        spec: { hard: { 'limits.cpu': '20' } },
        status: { hard: { 'limits.cpu': '20' }, used: { 'limits.cpu': '4' } },
      });
      // Custom objects are not deserialized: timestamps stay strings.
      expect(typeof record(record(item).metadata).creationTimestamp).toBe('string');
      const apis = await kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }))
        .makeApiClient(k8s.ApisApi)
        .getAPIVersions();
      expect(apis.groups.map((g) => g.name)).toContain('auth.alauda.io');
      const resources = await kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }))
        .makeApiClient(k8s.CustomObjectsApi)
        .getAPIResources({ group: 'auth.alauda.io', version: 'v1' });
      expect(resources.resources.find((r) => r.name === 'projectquotas')).toMatchObject({
        kind: 'ProjectQuota',
        namespaced: false,
      });
    });

    it('answers 404 NotFound and leaves auth.alauda.io out of /apis when the CRD is absent', async () => {
      server.setProjectQuotaCrd(false);
      const missing = await apiFailure(projectQuotas());
      expect(missing.code).toBe(404);
      expect(missing.status).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        code: 404,
      });
      const apis = await kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }))
        .makeApiClient(k8s.ApisApi)
        .getAPIVersions();
      expect(apis.groups.map((g) => g.name)).toEqual([
        'apps',
        'authentication.k8s.io',
        'authorization.k8s.io',
        'batch',
      ]);
    });

    it('can answer unregistered paths in plain text, as kube-apiserver 1.30 really does', async () => {
      const legacy = await FakeKubeApiServer.start({ tokens: { t: 'alice' }, unregisteredPaths: 'text' });
      try {
        legacy.setProjectQuotaCrd(false);
        const missing = await apiFailure(
          kubeConfig(legacy.kubeconfig({ auth: 'token', token: 't' }))
            .makeApiClient(k8s.CustomObjectsApi)
            .listClusterCustomObject({ group: 'auth.alauda.io', version: 'v1', plural: 'projectquotas' }),
        );
        expect(missing).toMatchObject({ code: 404, body: '404 page not found\n', status: undefined });
        expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
      } finally {
        await legacy.stop();
      }
    });

    it('answers GET of a missing object with the NotFound Status naming it', async () => {
      const missing = await apiFailure(core.readNamespace({ name: 'nowhere' }));
      expect(missing.status).toMatchObject({
        reason: 'NotFound',
        message: 'namespaces "nowhere" not found',
        details: { name: 'nowhere', kind: 'namespaces' },
      });
    });

    it('serves /version and /api like a 1.30 cluster', async () => {
      const kc = kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }));
      const version = await kc.makeApiClient(k8s.VersionApi).getCode();
      expect(version).toMatchObject({
        major: '1',
        minor: '30',
        gitVersion: 'v1.30.4',
        platform: 'linux/amd64',
      });
      const api = await kc.makeApiClient(k8s.CoreApi).getAPIVersions();
      expect(api.versions).toEqual(['v1']);
    });
  });

  describe('resources', () => {
    it('returns quota quantities exactly as stored, with status.hard defaulting to spec.hard', async () => {
      const all = await core.listResourceQuotaForAllNamespaces();
      expect(all.items.map((q) => `${q.metadata?.namespace}/${q.metadata?.name}`)).toEqual([
        'team-a/compute',
        'team-b/compute',
      ]);
      expect(all.items[0]?.status).toEqual({
        hard: { 'limits.cpu': '4', 'limits.memory': '8Gi', 'requests.cpu': '1.5e3' },
        used: { 'limits.cpu': '500m', 'limits.memory': '1Gi', 'requests.cpu': '250m' },
      });
      const b = await core.listNamespacedResourceQuota({ namespace: 'team-b' });
      expect(b.items[0]?.status).toEqual({ hard: { 'requests.cpu': '2' }, used: { 'requests.cpu': '0' } });
    });

    it('keeps resourceVersion and uid of unchanged objects and moves them on for changed ones', async () => {
      const before = (await core.readNamespace({ name: 'team-b' })).metadata;
      server.setNamespaces([
        { name: 'team-a', labels: { project: 'alpha' }, uid: 'uid-a' },
        { name: 'team-b', labels: { x: 'y' } },
      ]);
      const after = (await core.readNamespace({ name: 'team-b' })).metadata;
      expect(after?.uid).toBe(before?.uid);
      expect(Number(after?.resourceVersion)).toBeGreaterThan(Number(before?.resourceVersion));
    });

    it('serves workloads of apps/v1 and batch/v1 with selectors and container resources', async () => {
      const containers = [{ name: 'app', requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1' } }];
      server.setState({
        deployments: [
          { namespace: 'team-a', name: 'web', replicas: 3, labels: { tier: 'front' }, containers },
          { namespace: 'team-b', name: 'api', labels: { tier: 'back' } },
        ],
        statefulsets: [{ namespace: 'team-a', name: 'db', replicas: 2 }],
        daemonsets: [{ namespace: 'team-b', name: 'agent', replicas: 5 }],
        replicasets: [{ namespace: 'team-a', name: 'web-5d4f', replicas: 3 }],
        jobs: [{ namespace: 'team-a', name: 'report' }],
        cronjobs: [{ namespace: 'team-b', name: 'nightly', schedule: '0 2 * * *' }],
      });
      const kc = kubeConfig(server.kubeconfig({ auth: 'token', token: TOKEN }));
      const apps = kc.makeApiClient(k8s.AppsV1Api);
      const batch = kc.makeApiClient(k8s.BatchV1Api);

      const front = await apps.listDeploymentForAllNamespaces({ labelSelector: 'tier in (front)' });
      expect(front.items.map((d) => d.metadata?.name)).toEqual(['web']);
      const web = await apps.readNamespacedDeployment({ namespace: 'team-a', name: 'web' });
      expect(web.kind).toBe('Deployment');
      expect(web.spec?.replicas).toBe(3);
      expect(web.spec?.selector.matchLabels).toEqual({ app: 'web' });
      expect(web.spec?.template.spec?.containers[0]?.resources).toEqual({
        limits: { cpu: '1' },
        requests: { cpu: '250m', memory: '256Mi' },
      });
      expect(web.status?.readyReplicas).toBe(3);
      expect((await apps.listNamespacedStatefulSet({ namespace: 'team-a' })).items[0]?.spec?.replicas).toBe(
        2,
      );
      const ds = (await apps.listDaemonSetForAllNamespaces()).items[0];
      expect(ds?.status?.desiredNumberScheduled).toBe(5);
      expect((await apps.listReplicaSetForAllNamespaces()).items).toHaveLength(1);
      const job = (await batch.listJobForAllNamespaces()).items[0];
      expect(job?.spec?.template.spec?.restartPolicy).toBe('Never');
      const cron = (await batch.listNamespacedCronJob({ namespace: 'team-b' })).items[0];
      expect(cron?.spec?.schedule).toBe('0 2 * * *');
      expect(server.requests.every((r) => r.status === 200)).toBe(true);
    });
  });

  describe('faults', () => {
    it('fails a path with 500 InternalError the given number of times', async () => {
      server.fail({
        path: '/api/v1/namespaces',
        status: 500,
        times: 1,
        message: 'etcdserver: leader changed',
      });
      const failed = await apiFailure(core.listNamespace());
      expect(failed.code).toBe(500);
      expect(failed.status).toMatchObject({
        reason: 'InternalError',
        message: 'Internal error occurred: etcdserver: leader changed',
        details: { causes: [{ message: 'etcdserver: leader changed' }] },
      });
      expect((await core.listNamespace()).items).toHaveLength(2);
      expect(server.requests.map((r) => r.status)).toEqual([500, 200]);
    });

    it('answers 429 with Retry-After and 503 ServiceUnavailable, matching by method and RegExp', async () => {
      server.fail({ method: 'GET', path: /resourcequotas$/, status: 429, retryAfterSeconds: 7, times: 1 });
      server.fail({ path: '/api/v1/namespaces', status: 503, times: 1 });
      const throttled = await apiFailure(core.listResourceQuotaForAllNamespaces());
      expect(throttled.code).toBe(429);
      expect(throttled.headers['retry-after']).toBe('7');
      expect(throttled.status).toMatchObject({
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 7 },
      });
      const unavailable = await apiFailure(core.listNamespace());
      expect(unavailable.status).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    });

    it('can reject in plain text like priority-and-fairness, or reset the connection', async () => {
      server.fail({ path: '/api/v1/namespaces', status: 429, body: 'text', times: 1 });
      const throttled = await apiFailure(core.listNamespace());
      expect(throttled).toMatchObject({ code: 429, body: 'Too many requests, please try again later.\n' });
      server.fail({ path: '/api/v1/namespaces', status: 'reset', times: 1 });
      const reset = await failure(core.listNamespace());
      expect(reset).toBeInstanceOf(k8s.FetchError);
      expect(reset).toMatchObject({ code: 'ECONNRESET' });
      expect(server.requests.map((r) => r.status)).toEqual([429, 0]);
    });

    it('delays replies, which only a caller-supplied signal can cut short', async () => {
      server.delay({ path: '/api/v1/namespaces', ms: 300, times: 2 });
      const started = Date.now();
      await core.listNamespace();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);

      const aborted = await failure(core.listNamespace({}, timeoutOptions(50)));
      expect(aborted).toBeInstanceOf(k8s.AbortError);
      expect(aborted).toMatchObject({
        name: 'AbortError',
        type: 'aborted',
        message: 'The user aborted a request.',
      });
      expect(server.requests.map((r) => r.user)).toEqual(['alice', 'alice']);
      server.reset();
      expect((await core.listNamespace()).items).toHaveLength(2);
    });
  });

  describe('accounting', () => {
    it('records exactly the requests made, in order, with query and outcome', async () => {
      await core.listNamespace({ limit: 1, labelSelector: 'project' });
      await core.listNamespacedResourceQuota({ namespace: 'team-a' });
      await apiFailure(core.readNamespace({ name: 'ghost' }));
      await apiFailure(client({ auth: 'token', token: 'wrong' }).listNamespace());
      expect(server.requests).toEqual([
        {
          method: 'GET',
          path: '/api/v1/namespaces',
          query: { limit: '1', labelSelector: 'project' },
          user: 'alice',
          status: 200,
        },
        {
          method: 'GET',
          path: '/api/v1/namespaces/team-a/resourcequotas',
          query: {},
          user: 'alice',
          status: 200,
        },
        { method: 'GET', path: '/api/v1/namespaces/ghost', query: {}, user: 'alice', status: 404 },
        { method: 'GET', path: '/api/v1/namespaces', query: {}, user: null, status: 401 },
      ]);
      expect(server.requestCount()).toBe(4);
      expect(server.requestCount('/api/v1/namespaces')).toBe(4);
      expect(server.requestCount('/api/v1/namespaces/team-a/')).toBe(1);
      expect(server.requestCount('/apis/')).toBe(0);
      // No keep-alive: every request, even from one client, arrives on a fresh TLS connection.
      expect(server.connectionCount).toBe(4);
    });
  });
});
