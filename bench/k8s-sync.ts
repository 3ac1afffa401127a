// Scenario `k8s-sync`: QuotaSyncService.syncNamespaces / syncProjectQuotas against fake kube-apiservers
// (apps/server/test/helpers/fake-kube-apiserver: real HTTPS on loopback, driven by the real
// @kubernetes/client-node). Part 1: one cluster of 1,000 / 5,000 / 10,000 namespaces — HTTP requests
// per sync (SyncResult vs. the fake's own log, by path) and wall time. Part 2: 20 clusters of 5,000
// namespaces synced 4 at a time — wall time, requests and peak RSS. The fake servers live in a child
// process of their own, so the time and memory measured here are the product's.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ClusterSyncResult, SyncResult } from '@kra/contracts';
import { DEFAULT_KUBERNETES } from '../apps/server/src/main';
import type { Runtime } from '../apps/server/src/main';
import type { FakeKubeApiServer } from '../apps/server/test/helpers/fake-kube-apiserver';
import { clusterState, PROJECT_LABEL } from './lib/k8s-dataset';
import type { ClusterShape } from './lib/k8s-dataset';
import {
  int,
  log,
  mb,
  mbRange,
  ms,
  msRange,
  msSpan,
  peakRss,
  resetPeakRss,
  RssSampler,
  runsOf,
  secs,
  secsRange,
  secsSpan,
  stat,
} from './lib/measure';
import type { Stat } from './lib/measure';
import { runScenario } from './lib/result';
import type { Table } from './lib/result';
import { createDatabase, databaseLabel, dropDatabase, openRuntime } from './lib/runtime';

const SIZES = [1_000, 5_000, 10_000];
const MAIN_SIZE = 5_000;
const PROJECTS = 300;
/** The page size createRuntime gives ClientNodeKubeAccess (apps/server/src/main.ts). */
const PAGE_SIZE = 500;
const SINGLE_RUNS = runsOf(5);
const FLEET = 20;
const FLEET_RUNS = runsOf(3);
const CONCURRENCY = 4;
const KUBERNETES = { ...DEFAULT_KUBERNETES, concurrency: CONCURRENCY };
const TOKEN = 'bench-sync-token';
const HOST_ENV = 'BENCH_K8S_FAKE_HOST';

/** The seed Python tool: one namespace list, then per namespace a ResourceQuota list and one more call. */
const seedRequests = (namespaces: number) => 1 + 2 * namespaces;
const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE_SIZE));

// ---- the fake API servers' process ----------------------------------------------------------------

type HostRequest =
  | { op: 'start'; shapes: ClusterShape[] }
  | { op: 'stop'; servers: number[] }
  | { op: 'clear' }
  | { op: 'log' }
  | { op: 'usage' };

interface StartedServer {
  server: number;
  url: string;
  kubeconfig: string;
  objects: number;
}

interface ServerLog {
  server: number;
  requests: number;
  byPath: Record<string, number>;
  /** Requests answered with anything but 200/201 (or not answered). */
  failed: number;
  connections: number;
}

interface HostUsage {
  cpuSeconds: number;
  rss: number;
  peakRss: number | null;
}

type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

function serverLog(server: number, fake: FakeKubeApiServer): ServerLog {
  const byPath: Record<string, number> = {};
  let failed = 0;
  for (const r of fake.requests) {
    byPath[r.path] = (byPath[r.path] ?? 0) + 1;
    if (r.status !== 200 && r.status !== 201) failed += 1;
  }
  return { server, requests: fake.requestCount(), byPath, failed, connections: fake.connectionCount };
}

