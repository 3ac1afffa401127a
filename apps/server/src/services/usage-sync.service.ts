import type { ErrorDetail, SourceSyncResult, UsageSyncResult } from '@kra/contracts';
import { addDays, dateInZone, dayWindow } from '../domain/day-window';
import type { DayWindow } from '../domain/day-window';
import { censusQuery, namespaceListSelector, stepProblem, usageGrouping, usageQuery } from '../domain/promql';
import type { UsageMetric } from '../domain/promql';
import { ownsFigure, planUsageParts, podKey } from '../domain/usage-plan';
import { projectOf } from '../domain/quota-figures';
import { dedupByReplicas, sumPodPeaks } from '../domain/replica-dedup';
import type { NamespacePeak, PodPeak, WorkloadUsage } from '../domain/replica-dedup';
import type {
  Clock,
  ClusterRepository,
  NamespaceQuotaRepository,
  PrometheusClient,
  PrometheusSourceRecord,
  PrometheusSourceRepository,
  PromSample,
  UsageRepository,
} from '../ports';
import { KubeError, PromError, SecretUnreadableError } from '../ports';
import { AppError } from './app-error';
import type { ClusterService } from './cluster.service';
import { mapWithConcurrency } from './concurrency';
import type { PrometheusSourceService } from './prometheus-source.service';
import type { SettingsService } from './settings.service';
import type { UsageJanitor } from './usage-janitor';

/** Errors a smaller query may avoid: the cluster is then split into namespace batches. */
const SPLITTABLE = new Set(['timeout', 'too_expensive', 'too_large', 'overloaded']);
const FIRST_SPLIT = 4;
const MAX_BATCHES = 64;

interface QueryStats {
  retries: number;
  batches: number;
}

class SourceFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Daily usage from Prometheus: per source the strategy's two queries (never one per namespace),
 * evaluated at the end of the day in the configured time zone; the rows of a source replace its
 * earlier sync of that date only when the whole sync succeeded.
 */
export class UsageSyncService {
  constructor(
    private readonly sources: PrometheusSourceRepository,
    private readonly connections: PrometheusSourceService,
    private readonly usage: UsageRepository,
    private readonly namespaceQuotas: NamespaceQuotaRepository,
    private readonly clusters: ClusterRepository,
    private readonly clusterConnections: ClusterService,
    private readonly settings: SettingsService,
    private readonly janitor: UsageJanitor,
    private readonly clock: Clock,
    private readonly concurrency: number,
  ) {}

  /** Yesterday in the configured time zone: the last complete day. */
  async defaultDate(): Promise<string> {
    const { timezone } = await this.settings.get();
    return addDays(dateInZone(this.clock.now().getTime(), timezone), -1);
  }

  async syncDate(date: string | undefined, ids?: number[], signal?: AbortSignal): Promise<UsageSyncResult> {
    const { timezone } = await this.settings.get();
    const day = date ?? (await this.defaultDate());
    const window = dayWindow(day, timezone);
    if (window.endUnix * 1000 > this.clock.now().getTime()) {
      throw new AppError(
        'invalid_input',
        'day_not_over',
        `${day} is not over yet in ${timezone}; sync it from ${new Date(window.endUnix * 1000).toISOString()} on`,
      );
    }
    const chosen = await this.chooseSources(ids);
    const results = await mapWithConcurrency(chosen, this.concurrency, (source) =>
      this.syncSource(source, window, signal),
    );
    return { date: day, ok: results.every((r) => r.ok), sources: results };
  }

  async chooseSources(ids?: number[]): Promise<PrometheusSourceRecord[]> {
    const all = await this.sources.list();
    const unknown = (ids ?? []).filter((id) => !all.some((s) => s.id === id));
    if (unknown.length > 0)
      throw new AppError(
        'not_found',
        'prometheus_not_found',
        `no Prometheus source with id ${unknown.join(', ')}`,
      );
    const chosen = ids === undefined ? all : all.filter((s) => ids.includes(s.id));
    if (chosen.length === 0)
      throw new AppError(
        'invalid_input',
        'no_sources',
        'no Prometheus source is configured: add one under Prometheus接入 first',
      );
    return chosen;
  }

