import type { ClusterSyncResult, ErrorDetail, SyncResult } from '@kra/contracts';
import {
  combineQuotas,
  projectOf,
  projectQuotasFromCrd,
  projectQuotasFromNamespaces,
  QuotaFigureError,
} from '../domain/quota-figures';
import type { ProjectClusterQuota, QuotaFigures } from '../domain/quota-figures';
import type {
  Clock,
  ClusterRecord,
  ClusterRepository,
  KubeClient,
  KubeQuotaObject,
  NamespaceQuotaRecord,
  NamespaceQuotaRepository,
  ProjectQuotaSyncRepository,
} from '../ports';
import { KubeError } from '../ports';
import { AppError } from './app-error';
import type { ClusterService } from './cluster.service';
import { mapWithConcurrency } from './concurrency';

interface ClusterOutcome {
  counts: Pick<ClusterSyncResult, 'created' | 'updated' | 'unchanged' | 'skipped' | 'removed'>;
  namespaces: number;
  errors: ErrorDetail[];
  skippedProjects?: string[];
}

/**
 * Namespace and project quota syncs. Clusters run concurrently up to a bound; each gets its own
 * result, and one that fails (unreachable, refused, timed out) changes nothing and delays the
 * others only as long as its own timeout.
 */
export class QuotaSyncService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly connections: ClusterService,
    private readonly namespaceQuotas: NamespaceQuotaRepository,
    private readonly projectQuotas: ProjectQuotaSyncRepository,
    private readonly clock: Clock,
    private readonly concurrency: number,
  ) {}

  syncNamespaces(ids?: number[], signal?: AbortSignal): Promise<SyncResult> {
    return this.run(ids, 'namespace quotas', signal, async (cluster, client) => {
      const read = await this.readNamespaces(cluster, client, signal);
      const counts = await this.namespaceQuotas.replaceCluster(
        cluster.name,
        read.rows,
        read.unreadable.map((u) => u.namespace),
      );
      return { counts: { ...counts, skipped: 0 }, namespaces: read.listed, errors: read.errors };
    });
  }

  syncProjectQuotas(ids?: number[], signal?: AbortSignal): Promise<SyncResult> {
    return this.run(ids, 'project quotas', signal, async (cluster, client) => {
      if (cluster.useProjectQuota && (await client.hasProjectQuotas())) {
        const quotas: ProjectClusterQuota[] = [];
        const unreadable: string[] = [];
        const errors: ErrorDetail[] = [];
        for (const object of await client.listProjectQuotas(signal)) {
          try {
            quotas.push(...projectQuotasFromCrd([object], cluster.name));
          } catch (error) {
            if (!(error instanceof QuotaFigureError)) throw error;
            unreadable.push(object.name);
            errors.push({
              code: 'bad_quantity',
              field: object.name,
              message: `${error.message}; the project's stored share was kept`,
            });
          }
        }
        const outcome = await this.projectQuotas.applyCluster(
          cluster.name,
          quotas,
          'projectquota',
          unreadable,
        );
        // Only ProjectQuotas are read this way: no namespace is listed.
        return this.projectOutcome(outcome, 0, errors);
      }
      const read = await this.readNamespaces(cluster, client, signal);
      const quotas = projectQuotasFromNamespaces(
        read.rows.map((r) => ({ project: r.projectName, figures: r })),
      );
      // A sum without an unreadable namespace would be too small: its project keeps its share.
      const unreadable = [
        ...new Set(read.unreadable.flatMap((u) => (u.project === null ? [] : [u.project]))),
      ];
      const outcome = await this.projectQuotas.applyCluster(
        cluster.name,
        quotas,
        'resourcequota',
        unreadable,
      );
      return this.projectOutcome(outcome, read.listed, read.errors);
    });
  }

  private projectOutcome(
    outcome: Awaited<ReturnType<ProjectQuotaSyncRepository['applyCluster']>>,
    namespaces: number,
    errors: ErrorDetail[],
  ): ClusterOutcome {
    return {
      counts: {
        created: outcome.created,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        removed: outcome.removed,
        skipped: outcome.skipped.length,
      },
      namespaces,
      errors: [...errors, ...outcome.errors.map((message) => ({ code: 'cloud_id_taken', message }))],
      skippedProjects: outcome.skipped,
    };
  }

  /**
   * Namespaces and all ResourceQuotas, each listed cluster-wide in pages, combined per namespace. A
   * namespace with a quantity that cannot be read is an error of its own and not among the rows, so
   * its stored figures stay rather than turn into "no quota".
   */
  private async readNamespaces(
    cluster: ClusterRecord,
    client: KubeClient,
    cancel?: AbortSignal,
  ): Promise<{
    listed: number;
    rows: NamespaceQuotaRecord[];
    unreadable: { namespace: string; project: string | null }[];
    errors: ErrorDetail[];
  }> {
    const [namespaces, quotas] = await bothOrNeither(
      (signal) => client.listNamespaces(signal),
      (signal) => client.listResourceQuotas(signal),
      cancel,
    );
    const byNamespace = new Map<string, KubeQuotaObject[]>();
    for (const q of quotas)
      if (q.namespace) byNamespace.set(q.namespace, [...(byNamespace.get(q.namespace) ?? []), q]);
    const syncedAt = this.clock.now().toISOString();
    const rows: NamespaceQuotaRecord[] = [];
    const unreadable: { namespace: string; project: string | null }[] = [];
    const errors: ErrorDetail[] = [];
    for (const ns of namespaces) {
      const own = byNamespace.get(ns.name) ?? [];
      const projectName = projectOf(ns, cluster.projectLabel);
      let figures: QuotaFigures;
      try {
        figures = combineQuotas(own, `${cluster.name}/${ns.name}`);
      } catch (error) {
        if (!(error instanceof QuotaFigureError)) throw error;
        unreadable.push({ namespace: ns.name, project: projectName });
        errors.push({
          code: 'bad_quantity',
          field: ns.name,
          message: `${error.message}; the namespace's stored figures were kept`,
        });
        continue;
      }
      rows.push({
        clusterName: cluster.name,
        namespace: ns.name,
        projectName,
        quotaCount: own.length,
        source: 'k8s',
        syncedAt,
        ...figures,
      });
    }
    return { listed: namespaces.length, rows, unreadable, errors };
  }

  private async run(
    ids: number[] | undefined,
    what: string,
    signal: AbortSignal | undefined,
    sync: (cluster: ClusterRecord, client: KubeClient) => Promise<ClusterOutcome>,
  ): Promise<SyncResult> {
    const all = await this.clusters.list();
    const unknown = (ids ?? []).filter((id) => !all.some((c) => c.id === id));
    if (unknown.length > 0)
      throw new AppError('not_found', 'cluster_not_found', `no cluster with id ${unknown.join(', ')}`);
    const chosen = ids === undefined ? all : all.filter((c) => ids.includes(c.id));
    if (chosen.length === 0)
      throw new AppError(
        'invalid_input',
        'no_clusters',
        'no cluster is configured: add one under K8s接入 first',
      );
    const skippedProjects = new Set<string>();
    const clusters = await mapWithConcurrency(
      chosen,
      this.concurrency,
      async (cluster): Promise<ClusterSyncResult> => {
        const started = this.clock.now().getTime();
        let client: KubeClient | undefined;
        const base = { cluster_id: cluster.id, cluster_name: cluster.name };
        try {
          // A cancelled run stops before its next cluster; one under way stops at its next request.
          if (signal?.aborted) throw new KubeError('config', 'cancelled before it started');
          client = await this.connections.client(cluster);
          const outcome = await sync(cluster, client);
          outcome.skippedProjects?.forEach((p) => skippedProjects.add(p));
          const result: ClusterSyncResult = {
            ...base,
            ok: true,
            ...outcome.counts,
            errors: outcome.errors,
            namespaces: outcome.namespaces,
            requests: client.requestCount,
            duration_ms: this.clock.now().getTime() - started,
          };
          const c = outcome.counts;
          await this.clusters.saveSync(cluster.id, {
            at: this.clock.now().toISOString(),
            ok: true,
            message: `${what}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.removed} removed${outcome.errors.length > 0 ? `, ${outcome.errors.length} error(s)` : ''}`,
          });
          return result;
        } catch (error) {
          const kube =
            error instanceof KubeError
              ? error
              : new KubeError('config', error instanceof Error ? error.message : String(error));
          await this.clusters.saveSync(cluster.id, {
            at: this.clock.now().toISOString(),
            ok: false,
            message: `${what}: ${kube.message}`,
          });
          return {
            ...base,
            ok: false,
            created: 0,
            updated: 0,
            unchanged: 0,
            skipped: 0,
            removed: 0,
            errors: [{ code: kube.kind, message: `${cluster.name}: ${kube.message}` }],
            namespaces: 0,
            requests: client?.requestCount ?? 0,
            duration_ms: this.clock.now().getTime() - started,
          };
        }
      },
    );
    return { ok: clusters.every((c) => c.ok), clusters, skipped_projects: [...skippedProjects].sort() };
  }
}

/**
 * Runs two reads side by side; when one fails the other is cancelled, and the failure is thrown
 * only once both have stopped, so no request of a failed sync outlives its result.
 */
async function bothOrNeither<A, B>(
  first: (signal: AbortSignal) => Promise<A>,
  second: (signal: AbortSignal) => Promise<B>,
  cancel?: AbortSignal,
): Promise<[A, B]> {
  const controller = new AbortController();
  const stopBoth = () => controller.abort();
  cancel?.addEventListener('abort', stopBoth, { once: true });
  let cause: { error: unknown } | undefined;
  const cancelOnFailure = <T>(p: Promise<T>) =>
    p.catch((error: unknown) => {
      // The first failure is the cause; the other one then fails only because it was cancelled.
      if (!cause) {
        cause = { error };
        controller.abort();
      }
      throw error;
    });
  const [a, b] = await Promise.allSettled([
    cancelOnFailure(first(controller.signal)),
    cancelOnFailure(second(controller.signal)),
  ]).finally(() => cancel?.removeEventListener('abort', stopBoth));
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  throw cause!.error;
}
