import * as k8s from '@kubernetes/client-node';
import type { Permission } from '@kra/contracts';
import type { Workload } from '../../domain/replica-dedup';
import type { AccessCheck, KubeClient, KubeNamespace, KubeQuotaObject } from '../../ports';
import { KubeError } from '../../ports';
import { isRetryable, retryAfterSeconds, toKubeError } from './kube-errors';

export interface KubeClientOptions {
  timeoutMs: number;
  /** Attempts per request, the first included. */
  attempts: number;
  pageSize: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const PROJECTQUOTA_GROUP = 'auth.alauda.io';
export const PROJECTQUOTA_VERSION = 'v1';
export const PROJECTQUOTA_PLURAL = 'projectquotas';

interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string; continue?: string };
}

const labelsOf = (metadata: { labels?: Record<string, string> } | undefined) => ({
  ...(metadata?.labels ?? {}),
});
const quantities = (map: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));

/**
 * One API server through client-node's typed APIs. client-node has no request timeout of its own,
 * so each call gets an abort signal and is raced against it (which also bounds an exec plugin);
 * 429/5xx and dropped connections are retried with backoff (honouring Retry-After); lists are paged
 * with limit/continue and restarted once on 410.
 */
export class ClientNodeKubeClient implements KubeClient {
  private sent = 0;
  private readonly core: k8s.CoreV1Api;
  private readonly custom: k8s.CustomObjectsApi;
  private readonly server: string;

  constructor(
    private readonly config: k8s.KubeConfig,
    private readonly options: KubeClientOptions,
  ) {
    this.core = config.makeApiClient(k8s.CoreV1Api);
    this.custom = config.makeApiClient(k8s.CustomObjectsApi);
    this.server = config.getCurrentCluster()?.server ?? 'the API server';
  }

  get requestCount(): number {
    return this.sent;
  }

  async version(): Promise<string> {
    const info = await this.call('reading the server version', (o) =>
      this.config.makeApiClient(k8s.VersionApi).getCode({}, o),
    );
    return info.gitVersion;
  }