  private async syncSource(
    source: PrometheusSourceRecord,
    day: DayWindow,
    signal?: AbortSignal,
  ): Promise<SourceSyncResult> {
    const started = this.clock.now().getTime();
    const stats: QueryStats = { retries: 0, batches: 1 };
    let client: PrometheusClient | undefined;
    const base = {
      config_id: source.id,
      name: source.name,
      cluster_name: source.clusterName,
      date: day.date,
      strategy: source.strategy,
    };
    const finish = async (
      ok: boolean,
      fields: Pick<SourceSyncResult, 'namespaces' | 'pods' | 'unassigned_namespaces'>,
      errors: ErrorDetail[],
    ) => {
      const result: SourceSyncResult = {
        ...base,
        ok,
        ...fields,
        queries: client?.queryCount ?? 0,
        retries: stats.retries,
        batches: stats.batches,
        duration_ms: this.clock.now().getTime() - started,
        errors,
      };
      await this.sources.saveSync(source.id, {
        at: this.clock.now().toISOString(),
        result,
        message: ok
          ? `${day.date}: ${result.namespaces} namespace(s)${result.pods !== null ? `, ${result.pods} pod(s)` : ''}`
          : `${day.date}: ${errors[0]?.message ?? 'failed'}`,
      });
      return result;
    };
    try {
      // Inside the try: a secret this key cannot open fails this source, not the whole sync.
      client = this.connections.client(source);
      const { namespaces, pods, workloads } = await this.measure(source, client, day, stats, signal);
      const projects = await this.projectsOf(
        source.clusterName,
        namespaces.map((n) => n.namespace),
        signal,
      );
      const rows = namespaces.flatMap((ns) => {
        const project = projects ? projects.get(ns.namespace) : ns.namespace;
        return project
          ? [
              {
                cluster: source.clusterName,
                namespace: ns.namespace,
                project,
                cpuCores: ns.cpuCores,
                memoryBytes: ns.memoryBytes,
              },
            ]
          : [];
      });
      const writer = await this.usage.beginBatch(
        {
          date: day.date,
          source: 'prometheus',
          origin: source.name,
          sourceId: source.id,
          cluster: source.clusterName,
        },
        { strategy: source.strategy },
      );
      try {
        await writer.append(rows);
        if (workloads) await writer.appendWorkloads(workloads);
        const { replaced } = await writer.commit({ lineCount: rows.length });
        if (replaced) this.janitor.request();
      } catch (error) {
        await writer.abort();
        this.janitor.request();
        throw error;
      }
      return finish(
        true,
        { namespaces: rows.length, pods, unassigned_namespaces: namespaces.length - rows.length },
        [],
      );
    } catch (error) {
      if (
        error instanceof PromError ||
        error instanceof KubeError ||
        error instanceof SourceFailure ||
        error instanceof SecretUnreadableError
      ) {
        const code =
          error instanceof SourceFailure
            ? error.code
            : error instanceof SecretUnreadableError
              ? 'secret_unreadable'
              : error.kind;
        return finish(false, { namespaces: 0, pods: null, unassigned_namespaces: 0 }, [
          { code, message: `${source.name}: ${error.message}` },
        ]);
      }
      throw error;
    }
  }