/** Runs in the child: serves the fake clusters and answers the scenario's requests over IPC. */
async function fakeHost(): Promise<void> {
  // Loaded here only, so the scenario process (the product's) never holds the fake's code.
  const { FakeKubeApiServer } = await import('../apps/server/test/helpers/fake-kube-apiserver');
  const servers = new Map<number, FakeKubeApiServer>();
  let next = 0;
  const handle = async (request: HostRequest): Promise<unknown> => {
    switch (request.op) {
      case 'start': {
        const out: StartedServer[] = [];
        for (const shape of request.shapes) {
          const state = clusterState(shape);
          const objects =
            (state.namespaces?.length ?? 0) +
            (state.resourcequotas?.length ?? 0) +
            (state.projectquotas?.length ?? 0);
          const fake = await FakeKubeApiServer.start({ state, tokens: { [TOKEN]: 'bench-sync' } });
          const server = next++;
          servers.set(server, fake);
          out.push({
            server,
            url: fake.url,
            kubeconfig: fake.kubeconfig({ auth: 'token', token: TOKEN }),
            objects,
          });
        }
        return out;
      }
      case 'stop':
        for (const server of request.servers) {
          await servers.get(server)?.stop();
          servers.delete(server);
        }
        return null;
      case 'clear':
        for (const fake of servers.values()) fake.clearRequests();
        return null;
      case 'log':
        return [...servers].map(([server, fake]) => serverLog(server, fake));
      case 'usage': {
        const cpu = process.cpuUsage();
        return {
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          rss: process.memoryUsage().rss,
          peakRss: peakRss(),
        } satisfies HostUsage;
      }
    }
  };
  process.on('message', (message: { id: number; request: HostRequest }) => {
    const reply = (r: HostReply) => process.send?.(r);
    handle(message.request).then(
      (value) => reply({ id: message.id, ok: true, value }),
      (error: unknown) =>
        reply({
          id: message.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
  // The scenario closed the channel (or died): stop serving and go.
  process.on('disconnect', () => {
    void Promise.all([...servers.values()].map((s) => s.stop())).finally(() => process.exit(0));
  });
}

/** The scenario's handle on the fake servers' process. */
class FakeHost {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(`fake API server process: ${reply.error}`));
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        for (const waiter of this.pending.values())
          waiter.reject(new Error(`fake API server process exited with ${signal ?? code}`));
        this.pending.clear();
        resolve();
      });
    });
  }

  static start(): FakeHost {
    // stdout is ignored: the scenario's stdout carries only its JSON result line.
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [HOST_ENV]: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new FakeHost(child);
  }

  call<T>(request: HostRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ id, request }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }
}

// ---- one measured sync ------------------------------------------------------------------------------

type Counts = Pick<ClusterSyncResult, 'created' | 'updated' | 'unchanged' | 'removed' | 'skipped'>;
type Expected = Partial<Counts & { changed: number; namespaces: number }>;

interface SyncRun {
  seconds: number;
  /** Σ of the SyncResult's per-cluster `requests`. */
  requests: number;
  /** What the fake servers logged meanwhile. */
  fakeRequests: number;
  byPath: Record<string, number>;
  connections: number;
  counts: Counts;
  clusterSeconds: number[];
  productCpuSeconds: number;
  fakeCpuSeconds: number;
  rssBefore: number;
  peakRss: number | null;
  sampledPeakRss: number;
}

function totals(result: SyncResult): Counts & { namespaces: number; requests: number } {
  const sum = (f: (c: ClusterSyncResult) => number) => result.clusters.reduce((n, c) => n + f(c), 0);
  return {
    created: sum((c) => c.created),
    updated: sum((c) => c.updated),
    unchanged: sum((c) => c.unchanged),
    removed: sum((c) => c.removed),
    skipped: sum((c) => c.skipped),
    namespaces: sum((c) => c.namespaces),
    requests: sum((c) => c.requests),
  };
}

async function fakeCpu(host: FakeHost): Promise<number> {
  return (await host.call<HostUsage>({ op: 'usage' })).cpuSeconds;
}