  async whoAmI(): Promise<{ username: string | null; groups: string[] }> {
    const review = await this.call('asking who the credentials belong to', (o) =>
      this.config
        .makeApiClient(k8s.AuthenticationV1Api)
        .createSelfSubjectReview(
          { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
          o,
        ),
    );
    return {
      username: review.status?.userInfo?.username ?? null,
      groups: review.status?.userInfo?.groups ?? [],
    };
  }

  async reviewAccess(checks: AccessCheck[]): Promise<Permission[]> {
    const api = this.config.makeApiClient(k8s.AuthorizationV1Api);
    const out: Permission[] = [];
    for (const check of checks) {
      const review = await this.call(`checking permission to ${check.verb} ${check.resource}`, (o) =>
        api.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: { verb: check.verb, group: check.group, resource: check.resource },
              },
            },
          },
          o,
        ),
      );
      out.push({ ...check, allowed: review.status?.allowed === true, reason: review.status?.reason ?? null });
    }
    return out;
  }

  async listNamespaces(signal?: AbortSignal): Promise<KubeNamespace[]> {
    const items = await this.listAll(
      'listing namespaces',
      (page, o) => this.core.listNamespace(page, o),
      signal,
    );
    return items.map((ns) => ({ name: ns.metadata?.name ?? '', labels: labelsOf(ns.metadata) }));
  }

  async listResourceQuotas(signal?: AbortSignal): Promise<KubeQuotaObject[]> {
    const items = await this.listAll(
      'listing resourcequotas',
      (page, o) => this.core.listResourceQuotaForAllNamespaces(page, o),
      signal,
    );
    return items.map((rq) => ({
      namespace: rq.metadata?.namespace ?? null,
      name: rq.metadata?.name ?? '',
      hard: quantities(rq.status?.hard ?? rq.spec?.hard),
      used: quantities(rq.status?.used),
      scoped:
        (rq.spec?.scopes?.length ?? 0) > 0 || (rq.spec?.scopeSelector?.matchExpressions?.length ?? 0) > 0,
    }));
  }

  async listWorkloads(signal?: AbortSignal): Promise<Workload[]> {
    const apps = this.config.makeApiClient(k8s.AppsV1Api);
    const batch = this.config.makeApiClient(k8s.BatchV1Api);
    const ns = (m: { namespace?: string; name?: string } | undefined) => ({
      namespace: m?.namespace ?? '',
      name: m?.name ?? '',
    });
    const deployments = await this.listAll(
      'listing deployments',
      (p, o) => apps.listDeploymentForAllNamespaces(p, o),
      signal,
    );
    const statefulSets = await this.listAll(
      'listing statefulsets',
      (p, o) => apps.listStatefulSetForAllNamespaces(p, o),
      signal,
    );
    const daemonSets = await this.listAll(
      'listing daemonsets',
      (p, o) => apps.listDaemonSetForAllNamespaces(p, o),
      signal,
    );
    const jobs = await this.listAll('listing jobs', (p, o) => batch.listJobForAllNamespaces(p, o), signal);
    const cronJobs = await this.listAll(
      'listing cronjobs',
      (p, o) => batch.listCronJobForAllNamespaces(p, o),
      signal,
    );
    return [
      ...deployments.map((d) => ({
        ...ns(d.metadata),
        kind: 'Deployment' as const,
        replicas: d.spec?.replicas ?? 1,
      })),
      ...statefulSets.map((s) => ({
        ...ns(s.metadata),
        kind: 'StatefulSet' as const,
        replicas: s.spec?.replicas ?? 1,
      })),
      ...daemonSets.map((d) => ({
        ...ns(d.metadata),
        kind: 'DaemonSet' as const,
        replicas: d.status?.desiredNumberScheduled ?? 1,
      })),
      // A CronJob's Jobs come and go all day; their pods are counted under the CronJob.
      ...jobs
        .filter((j) => !j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob'))
        .map((j) => ({ ...ns(j.metadata), kind: 'Job' as const, replicas: j.spec?.parallelism ?? 1 })),
      ...cronJobs.map((c) => ({
        ...ns(c.metadata),
        kind: 'CronJob' as const,
        replicas: c.spec?.jobTemplate?.spec?.parallelism ?? 1,
      })),
    ];
  }

  async hasProjectQuotas(): Promise<boolean> {
    try {
      const resources = await this.call('discovering the ProjectQuota CRD', (o) =>
        this.config
          .makeApiClient(k8s.CustomObjectsApi)
          .getAPIResources({ group: PROJECTQUOTA_GROUP, version: PROJECTQUOTA_VERSION }, o),
      );
      return resources.resources.some((r) => r.name === PROJECTQUOTA_PLURAL);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }

  async listProjectQuotas(signal?: AbortSignal): Promise<KubeQuotaObject[]> {
    type Raw = {
      metadata?: { name?: string };
      spec?: { hard?: Record<string, unknown> };
      status?: { hard?: Record<string, unknown>; used?: Record<string, unknown> };
    };
    const items = await this.listAll<Raw>(
      'listing projectquotas',
      async (page, o) => {
        const list = (await this.custom.listClusterCustomObject(
          { group: PROJECTQUOTA_GROUP, version: PROJECTQUOTA_VERSION, plural: PROJECTQUOTA_PLURAL, ...page },
          o,
        )) as ListPage<Raw>;
        return list;
      },
      signal,
    );
    return items.map((pq) => ({
      namespace: null,
      name: pq.metadata?.name ?? '',
      hard: quantities(pq.status?.hard ?? pq.spec?.hard),
      used: quantities(pq.status?.used),
      scoped: false,
    }));
  }

  private async listAll<T>(
    what: string,
    fetchPage: (
      page: { limit: number; _continue?: string },
      options: k8s.ConfigurationOptions,
    ) => Promise<ListPage<T>>,
    signal?: AbortSignal,
  ): Promise<T[]> {
    for (let restart = 0; ; restart += 1) {
      const items: T[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await this.call(
            what,
            (o) => fetchPage({ limit: this.options.pageSize, ...(token ? { _continue: token } : {}) }, o),
            signal,
          );
          items.push(...page.items);
          token = page.metadata?._continue || page.metadata?.continue || undefined;
        } while (token);
        return items;
      } catch (error) {
        if ((error as { status?: number }).status !== 410 || restart > 0) throw error;
      }
    }
  }

  private async call<T>(
    what: string,
    run: (options: k8s.ConfigurationOptions) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const { attempts, backoffMs, timeoutMs } = this.options;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw new KubeError('config', `${what}: cancelled`);
      const timeout = AbortSignal.timeout(timeoutMs);
      const stop = signal ? AbortSignal.any([timeout, signal]) : timeout;
      let requested = false;
      try {
        return await untilAborted(run(this.requestOptions(stop, () => (requested = true))), stop);
      } catch (error) {
        if (error instanceof StoppedError) throw this.stopped(what, requested, signal);
        if (attempt >= attempts || !isRetryable(error))
          throw toKubeError(error, this.server, what, timeoutMs);
        const wait = Math.min(
          30_000,
          (retryAfterSeconds(error) ?? 0) * 1000 || backoffMs * 2 ** (attempt - 1),
        );
        await sleep(wait);
      }
    }
  }

  /** Why a call stopped before it settled: cancelled, or out of time before or after the request left. */
  private stopped(what: string, requested: boolean, cancel?: AbortSignal): KubeError {
    if (cancel?.aborted) return new KubeError('config', `${what}: cancelled`);
    const seconds = Math.round(this.options.timeoutMs / 1000);
    return requested
      ? new KubeError('timeout', `${what}: ${this.server} did not answer within ${seconds} s`)
      : new KubeError(
          'timeout',
          `${what}: the kubeconfig's credentials were not obtained within ${seconds} s (its exec plugin did not finish)`,
        );
  }

  /** Fresh per call: client-node reorders a reused middleware list in place. */
  private requestOptions(stop: AbortSignal, onSend: () => void): k8s.ConfigurationOptions {
    return {
      middleware: [
        {
          pre: (context) => {
            this.sent += 1;
            onSend();
            context.setSignal(stop);
            return new k8s.Observable(Promise.resolve(context));
          },
          post: (response) => new k8s.Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
  }
}

class StoppedError extends Error {}

/**
 * `work`, unless `stop` aborts first. client-node runs a kubeconfig's exec plugin while it builds the
 * request, before any middleware can attach the abort signal, so only this bounds a plugin that
 * hangs; the plugin's process is left to end by itself (client-node keeps no handle to it).
 */
function untilAborted<T>(work: Promise<T>, stop: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StoppedError());
    if (stop.aborted) onAbort();
    else stop.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', onAbort));
  });
}