  /** Namespace usage of the day by the source's strategy (and, for replica-dedup, the workload detail). */
  private async measure(
    source: PrometheusSourceRecord,
    client: PrometheusClient,
    day: DayWindow,
    stats: QueryStats,
    signal?: AbortSignal,
  ): Promise<{ namespaces: NamespacePeak[]; pods: number | null; workloads: WorkloadUsage[] | null }> {
    // A source saved before steps were bounded may hold one no query can use.
    const badStep = stepProblem(source.step);
    if (badStep) throw new SourceFailure('invalid_step', `step: ${badStep}; edit the source`);
    const options = { memoryMetric: source.memoryMetric, step: source.step, selector: source.selector };
    const grouping = usageGrouping(source.strategy);
    let namespaceList: Promise<string[]> | undefined;
    const listNamespaces = () =>
      (namespaceList ??= client
        .labelValues('namespace', namespaceListSelector(options), day, signal)
        .then((names) => names.filter(Boolean).sort()));
    const split = (query: (namespaces?: string[]) => string) =>
      this.withSplitting(
        (namespaces) => client.query(query(namespaces), day.endUnix, signal),
        listNamespaces,
        stats,
        signal,
      );
    const run = async (metric: UsageMetric) => {
      const census = await split((namespaces) => censusQuery(metric, day, { ...options, namespaces }));
      // No series of the metric in the day: no part would find any either.
      if (census.length === 0) return [];
      const parts = planUsageParts(
        source.strategy,
        census.map((s) => ({
          namespace: s.labels.namespace ?? '',
          pod: s.labels.pod ?? '',
          container: s.labels.container ?? '',
          series: s.value,
        })),
      );
      const figures: PromSample[] = [];
      for (const [index, part] of parts.entries()) {
        const samples = await split((namespaces) =>
          usageQuery(source.strategy, metric, day, { ...options, namespaces }, part.shape, part.limit),
        );
        for (const s of samples) {
          const key =
            grouping === 'pod'
              ? podKey(s.labels.namespace ?? '', s.labels.pod ?? '')
              : (s.labels.namespace ?? '');
          if (ownsFigure(parts, index, key)) figures.push(s);
        }
      }
      return figures;
    };
    // Side by side: Prometheus evaluates each query on one core. Both end before a failure is told.
    const [cpuRun, memoryRun] = await Promise.allSettled([run('cpu'), run('memory')]);
    if (cpuRun.status === 'rejected') throw cpuRun.reason;
    if (memoryRun.status === 'rejected') throw memoryRun.reason;
    const [cpu, memory] = [cpuRun.value, memoryRun.value];
    const selected = source.selector ? ` with ${source.selector}` : '';
    if (cpu.length === 0 && memory.length === 0) {
      throw new SourceFailure(
        'no_data',
        `no container metrics for ${day.date}${selected}: check the selector and that Prometheus keeps data that old`,
      );
    }
    // One metric missing altogether is a setting or a scrape gone wrong, not a day of zeros.
    const memoryMetric = `container_memory_${source.memoryMetric}`;
    if (memory.length === 0) {
      throw new SourceFailure(
        'no_data',
        `no ${memoryMetric} series for ${day.date}${selected}, though container_cpu_usage_seconds_total has some: choose the memory metric this Prometheus has (usage_bytes or working_set_bytes)`,
      );
    }
    if (cpu.length === 0) {
      throw new SourceFailure(
        'no_data',
        `no container_cpu_usage_seconds_total series for ${day.date}${selected}, though ${memoryMetric} has some: check that the kubelets' cAdvisor CPU metrics are scraped`,
      );
    }
    if (grouping === 'namespace') {
      const byNamespace = new Map<string, NamespacePeak>();
      const add = (samples: PromSample[], field: 'cpuCores' | 'memoryBytes') => {
        for (const s of samples) {
          const ns = s.labels.namespace;
          if (!ns) continue;
          const peak = byNamespace.get(ns) ?? { namespace: ns, cpuCores: 0, memoryBytes: 0, pods: 0 };
          peak[field] = s.value;
          byNamespace.set(ns, peak);
        }
      };
      add(cpu, 'cpuCores');
      add(memory, 'memoryBytes');
      return { namespaces: [...byNamespace.values()], pods: null, workloads: null };
    }
    const pods = new Map<string, PodPeak>();
    const addPods = (samples: PromSample[], field: 'cpuCores' | 'memoryBytes') => {
      for (const s of samples) {
        const { namespace, pod } = s.labels;
        if (!namespace || !pod) continue;
        const key = `${namespace}\u0000${pod}`;
        const peak = pods.get(key) ?? { namespace, pod, cpuCores: 0, memoryBytes: 0 };
        peak[field] = s.value;
        pods.set(key, peak);
      }
    };
    addPods(cpu, 'cpuCores');
    addPods(memory, 'memoryBytes');
    const podPeaks = [...pods.values()];
    if (source.strategy === 'pod-peak')
      return { namespaces: sumPodPeaks(podPeaks), pods: podPeaks.length, workloads: null };
    const cluster = await this.clusters.findByName(source.clusterName);
    if (!cluster) {
      throw new SourceFailure(
        'cluster_missing',
        `replica-dedup reads workloads and replicas from cluster "${source.clusterName}", which is not connected under K8s接入`,
      );
    }
    const workloads = await (await this.clusterConnections.client(cluster)).listWorkloads(signal);
    const deduped = dedupByReplicas(podPeaks, workloads, source.tolerance);
    return { namespaces: deduped.namespaces, pods: podPeaks.length, workloads: deduped.workloads };
  }