/** Times `run` and insists its result is right: every cluster ok, the counts expected, requests agreeing. */
async function measureSync(
  host: FakeHost,
  what: string,
  run: () => Promise<SyncResult>,
  expected: Expected,
): Promise<SyncRun> {
  await host.call({ op: 'clear' });
  const fakeBefore = await fakeCpu(host);
  const rssBefore = process.memoryUsage().rss;
  resetPeakRss();
  const sampler = new RssSampler(20).start();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const sampled = sampler.stop();
  const peak = peakRss();
  const fakeCpuSeconds = (await fakeCpu(host)) - fakeBefore;
  const logs = await host.call<ServerLog[]>({ op: 'log' });

  const failedClusters = result.clusters.filter((c) => !c.ok || c.errors.length > 0);
  if (!result.ok || failedClusters.length > 0)
    throw new Error(
      `${what}: ${failedClusters.length} cluster(s) failed: ${JSON.stringify(failedClusters[0])}`,
    );
  const t = totals(result);
  const actual: Required<Expected> = { ...t, changed: t.created + t.updated };
  for (const [key, want] of Object.entries(expected) as [keyof Expected, number][])
    if (actual[key] !== want) throw new Error(`${what}: ${key} = ${actual[key]}, wanted ${want}`);
  const byPath: Record<string, number> = {};
  for (const l of logs) for (const [p, n] of Object.entries(l.byPath)) byPath[p] = (byPath[p] ?? 0) + n;
  const fakeRequests = logs.reduce((n, l) => n + l.requests, 0);
  if (fakeRequests !== t.requests)
    throw new Error(
      `${what}: SyncResult counts ${t.requests} requests, the fake servers logged ${fakeRequests}`,
    );
  const failed = logs.reduce((n, l) => n + l.failed, 0);
  if (failed > 0) throw new Error(`${what}: ${failed} request(s) not answered 200/201`);
  return {
    seconds,
    requests: t.requests,
    fakeRequests,
    byPath,
    connections: logs.reduce((n, l) => n + l.connections, 0),
    counts: {
      created: t.created,
      updated: t.updated,
      unchanged: t.unchanged,
      removed: t.removed,
      skipped: t.skipped,
    },
    clusterSeconds: result.clusters.map((c) => c.duration_ms / 1000),
    productCpuSeconds: (cpu.user + cpu.system) / 1e6,
    fakeCpuSeconds,
    rssBefore,
    peakRss: peak,
    sampledPeakRss: sampled.peak,
  };
}

/** A fresh database with the given clusters registered through ClusterService.create. */
async function withClusters<T>(
  servers: StartedServer[],
  useProjectQuota: boolean,
  body: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const location = await createDatabase();
  try {
    const runtime = await openRuntime(location, { kubernetes: KUBERNETES });
    try {
      for (const [i, s] of servers.entries()) {
        await runtime.services.clusters.create({
          name: `cluster-${String(i + 1).padStart(2, '0')}`,
          kind: 'kubeconfig',
          kubeconfig: s.kubeconfig,
          use_projectquota: useProjectQuota,
          project_label: PROJECT_LABEL,
        });
      }
      return await body(runtime);
    } finally {
      await runtime.close();
    }
  } finally {
    await dropDatabase(location);
  }
}

// ---- summarising --------------------------------------------------------------------------------------

type SyncKind = 'namespaces' | 'projectquota' | 'resourcequota';
const KIND_LABEL: Record<SyncKind, string> = {
  namespaces: 'namespace quotas',
  projectquota: 'project quotas (ProjectQuota CRD)',
  resourcequota: 'project quotas (from ResourceQuotas)',
};

interface SyncStats {
  runs: number;
  seconds: Stat;
  requests: number;
  fakeRequests: number;
  byPath: Record<string, number>;
  connections: number;
  counts: Counts;
  /** Median over runs of the median per-cluster duration_ms. */
  clusterSeconds: Stat;
  /** Σ per-cluster duration ÷ wall: how many clusters were effectively in flight. */
  overlap: number;
  productCpuSeconds: Stat;
  fakeCpuSeconds: Stat;
  rssBefore: Stat;
  peakRss: Stat;
  sampledPeakRss: Stat;
}

function summarise(what: string, runs: SyncRun[]): SyncStats {
  const first = runs[0]!;
  // Every run must have made the very same requests: the count may not depend on timing.
  for (const r of runs)
    if (r.requests !== first.requests || JSON.stringify(r.byPath) !== JSON.stringify(first.byPath))
      throw new Error(`${what}: runs made different requests (${first.requests} vs ${r.requests})`);
  const median = (values: number[]) => stat(values).median;
  return {
    runs: runs.length,
    seconds: stat(runs.map((r) => r.seconds)),
    requests: first.requests,
    fakeRequests: first.fakeRequests,
    byPath: first.byPath,
    connections: first.connections,
    counts: first.counts,
    clusterSeconds: stat(runs.map((r) => median(r.clusterSeconds))),
    overlap: median(runs.map((r) => r.clusterSeconds.reduce((a, b) => a + b, 0) / r.seconds)),
    productCpuSeconds: stat(runs.map((r) => r.productCpuSeconds)),
    fakeCpuSeconds: stat(runs.map((r) => r.fakeCpuSeconds)),
    rssBefore: stat(runs.map((r) => r.rssBefore)),
    peakRss: stat(runs.map((r) => r.peakRss ?? Number.NaN)),
    sampledPeakRss: stat(runs.map((r) => r.sampledPeakRss)),
  };
}

/** `namespaces 10 + resourcequotas 10`: the request log by resource, discovery named as such. */
function pathBreakdown(byPath: Record<string, number>): string {
  return Object.entries(byPath)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, n]) => {
      const parts = p.split('/').filter(Boolean);
      const label =
        parts[0] === 'apis' && parts.length === 3 ? `discovery ${parts[1]}` : parts[parts.length - 1];
      return `${label} ${int(n)}`;
    })
    .join(' + ');
}

// ---- part 1: one cluster ----------------------------------------------------------------------------

interface SizeResult {
  namespaces: number;
  objects: number;
  first: Record<SyncKind, SyncStats>;
  again: Record<SyncKind, SyncStats>;
}

async function measureSize(host: FakeHost, server: StartedServer, namespaces: number, runs: number) {
  const collected = {
    first: { namespaces: [], projectquota: [], resourcequota: [] } as Record<SyncKind, SyncRun[]>,
    again: { namespaces: [], projectquota: [], resourcequota: [] } as Record<SyncKind, SyncRun[]>,
  };
  const label = `${int(namespaces)} namespaces`;
  for (let run = 0; run < runs; run += 1) {
    await withClusters([server], true, async (runtime) => {
      const sync = runtime.services.quotaSync;
      collected.first.namespaces.push(
        await measureSync(host, `${label}: namespace sync`, () => sync.syncNamespaces(), {
          created: namespaces,
          namespaces,
        }),
      );
      collected.again.namespaces.push(
        await measureSync(host, `${label}: namespace re-sync`, () => sync.syncNamespaces(), {
          unchanged: namespaces,
          changed: 0,
        }),
      );
      collected.first.projectquota.push(
        await measureSync(host, `${label}: project-quota sync`, () => sync.syncProjectQuotas(), {
          created: PROJECTS,
        }),
      );
      collected.again.projectquota.push(
        await measureSync(host, `${label}: project-quota re-sync`, () => sync.syncProjectQuotas(), {
          unchanged: PROJECTS,
          changed: 0,
        }),
      );
    });
    await withClusters([server], false, async (runtime) => {
      const sync = runtime.services.quotaSync;
      const projects = Math.min(PROJECTS, namespaces);
      collected.first.resourcequota.push(
        await measureSync(host, `${label}: project-quota sync without CRD`, () => sync.syncProjectQuotas(), {
          created: projects,
          namespaces,
        }),
      );
      collected.again.resourcequota.push(
        await measureSync(
          host,
          `${label}: project-quota re-sync without CRD`,
          () => sync.syncProjectQuotas(),
          {
            unchanged: projects,
            changed: 0,
          },
        ),
      );
    });
    const f = collected.first;
    log(
      `${label} run ${run + 1}/${runs}: namespaces ${ms(f.namespaces.at(-1)!.seconds)} (${f.namespaces.at(-1)!.requests} requests), ` +
        `project quotas ${ms(f.projectquota.at(-1)!.seconds)} (${f.projectquota.at(-1)!.requests}), ` +
        `without CRD ${ms(f.resourcequota.at(-1)!.seconds)} (${f.resourcequota.at(-1)!.requests})`,
    );
  }
  const kinds: SyncKind[] = ['namespaces', 'projectquota', 'resourcequota'];
  const each = (which: 'first' | 'again') =>
    Object.fromEntries(
      kinds.map((k) => [k, summarise(`${label} ${KIND_LABEL[k]}`, collected[which][k])]),
    ) as Record<SyncKind, SyncStats>;
  return {
    namespaces,
    objects: server.objects,
    first: each('first'),
    again: each('again'),
  } satisfies SizeResult;
}