  /**
   * Runs a query for the whole cluster; when Prometheus finds it too expensive, too slow or too large,
   * runs it again per namespace batch (4, then halves), up to 64 batches.
   */
  private async withSplitting(
    query: (namespaces?: string[]) => Promise<PromSample[]>,
    listNamespaces: () => Promise<string[]>,
    stats: QueryStats,
    signal?: AbortSignal,
  ): Promise<PromSample[]> {
    const attempt = async (namespaces?: string[]): Promise<PromSample[]> => {
      if (signal?.aborted) throw new SourceFailure('cancelled', 'cancelled');
      try {
        return await query(namespaces);
      } catch (error) {
        // One more try for a passing server error; a second one is an answer.
        if (error instanceof PromError && error.kind === 'server') {
          stats.retries += 1;
          return query(namespaces);
        }
        throw error;
      }
    };
    let whole: PromError;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PromError && SPLITTABLE.has(error.kind))) throw error;
      whole = error;
    }
    let all: string[];
    try {
      all = await listNamespaces();
    } catch (error) {
      if (!(error instanceof PromError) || error.kind === 'cancelled') throw error;
      throw new SourceFailure(
        whole.kind,
        `${whole.message}; splitting the cluster into namespace batches needs its namespaces, and listing them failed too: ${error.message}`,
      );
    }
    if (all.length === 0) return [];
    const size = Math.ceil(all.length / Math.min(FIRST_SPLIT, all.length));
    const queue: string[][] = [];
    for (let i = 0; i < all.length; i += size) queue.push(all.slice(i, i + size));
    const out: PromSample[] = [];
    let batches = queue.length;
    while (queue.length > 0) {
      const batch = queue.shift()!;
      stats.retries += 1;
      try {
        out.push(...(await attempt(batch)));
      } catch (error) {
        if (!(
          error instanceof PromError &&
          SPLITTABLE.has(error.kind) &&
          batch.length > 1 &&
          batches < MAX_BATCHES
        ))
          throw error;
        const half = Math.ceil(batch.length / 2);
        queue.unshift(batch.slice(0, half), batch.slice(half));
        batches += 1;
      }
    }
    stats.batches = Math.max(stats.batches, batches);
    return out;
  }

  /**
   * Namespace → project for a cluster's `namespaces`: from its last namespace sync; those created
   * since (or all, before a first sync) from the labels read now through its connection, in one
   * cluster-wide list. Without a connected cluster the namespace is its own project (null = use the
   * name).
   */
  private async projectsOf(
    clusterName: string,
    namespaces: string[],
    signal?: AbortSignal,
  ): Promise<Map<string, string | null> | null> {
    const synced = await this.namespaceQuotas.list({ cluster: clusterName });
    const projects = new Map(synced.map((n) => [n.namespace, n.projectName]));
    if (synced.length > 0 && namespaces.every((ns) => projects.has(ns))) return projects;
    const cluster = await this.clusters.findByName(clusterName);
    if (!cluster) return synced.length > 0 ? projects : null;
    const listed = await (await this.clusterConnections.client(cluster)).listNamespaces(signal);
    for (const n of listed)
      if (!projects.has(n.name)) projects.set(n.name, projectOf(n, cluster.projectLabel));
    return projects;
  }
}