// ---- part 2: 20 clusters ------------------------------------------------------------------------------

interface FleetResult {
  clusters: number;
  namespacesPerCluster: number;
  objects: number;
  setupSeconds: number;
  fakeRss: number;
  first: Record<'namespaces' | 'projectquota', SyncStats>;
  again: Record<'namespaces' | 'projectquota', SyncStats>;
}

async function measureFleet(host: FakeHost): Promise<FleetResult> {
  const setupStarted = process.hrtime.bigint();
  const shapes = Array.from({ length: FLEET }, (_, i) => ({
    namespaces: MAIN_SIZE,
    projects: PROJECTS,
    seed: 100 + i,
  }));
  const servers = await host.call<StartedServer[]>({ op: 'start', shapes });
  const setupSeconds = Number(process.hrtime.bigint() - setupStarted) / 1e9;
  const fakeRss = (await host.call<HostUsage>({ op: 'usage' })).rss;
  log(
    `${FLEET} fake clusters × ${int(MAIN_SIZE)} namespaces started in ${secs(setupSeconds)} (fake process RSS ${mb(fakeRss)})`,
  );
  const namespaces = FLEET * MAIN_SIZE;
  const shares = FLEET * PROJECTS;
  const runs = {
    first: { namespaces: [] as SyncRun[], projectquota: [] as SyncRun[] },
    again: { namespaces: [] as SyncRun[], projectquota: [] as SyncRun[] },
  };
  try {
    for (let run = 0; run < FLEET_RUNS; run += 1) {
      await withClusters(servers, true, async (runtime) => {
        const sync = runtime.services.quotaSync;
        const ns = await measureSync(host, 'fleet namespace sync', () => sync.syncNamespaces(), {
          created: namespaces,
          namespaces,
        });
        runs.first.namespaces.push(ns);
        log(
          `fleet run ${run + 1}/${FLEET_RUNS}: namespace sync ${secs(ns.seconds)}, peak RSS ${mb(ns.peakRss)}`,
        );
        const nsAgain = await measureSync(host, 'fleet namespace re-sync', () => sync.syncNamespaces(), {
          unchanged: namespaces,
          changed: 0,
        });
        runs.again.namespaces.push(nsAgain);
        log(`fleet run ${run + 1}/${FLEET_RUNS}: namespace re-sync ${secs(nsAgain.seconds)}`);
        // The 20 clusters report the same 300 projects: the first to apply creates them, the others add their share.
        const pq = await measureSync(host, 'fleet project-quota sync', () => sync.syncProjectQuotas(), {
          changed: shares,
          unchanged: 0,
        });
        runs.first.projectquota.push(pq);
        const pqAgain = await measureSync(
          host,
          'fleet project-quota re-sync',
          () => sync.syncProjectQuotas(),
          {
            unchanged: shares,
            changed: 0,
          },
        );
        runs.again.projectquota.push(pqAgain);
        log(
          `fleet run ${run + 1}/${FLEET_RUNS}: project-quota sync ${ms(pq.seconds)}, re-sync ${ms(pqAgain.seconds)}`,
        );
      });
    }
  } finally {
    await host.call({ op: 'stop', servers: servers.map((s) => s.server) });
  }
  return {
    clusters: FLEET,
    namespacesPerCluster: MAIN_SIZE,
    objects: servers.reduce((n, s) => n + s.objects, 0),
    setupSeconds,
    fakeRss,
    first: {
      namespaces: summarise('fleet namespace sync', runs.first.namespaces),
      projectquota: summarise('fleet project-quota sync', runs.first.projectquota),
    },
    again: {
      namespaces: summarise('fleet namespace re-sync', runs.again.namespaces),
      projectquota: summarise('fleet project-quota re-sync', runs.again.projectquota),
    },
  };
}

// ---- scenario -------------------------------------------------------------------------------------------

function countsText(c: Counts): string {
  const parts = [
    c.created ? `${int(c.created)} created` : '',
    c.updated ? `${int(c.updated)} updated` : '',
    c.unchanged ? `${int(c.unchanged)} unchanged` : '',
    c.removed ? `${int(c.removed)} removed` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'nothing';
}

function scenario(): void {
  runScenario('k8s-sync', databaseLabel(), async () => {
    const host = FakeHost.start();
    const sizes: SizeResult[] = [];
    let fleet: FleetResult;
    try {
      const servers = await host.call<StartedServer[]>({
        op: 'start',
        shapes: SIZES.map((namespaces, i) => ({ namespaces, projects: PROJECTS, seed: i + 1 })),
      });
      // One untimed pass warms the JIT (client-node's serializer, the repositories) for every size alike.
      await withClusters([servers[0]!], true, async (runtime) => {
        await runtime.services.quotaSync.syncNamespaces();
        await runtime.services.quotaSync.syncProjectQuotas();
      });
      for (const [i, namespaces] of SIZES.entries()) {
        sizes.push(await measureSize(host, servers[i]!, namespaces, SINGLE_RUNS));
      }
      await host.call({ op: 'stop', servers: servers.map((s) => s.server) });
      fleet = await measureFleet(host);
    } finally {
      await host.close();
    }

    const main = sizes.find((s) => s.namespaces === MAIN_SIZE)!;
    const kinds: SyncKind[] = ['namespaces', 'projectquota', 'resourcequota'];
    const requestTable: Table = {
      title: `k8s-sync: HTTP requests per sync, one cluster (${PROJECTS} projects, one ResourceQuota per namespace, ${PROJECTS} ProjectQuotas), lists paged with limit=${PAGE_SIZE}; the same in every run, first sync and re-sync`,
      columns: [
        'namespaces',
        'sync',
        'requests (SyncResult)',
        'requests (fake log)',
        'by path (fake log)',
        'expected',
        'TLS connections',
        'seed tool',
        'seed ÷ this',
      ],
      rows: sizes.flatMap((s) =>
        kinds.map((k) => {
          const r = s.first[k];
          const again = s.again[k];
          const expected =
            k === 'projectquota'
              ? 1 + pages(PROJECTS)
              : k === 'namespaces' || k === 'resourcequota'
                ? 2 * pages(s.namespaces)
                : 0;
          if (again.requests !== r.requests || r.requests !== expected)
            throw new Error(
              `${KIND_LABEL[k]} at ${s.namespaces}: ${r.requests} / ${again.requests} requests, expected ${expected}`,
            );
          const seed = k === 'projectquota' ? null : seedRequests(s.namespaces);
          return [
            int(s.namespaces),
            KIND_LABEL[k],
            int(r.requests),
            int(r.fakeRequests),
            pathBreakdown(r.byPath),
            int(expected),
            int(r.connections),
            seed === null ? '—' : int(seed),
            seed === null ? '—' : `${int(seed / r.requests)}×`,
          ];
        }),
      ),
    };
    const timeTable: Table = {
      title: `k8s-sync: wall time of QuotaSyncService on one cluster, fresh database per run (first sync = everything created, re-sync = everything unchanged); median of ${SINGLE_RUNS} runs`,
      columns: [
        'namespaces',
        'sync',
        'first sync (min…max)',
        'µs/namespace',
        're-sync (min…max)',
        'CPU product / fake',
        'RSS before',
        'peak RSS (VmHWM)',
      ],
      rows: sizes.flatMap((s) =>
        kinds.map((k) => [
          int(s.namespaces),
          KIND_LABEL[k],
          msRange(s.first[k].seconds),
          k === 'projectquota' ? '—' : ((s.first[k].seconds.median / s.namespaces) * 1e6).toFixed(0),
          msRange(s.again[k].seconds),
          `${ms(s.first[k].productCpuSeconds.median)} / ${ms(s.first[k].fakeCpuSeconds.median)}`,
          mb(s.first[k].rssBefore.median),
          mb(s.first[k].peakRss.median),
        ]),
      ),
    };
    const fleetRows = (['first', 'again'] as const).flatMap((which) =>
      (['namespaces', 'projectquota'] as const).map((k) => {
        const r = fleet[which][k];
        return [
          `${KIND_LABEL[k]}, ${which === 'first' ? 'first sync' : 're-sync'}`,
          String(r.runs),
          secsRange(r.seconds),
          countsText(r.counts),
          `${int(r.requests)} = ${int(r.fakeRequests)}`,
          secs(r.clusterSeconds.median),
          `${r.overlap.toFixed(1)}×`,
          `${secs(r.productCpuSeconds.median)} / ${secs(r.fakeCpuSeconds.median)}`,
          mb(r.rssBefore.median),
          mbRange(r.peakRss),
        ];
      }),
    );
    const fleetTable: Table = {
      title: `k8s-sync: ${FLEET} clusters × ${int(MAIN_SIZE)} namespaces / ${int(MAIN_SIZE)} ResourceQuotas / ${PROJECTS} ProjectQuotas, kubernetes.concurrency ${CONCURRENCY}, fresh database per run; median of the runs`,
      columns: [
        'sync',
        'runs',
        'wall (min…max)',
        'rows',
        'requests (SyncResult = fake log)',
        'per cluster',
        'clusters in flight',
        'CPU product / fake',
        'RSS before',
        'peak RSS VmHWM (min…max)',
      ],
      rows: fleetRows,
    };

    const small = sizes[0]!;
    const large = sizes[sizes.length - 1]!;
    const perNs = (s: SizeResult) => s.first.namespaces.seconds.median / s.namespaces;
    const nsMain = main.first.namespaces;
    const fleetNs = fleet.first.namespaces;
    const fleetPq = fleet.first.projectquota;
    return {
      tables: [requestTable, timeTable, fleetTable],
      notes: [
        `The fake kube-apiservers (apps/server/test/helpers/fake-kube-apiserver) run in a child process of their own, so the wall time includes their serving (JSON of 500 objects per page, one TLS handshake per request) but the CPU and memory figures of "product" are this process's alone; on ${FLEET} clusters the fake process held ${int(fleet.objects)} objects in ${mb(fleet.fakeRss)}. The two processes share this machine's ${os.availableParallelism()} cores, so the fake's CPU (column "CPU product / fake") still competes with the sync's.`,
        "Requests are counted twice and must agree: the `requests` of each SyncResult cluster (client-node middleware in ClientNodeKubeClient) and the fake servers' own logs, cleared before each sync; every request was answered 200 and each run made the very same ones, or the scenario fails.",
        `"expected" is what paging alone needs: ${int(2 * pages(MAIN_SIZE))} for ${int(MAIN_SIZE)} namespaces (namespaces and resourcequotas, ${pages(MAIN_SIZE)} pages each), 1 discovery + ${pages(PROJECTS)} page for ${PROJECTS} ProjectQuotas. The seed Python tool makes 1 + 2 per namespace (${int(seedRequests(MAIN_SIZE))} at ${int(MAIN_SIZE)}); the ProjectQuota sync has no seed figure here.`,
        `TLS connections = requests: client-node 1.4 opens a new connection (and handshake) per request; with pages of 500 that is ${int(nsMain.connections)} handshakes per ${int(MAIN_SIZE)}-namespace sync.`,
        `Namespace sync time per namespace, ${int(small.namespaces)} → ${int(large.namespaces)} namespaces: ${(perNs(small) * 1e6).toFixed(0)} → ${(perNs(large) * 1e6).toFixed(0)} µs (${(perNs(large) / perNs(small)).toFixed(2)}×; 1.00 = linear).`,
        `${FLEET} clusters: ${int(fleetNs.requests)} requests for ${int(FLEET * MAIN_SIZE)} namespaces (the seed tool: ${int(FLEET * seedRequests(MAIN_SIZE))}); "per cluster" is the median duration_ms of one cluster's sync while ${CONCURRENCY} run at once, "clusters in flight" Σ duration_ms ÷ wall.`,
        'The project-quota sync of 20 clusters sharing the same 300 projects: the first cluster to apply creates each project quota, every later one updates it with its share, so "rows" reads 300 created + 5,700 updated.',
        `Peak RSS: VmHWM of this process, reset (clear_refs) right before each sync; "RSS before" includes the runtime and what earlier runs left on the heap. Process peak over the whole scenario is in the header line.`,
        `The fake process used ${secs(fleetNs.fakeCpuSeconds.median)} CPU serving a ${FLEET}-cluster namespace sync whose product side used ${secs(fleetNs.productCpuSeconds.median)}.`,
      ],
      summary: [
        `k8s namespace-quota sync, 1 cluster × ${int(MAIN_SIZE)} namespaces: ${int(nsMain.requests)} requests (seed tool ${int(seedRequests(MAIN_SIZE))}, ${int(seedRequests(MAIN_SIZE) / nsMain.requests)}× fewer), ${ms(nsMain.seconds.median)} (median of ${nsMain.runs}; ${msSpan(nsMain.seconds)}), re-sync ${ms(main.again.namespaces.seconds.median)}; ${int(small.first.namespaces.requests)} / ${int(nsMain.requests)} / ${int(large.first.namespaces.requests)} requests at ${SIZES.map(int).join(' / ')} namespaces`,
        `k8s project-quota sync, 1 cluster × ${PROJECTS} ProjectQuotas: ${int(main.first.projectquota.requests)} requests, ${ms(main.first.projectquota.seconds.median)}; without the CRD (from ${int(MAIN_SIZE)} namespaces' ResourceQuotas) ${int(main.first.resourcequota.requests)} requests, ${ms(main.first.resourcequota.seconds.median)}`,
        `k8s sync of ${FLEET} clusters × ${int(MAIN_SIZE)} namespaces, ${CONCURRENCY} in parallel: namespace quotas ${secs(fleetNs.seconds.median)} (median of ${fleetNs.runs}; ${secsSpan(fleetNs.seconds)}), re-sync ${secs(fleet.again.namespaces.seconds.median)}, ${int(fleetNs.requests)} requests; project quotas ${secs(fleetPq.seconds.median)}, ${int(fleetPq.requests)} requests; peak RSS ${mb(fleetNs.peakRss.median)} (${mb(fleetNs.rssBefore.median)} before)`,
      ],
      data: {
        projects: PROJECTS,
        pageSize: PAGE_SIZE,
        kubernetes: KUBERNETES,
        sizes,
        fleet,
      },
    };
  });
}

if (process.env[HOST_ENV]) await fakeHost();
else scenario();
