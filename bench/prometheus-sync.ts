// Scenario `prometheus-sync`: UsageSyncService.syncDate against a real Prometheus 2.42 holding one day of
// cAdvisor metrics for 5,000 pods in 500 namespaces (the test harness in apps/server/test/helpers/prometheus:
// OpenMetrics imported with promtool), each strategy on a fresh database with one source, against the seed's
// approach (two instant queries per namespace, one after the other). Prometheus and the fake kube-apiserver
// (for replica-dedup's Deployments and the namespaces' projects) run in a child process of their own, so the
// CPU and memory measured here are the product's; Prometheus's own are read from /proc.
import { execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceSyncResult } from '@kra/contracts';
import { dayWindow } from '../apps/server/src/domain/day-window';
import type { DayWindow } from '../apps/server/src/domain/day-window';
import { censusQuery, usageQuery } from '../apps/server/src/domain/promql';
import { planUsageParts } from '../apps/server/src/domain/usage-plan';
import type { UsageStrategy } from '../apps/server/src/domain/promql';
import type { Runtime } from '../apps/server/src/main';
import type { FakeKubeApiServer } from '../apps/server/test/helpers/fake-kube-apiserver';
import type { PrometheusServer } from '../apps/server/test/helpers/prometheus';
import { PROJECT_LABEL } from './lib/k8s-dataset';
import {
  int,
  log,
  mb,
  mbRange,
  ms,
  peakRss,
  resetPeakRss,
  runsOf,
  secs,
  secsRange,
  secsSpan,
  stat,
} from './lib/measure';
import type { Stat } from './lib/measure';
import {
  DEPLOYMENTS_PER_NAMESPACE,
  REPLICAS,
  ROLLOUT_SHARE,
  SCRAPE_SECONDS,
  SIDECAR_SHARE,
  TEXT_SECONDS,
  buildDataset,
  clusterState,
  expectedFigures,
  openMetricsChunks,
  podPeaks,
} from './lib/prometheus-dataset';
import type { NamespaceFigures } from './lib/prometheus-dataset';
import { runScenario } from './lib/result';
import type { Table } from './lib/result';
import {
  TIMEZONE,
  createDatabase,
  databaseLabel,
  dropDatabase,
  makeTempDir,
  openRuntime,
  removeTempDir,
} from './lib/runtime';

/** A past day in TIMEZONE (the runtime's default time zone): 2025-03-09T16:00Z … 2025-03-10T16:00Z. */
const DATE = '2025-03-10';
const STRATEGIES: UsageStrategy[] = ['pod-peak', 'replica-dedup', 'concurrent-peak', 'average'];
const RUNS = runsOf(3);
/** replica-dedup keeps the ⌊replicas × tolerance⌋ largest pods of a Deployment; the product's default tolerance. */
const TOLERANCE = 1.5;
/**
 * How many namespaces the product's syncs measure: the whole cluster by default; fewer (the first ones,
 * through the source's selector) with BENCH_PROM_NAMESPACES, for a quicker look.
 */
const SLICE = Math.min(500, Math.max(1, Number(process.env.BENCH_PROM_NAMESPACES) || 500));
const CLUSTER = 'bench-prod';
const TOKEN = 'bench-usage-token';
/** Set in the child process, to the scenario's temp folder. */
const HOST_ENV = 'BENCH_PROMETHEUS_HOST';
const TMP_PREFIX = 'kra-bench-prometheus-';
/** The product's default query timeout (PrometheusSourceService DEFAULTS.timeoutSeconds). */
const SOURCE_TIMEOUT_SECONDS = 60;

// ---- the child process: generated data, Prometheus and the fake kube-apiserver ------------------------------

interface Prepared {
  prometheusUrl: string;
  version: string;
  kubeconfig: string;
  /** All namespaces of the cluster, and the first `slice` of them, which the product's syncs measure. */
  allNamespaces: string[];
  namespaces: string[];
  deployments: number;
  rolledDeployments: number;
  pods: number;
  containers: number;
  series: number;
  samples: number;
  texts: number;
  characters: number;
  generateSeconds: number;
  /** Writing the texts, promtool and Prometheus's start-up: PrometheusServer.start minus the rendering. */
  importSeconds: number;
  blocks: number;
  prometheusRss: number;
  /** Per namespace of the slice: what pod-peak and replica-dedup must store. */
  expected: { podPeak: [string, NamespaceFigures][]; replicaDedup: [string, NamespaceFigures][] };
  slicePods: number;
  sliceSidecarPods: number;
}

interface PrometheusUsage {
  cpuSeconds: number;
  rss: number;
  peak: number;
}

type HostRequest =
  { op: 'start'; slice: number } | { op: 'prometheus'; reset: boolean } | { op: 'kube'; clear: boolean };

type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * PrometheusServer.start imports its texts one after the other; this array renders each when the import
 * reaches it, so the day's ~7 GB of OpenMetrics never sits in memory at once (it would not fit V8's heap).
 */
function lazyTexts(count: number, render: (i: number) => string): string[] {
  return new Proxy<string[]>([], {
    get(target, key, receiver) {
      if (key === 'length') return count;
      if (typeof key === 'string' && /^\d+$/.test(key)) return render(Number(key));
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** The processes named `command` that this process started (the harnesses keep their handles private). */
function childPids(command: 'prometheus' | 'promtool'): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === command && ppid === process.pid) pids.push(Number(entry));
    } catch {
      // A process that ended while we looked.
    }
  }
  return pids;
}

/** The Prometheus the harness spawned for this process. */
function prometheusPid(): number {
  const [pid, ...more] = childPids('prometheus');
  if (pid === undefined || more.length > 0)
    throw new Error(
      `expected one prometheus process started by this one, found ${more.length + (pid ? 1 : 0)}`,
    );
  return pid;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function prometheusUsage(pid: number): Omit<PrometheusUsage, 'peak'> {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, i.e. 11 and 12 after the comm.
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
  return { cpuSeconds, rss };
}

async function host(): Promise<void> {
  // Loaded here only, so the scenario process (the product's) never holds the harnesses' code.
  const { FakeKubeApiServer } = await import('../apps/server/test/helpers/fake-kube-apiserver');
  const { PrometheusServer } = await import('../apps/server/test/helpers/prometheus');
  let prometheus: PrometheusServer | undefined;
  let fake: FakeKubeApiServer | undefined;
  let pid = 0;

  const start = async (slice: number): Promise<Prepared> => {
    const day = dayWindow(DATE, TIMEZONE);
    const data = buildDataset(day.startUnix, day.endUnix);
    fake = await FakeKubeApiServer.start({ state: clusterState(data), tokens: { [TOKEN]: 'bench-usage' } });
    const chunks = openMetricsChunks(data);
    let generateSeconds = 0;
    let characters = 0;
    const started = process.hrtime.bigint();
    prometheus = await PrometheusServer.start({
      openMetrics: lazyTexts(chunks.count, (i) => {
        const t = process.hrtime.bigint();
        const text = chunks.render(i);
        generateSeconds += Number(process.hrtime.bigint() - t) / 1e9;
        characters += text.length;
        log(`OpenMetrics text ${i + 1}/${chunks.count}: ${int(text.length / 1e6)} M characters`);
        return text;
      }),
      // Blocks stay as imported: no compaction starting a minute in, in the middle of the measurements.
      // The product's queries give up after its own 60 s; the direct queries of the last table may take longer.
      extraArgs: ['--storage.tsdb.max-block-duration=2h', '--query.timeout=10m'],
    });
    const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    pid = prometheusPid();
    const metrics = await (await fetch(`${prometheus.url}/metrics`)).text();
    const build = (await (await fetch(`${prometheus.url}/api/v1/status/buildinfo`)).json()) as {
      data: { version: string };
    };
    const namespaces = data.namespaces.slice(0, slice).map((n) => n.name);
    const inSlice = new Set(namespaces);
    const peaks = podPeaks(data).filter((p) => inSlice.has(p.namespace));
    const expected = expectedFigures(peaks, TOLERANCE);
    const slicePods = data.pods.filter((p) => inSlice.has(p.namespace));
    return {
      prometheusUrl: prometheus.url,
      version: build.data.version,
      kubeconfig: fake.kubeconfig({ auth: 'token', token: TOKEN }),
      allNamespaces: data.namespaces.map((n) => n.name),
      namespaces,
      deployments: data.deployments.length,
      rolledDeployments: data.deployments.filter((d) => d.rolledAt !== null).length,
      pods: data.pods.length,
      containers: data.containers,
      series: data.series,
      samples: data.samples,
      texts: chunks.count,
      characters,
      generateSeconds,
      importSeconds: totalSeconds - generateSeconds,
      blocks: Number(/^prometheus_tsdb_blocks_loaded (\S+)$/m.exec(metrics)?.[1]),
      prometheusRss: prometheusUsage(pid).rss,
      expected: { podPeak: [...expected.podPeak], replicaDedup: [...expected.replicaDedup] },
      slicePods: slicePods.length,
      sliceSidecarPods: slicePods.filter((p) => p.containers.length > 1).length,
    };
  };

  const handle = async (request: HostRequest): Promise<unknown> => {
    switch (request.op) {
      case 'start':
        return start(request.slice);
      case 'prometheus': {
        const usage: PrometheusUsage = { ...prometheusUsage(pid), peak: await prometheus!.peakRssBytes() };
        // Linux: 5 resets VmHWM to the current RSS (the process is ours, so we may write its clear_refs).
        if (request.reset) fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return usage;
      }
      case 'kube': {
        const count = fake!.requestCount();
        if (request.clear) fake!.clearRequests();
        return count;
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
  // An import in progress has a promtool running, which neither stop() nor the harness's exit hook ends: it
  // would write its block into the folder after the scenario removed it. End our own children by pid, then
  // remove the folder (the scenario's temp folder, given as HOST_ENV) ourselves.
  const tmpDir = process.env[HOST_ENV]!;
  const abandon = () => {
    for (const child of [...childPids('promtool'), ...childPids('prometheus')])
      process.kill(child, 'SIGKILL');
    if (path.basename(tmpDir).startsWith(TMP_PREFIX)) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  // Synchronous, so it is done before bench/lib/runtime.ts's own handler exits the process.
  process.once('SIGINT', abandon);
  process.once('SIGTERM', abandon);
  // The scenario closed the channel (or died): stop Prometheus (removing its data) and the fake, and go.
  process.on('disconnect', () => {
    void Promise.all([prometheus?.stop(), fake?.stop()])
      .catch(() => undefined)
      .finally(() => {
        abandon();
        process.exit(0);
      });
  });
}

/** The scenario's handle on the child process. */
class Host {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(`Prometheus host process: ${reply.error}`));
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        for (const waiter of this.pending.values())
          waiter.reject(new Error(`Prometheus host process exited with ${signal ?? code}`));
        this.pending.clear();
        resolve();
      });
    });
  }

  /** `tmpDir` becomes the child's TMPDIR, so Prometheus's data (the harness's temp folder) lives in it. */
  static start(tmpDir: string): Host {
    // stdout is ignored: the scenario's stdout carries only its JSON result line.
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [HOST_ENV]: tmpDir, TMPDIR: tmpDir },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Host(child);
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

// ---- one measured sync --------------------------------------------------------------------------------------

interface SyncRun {
  seconds: number;
  result: SourceSyncResult;
  productCpuSeconds: number;
  prometheusCpuSeconds: number;
  kubeRequests: number;
  peakRss: number | null;
  figures: Map<string, NamespaceFigures>;
}

/** What the sync stored for the date: namespace → figures. */
async function storedFigures(runtime: Runtime): Promise<Map<string, NamespaceFigures>> {
  const rows = await runtime.database.db
    .selectFrom('namespace_usage as u')
    .innerJoin('usage_batches as b', 'b.id', 'u.batch_id')
    .where('b.date', '=', DATE)
    .where('b.status', '=', 'active')
    .select(['u.namespace', 'u.cpu_cores', 'u.memory_bytes'])
    .execute();
  return new Map(
    rows.map((r) => [r.namespace, { cores: Number(r.cpu_cores), bytes: Number(r.memory_bytes) }]),
  );
}

/** A fresh database with the cluster (ClusterService.create) and one source of `strategy`; syncs the date once. */
async function measureSync(
  hostProcess: Host,
  prepared: Prepared,
  strategy: UsageStrategy,
  selector: string | null,
): Promise<SyncRun> {
  const location = await createDatabase();
  try {
    const runtime = await openRuntime(location);
    try {
      await runtime.services.clusters.create({
        name: CLUSTER,
        kind: 'kubeconfig',
        kubeconfig: prepared.kubeconfig,
        use_projectquota: false,
        project_label: PROJECT_LABEL,
      });
      const source = await runtime.services.prometheus.create({
        name: 'bench-prometheus',
        url: prepared.prometheusUrl,
        cluster_name: CLUSTER,
        strategy,
        ...(selector ? { selector } : {}),
      });
      await hostProcess.call({ op: 'kube', clear: true });
      const promBefore = await hostProcess.call<PrometheusUsage>({ op: 'prometheus', reset: false });
      resetPeakRss();
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const synced = await runtime.services.usageSync.syncDate(DATE, [source.id]);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const peak = peakRss();
      const promAfter = await hostProcess.call<PrometheusUsage>({ op: 'prometheus', reset: false });
      const kubeRequests = await hostProcess.call<number>({ op: 'kube', clear: false });
      const result = synced.sources[0]!;
      if (!synced.ok || !result.ok)
        throw new Error(`${strategy} sync failed: ${JSON.stringify(result.errors.slice(0, 2))}`);
      return {
        seconds,
        result,
        productCpuSeconds: (cpu.user + cpu.system) / 1e6,
        prometheusCpuSeconds: promAfter.cpuSeconds - promBefore.cpuSeconds,
        kubeRequests,
        peakRss: peak,
        figures: await storedFigures(runtime),
      };
    } finally {
      await runtime.close();
    }
  } finally {
    await dropDatabase(location);
  }
}

// ---- checking the figures -------------------------------------------------------------------------------------

const close = (a: number, b: number, relative = 1e-6) =>
  Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));

function checkEqual(
  what: string,
  actual: Map<string, NamespaceFigures>,
  expected: Map<string, NamespaceFigures>,
) {
  if (actual.size !== expected.size)
    throw new Error(`${what}: ${actual.size} namespaces stored, expected ${expected.size}`);
  for (const [ns, want] of expected) {
    const got = actual.get(ns);
    if (!got || !close(got.cores, want.cores) || !close(got.bytes, want.bytes))
      throw new Error(`${what}: ${ns} stored ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

/** Every namespace positive and at most `bound` (a per-namespace upper limit), with float slack. */
function checkBelow(
  what: string,
  actual: Map<string, NamespaceFigures>,
  bound: Map<string, NamespaceFigures>,
) {
  if (actual.size !== bound.size)
    throw new Error(`${what}: ${actual.size} namespaces stored, expected ${bound.size}`);
  for (const [ns, limit] of bound) {
    const got = actual.get(ns);
    const ok =
      got &&
      got.cores > 0 &&
      got.bytes > 0 &&
      got.cores <= limit.cores * (1 + 1e-9) &&
      got.bytes <= limit.bytes * (1 + 1e-9);
    if (!ok)
      throw new Error(
        `${what}: ${ns} stored ${JSON.stringify(got)}, not within (0, ${JSON.stringify(limit)}]`,
      );
  }
}

const totals = (figures: Map<string, NamespaceFigures>) =>
  [...figures.values()].reduce((t, f) => ({ cores: t.cores + f.cores, bytes: t.bytes + f.bytes }), {
    cores: 0,
    bytes: 0,
  });

// ---- the seed's approach ------------------------------------------------------------------------------------------

interface SeedRun {
  seconds: number;
  queries: number;
  figures: Map<string, NamespaceFigures>;
}

/** The seed's rules: two instant queries per namespace at the end of the day, GET, one after the other. */
async function seedSync(url: string, namespaces: string[], day: DayWindow): Promise<SeedRun> {
  const one = async (promql: string): Promise<number> => {
    const params = new URLSearchParams({ query: promql, time: String(day.endUnix) });
    const response = await fetch(`${url}/api/v1/query?${params}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: { value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`seed query failed: ${body.error}`);
    return Number(body.data?.result[0]?.value[1] ?? 0);
  };
  const figures = new Map<string, NamespaceFigures>();
  let queries = 0;
  const started = process.hrtime.bigint();
  for (const ns of namespaces) {
    const cores = await one(
      `sum(max by (pod)(max_over_time(irate(container_cpu_usage_seconds_total{namespace="${ns}"}[5m])[1d:])))`,
    );
    const bytes = await one(
      `sum(max by (pod)(max_over_time(container_memory_usage_bytes{namespace="${ns}"}[1d])))`,
    );
    queries += 2;
    figures.set(ns, { cores, bytes });
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, queries, figures };
}

/** Namespaces the cost of the day-start filter over the whole day is shown on: it is too slow for more. */
const FILTER_NAMESPACES = 15;

/**
 * pod-peak's exact CPU query (max per container, then sum per pod, at every step) on a few namespaces,
 * and written with `and timestamp(…) > <day start>` over all of the day's steps instead of its first 15
 * minutes: the cost the split avoids.
 */
function filterOverTheDay(namespaces: string[], day: DayWindow): [string, string][] {
  const options = { memoryMetric: 'usage_bytes' as const, step: '1m', selector: null, namespaces };
  const split = usageQuery('pod-peak', 'cpu', day, options);
  const series = /irate\((container_cpu_usage_seconds_total\{[^}]*\})\[5m\]\)/.exec(split)?.[1];
  if (!series) throw new Error(`no CPU series in ${split}`);
  const whole = `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (irate(${series}[5m]) and timestamp(${series}) > ${day.startUnix}))[${day.seconds}s:1m])`;
  return [
    [`with the filter over the first 15 min, ${namespaces.length} namespaces`, split],
    [`the filter over every step of the day, ${namespaces.length} namespaces`, whole],
  ];
}

/** One instant query at the end of the day, timed: the Prometheus side of a product query. */
async function timeQuery(
  url: string,
  promql: string,
  day: DayWindow,
): Promise<{
  seconds: number;
  series: number;
  result: { metric: Record<string, string>; value: [number, string] }[];
}> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query: promql, time: String(day.endUnix) }),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (body.status !== 'success') throw new Error(`query failed: ${body.error}`);
  const result = body.data?.result ?? [];
  return { seconds, series: result.length, result };
}

// ---- scenario -----------------------------------------------------------------------------------------------------

interface StrategyResult {
  strategy: UsageStrategy;
  runs: number;
  seconds: Stat;
  durationMs: Stat;
  queries: number;
  batches: number;
  retries: number;
  namespaces: number;
  pods: number | null;
  kubeRequests: number;
  productCpuSeconds: Stat;
  prometheusCpuSeconds: Stat;
  productPeakRss: Stat;
  prometheusRssBefore: number;
  prometheusPeakRss: number;
  totals: NamespaceFigures;
}

const GiB = 1024 ** 3;
const fmtTotals = (t: NamespaceFigures) => `${t.cores.toFixed(1)} cores / ${(t.bytes / GiB).toFixed(1)} GiB`;

function scenario(): void {
  runScenario('prometheus-sync', databaseLabel(), async () => {
    const day = dayWindow(DATE, TIMEZONE);
    const tmpDir = makeTempDir(TMP_PREFIX);
    const hostProcess = Host.start(tmpDir);
    const strategies: StrategyResult[] = [];
    let prepared: Prepared;
    let selector: string | null;
    let seedAll: { runs: SeedRun[]; peak: number };
    let seedSlice: { runs: SeedRun[]; peak: number };
    const diagnosis: { what: string; seconds: number; series: number }[] = [];
    try {
      log(`generating one day of cAdvisor metrics and importing it with promtool (~1.5 min)`);
      prepared = await hostProcess.call<Prepared>({ op: 'start', slice: SLICE });
      log(
        `Prometheus ${prepared.version}: ${int(prepared.samples)} samples of ${int(prepared.series)} series in ${prepared.blocks} blocks; ` +
          `generation ${secs(prepared.generateSeconds)}, write + promtool + start ${secs(prepared.importSeconds)}`,
      );
      const url = prepared.prometheusUrl;
      const slice = prepared.namespaces;
      selector = SLICE < 500 ? `namespace=~"${slice.join('|')}"` : null;
      const expected = {
        podPeak: new Map(prepared.expected.podPeak),
        replicaDedup: new Map(prepared.expected.replicaDedup),
      };
      // Untimed: the first query opens the blocks' index and chunk files.
      await timeQuery(url, 'count(container_memory_usage_bytes)', day);

      const seedRuns = async (namespaces: string[], label: string) => {
        await hostProcess.call({ op: 'prometheus', reset: true });
        const runs: SeedRun[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          runs.push(await seedSync(url, namespaces, day));
          log(
            `seed approach, ${label} run ${run + 1}/${RUNS}: ${runs.at(-1)!.queries} queries in ${secs(runs.at(-1)!.seconds)}`,
          );
        }
        const { peak } = await hostProcess.call<PrometheusUsage>({ op: 'prometheus', reset: false });
        return { runs, peak };
      };
      seedAll = await seedRuns(prepared.allNamespaces, 'all namespaces');
      seedSlice =
        slice.length === prepared.allNamespaces.length
          ? seedAll
          : await seedRuns(slice, `${slice.length} namespaces`);

      let concurrent: Map<string, NamespaceFigures> | undefined;
      for (const strategy of STRATEGIES) {
        const before = await hostProcess.call<PrometheusUsage>({ op: 'prometheus', reset: true });
        const runs: SyncRun[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          const r = await measureSync(hostProcess, prepared, strategy, selector);
          const what = `${strategy} run ${run + 1}`;
          if (r.result.namespaces !== slice.length)
            throw new Error(`${what}: ${r.result.namespaces} namespaces stored, expected ${slice.length}`);
          if (strategy === 'pod-peak') checkEqual(what, r.figures, expected.podPeak);
          if (strategy === 'replica-dedup') checkEqual(what, r.figures, expected.replicaDedup);
          if (strategy === 'concurrent-peak') checkBelow(what, r.figures, expected.podPeak);
          if (strategy === 'average') checkBelow(what, r.figures, concurrent!);
          if (
            (strategy === 'pod-peak' || strategy === 'replica-dedup') &&
            r.result.pods !== prepared.slicePods
          )
            throw new Error(`${what}: ${r.result.pods} pods, expected ${prepared.slicePods}`);
          if (runs.length > 0) checkEqual(`${what} vs run 1`, r.figures, runs[0]!.figures);
          runs.push(r);
          log(
            `${strategy} run ${run + 1}/${RUNS}: ${secs(r.seconds)}, ${r.result.queries} queries, ` +
              `batches ${r.result.batches}, retries ${r.result.retries}, Prometheus CPU ${secs(r.prometheusCpuSeconds)}`,
          );
        }
        if (strategy === 'concurrent-peak') concurrent = runs[0]!.figures;
        const after = await hostProcess.call<PrometheusUsage>({ op: 'prometheus', reset: false });
        const first = runs[0]!;
        for (const r of runs)
          if (r.result.queries !== first.result.queries || r.kubeRequests !== first.kubeRequests)
            throw new Error(`${strategy}: runs made different requests`);
        strategies.push({
          strategy,
          runs: runs.length,
          seconds: stat(runs.map((r) => r.seconds)),
          durationMs: stat(runs.map((r) => r.result.duration_ms)),
          queries: first.result.queries,
          batches: Math.max(...runs.map((r) => r.result.batches)),
          retries: Math.max(...runs.map((r) => r.result.retries)),
          namespaces: first.result.namespaces,
          pods: first.result.pods,
          kubeRequests: first.kubeRequests,
          productCpuSeconds: stat(runs.map((r) => r.productCpuSeconds)),
          prometheusCpuSeconds: stat(runs.map((r) => r.prometheusCpuSeconds)),
          productPeakRss: stat(runs.map((r) => r.peakRss ?? Number.NaN)),
          prometheusRssBefore: before.rss,
          prometheusPeakRss: after.peak,
          totals: totals(first.figures),
        });
      }

      // Where the time goes: pod-peak's CPU query in one exact query, and the parts of the plan, one at a time.
      const options = { memoryMetric: 'usage_bytes' as const, step: '1m', selector };
      const census = await timeQuery(url, censusQuery('cpu', day, options), day);
      const plan = planUsageParts(
        'pod-peak',
        census.result.map((r) => ({
          namespace: r.metric.namespace ?? '',
          pod: r.metric.pod ?? '',
          container: r.metric.container ?? '',
          series: Number(r.value[1]),
        })),
        Number.POSITIVE_INFINITY,
      );
      const summed = plan.find((part) => part.shape === 'sum');
      if (!summed?.limit || plan.length !== 2)
        throw new Error(
          `expected the plan of every pod and of the pods with a sidecar, got ${plan.length} parts`,
        );
      const series = `container_cpu_usage_seconds_total{container!="", container!="POD"${selector ? `, ${selector}` : ''}}`;
      diagnosis.push({ what: 'census of the CPU series (count by namespace, pod, container)', ...census });
      for (const [what, promql] of [
        [
          'pod-peak CPU in one exact query (max per container, then sum per pod, at every step)',
          usageQuery('pod-peak', 'cpu', day, options),
        ],
        [
          "the plan's part of every pod: each series' peak, max by (namespace, pod) after max_over_time",
          usageQuery('pod-peak', 'cpu', day, options, 'per-series'),
        ],
        [
          `the plan's part of the ${int(summed.keys!.size)} pods with two containers, summed per step (one query here)`,
          usageQuery('pod-peak', 'cpu', day, options, 'sum', summed.limit),
        ],
        [
          "the seed's CPU expression for every namespace in one query",
          `sum by (namespace) (max by (namespace, pod) (max_over_time(irate(${series}[5m])[1d:])))`,
        ],
        ...filterOverTheDay(prepared.allNamespaces.slice(0, FILTER_NAMESPACES), day),
      ] as const) {
        diagnosis.push({ what, ...(await timeQuery(url, promql, day)) });
        log(`${what}: ${secs(diagnosis.at(-1)!.seconds)}`);
      }
    } finally {
      await hostProcess.close();
      removeTempDir(tmpDir);
    }
    const p = prepared;
    const n = p.namespaces.length;
    const podPeak = strategies.find((s) => s.strategy === 'pod-peak')!;
    const seedStat = (runs: SeedRun[]) => stat(runs.map((r) => r.seconds));
    const seedAllSeconds = seedStat(seedAll.runs);
    const seedSliceSeconds = seedStat(seedSlice.runs);
    type Timed = (typeof diagnosis)[number];
    const [censusPart, exactInOne, perSeriesPart, sumPart, seedInOne, splitFew, wholeFew] = diagnosis as [
      Timed,
      Timed,
      Timed,
      Timed,
      Timed,
      Timed,
      Timed,
    ];
    const planned = censusPart.seconds + perSeriesPart.seconds + sumPart.seconds;
    const filterCost = wholeFew.seconds / splitFew.seconds;
    const measuredAll = n === p.allNamespaces.length;

    const dataTable: Table = {
      title: `prometheus-sync: the day's data — ${DATE} in ${TIMEZONE} plus 30 min either side, scraped every ${SCRAPE_SECONDS} s, written with the test harness and imported with promtool (setup, not timed as the product)`,
      columns: ['what', 'figure'],
      rows: [
        [
          'namespaces / Deployments / pods',
          `${int(p.allNamespaces.length)} / ${int(p.deployments)} × ${REPLICAS} replicas (${int(p.rolledDeployments)} roll over in the day) / ${int(p.pods)}`,
        ],
        [
          'containers / series / samples',
          `${int(p.containers)} (one or two per pod) / ${int(p.series)} / ${int(p.samples)}`,
        ],
        [
          'OpenMetrics',
          `${p.texts} texts of ${TEXT_SECONDS / 60} min, ${(p.characters / 1e9).toFixed(2)} G characters (${(p.characters / p.samples).toFixed(0)} per sample)`,
        ],
        ['generation (cpuCounter, memoryGauge, openMetrics)', secs(p.generateSeconds)],
        ['write + promtool import + Prometheus start-up', secs(p.importSeconds)],
        ['Prometheus', `${p.version}, ${p.blocks} blocks, RSS after start-up ${mb(p.prometheusRss)}`],
      ],
    };

    const syncTable: Table = {
      title: `prometheus-sync: UsageSyncService.syncDate('${DATE}') of one source (step 1m, timeout ${SOURCE_TIMEOUT_SECONDS} s) measuring ${int(n)} namespaces / ${int(p.slicePods)} pods${selector ? ' (its selector picks them out of the whole cluster)' : ''}, fresh database per run; median of ${RUNS}`,
      columns: [
        'strategy',
        'wall (min…max)',
        'duration_ms',
        'queries',
        'batches / retries',
        'namespaces stored',
        'pods',
        'kube requests',
        'CPU product / Prometheus',
        'Prometheus RSS before',
        'Prometheus peak (VmHWM)',
        'product peak RSS',
        'Σ stored',
      ],
      rows: strategies.map((s) => [
        s.strategy,
        secsRange(s.seconds),
        int(s.durationMs.median),
        int(s.queries),
        `${s.batches} / ${s.retries}`,
        int(s.namespaces),
        s.pods === null ? '—' : int(s.pods),
        int(s.kubeRequests),
        `${secs(s.productCpuSeconds.median)} / ${secs(s.prometheusCpuSeconds.median)}`,
        mb(s.prometheusRssBefore),
        mb(s.prometheusPeakRss),
        mbRange(s.productPeakRss),
        fmtTotals(s.totals),
      ]),
    };

    const seedRow = (
      label: string,
      namespaces: number,
      runs: SeedRun[],
      seconds: Stat,
      peak: number,
      ratio: string,
    ) => [
      label,
      int(namespaces),
      int(runs[0]!.queries),
      secsRange(seconds),
      ms(seconds.median / runs[0]!.queries),
      ratio,
      mb(peak),
      fmtTotals(totals(runs[0]!.figures)),
    ];
    const seedTable: Table = {
      title: `prometheus-sync: the seed's approach — 2 instant queries per namespace (GET, one after the other, evaluated at the end of the day) — against pod-peak's ${int(podPeak.queries)} queries; median of ${RUNS}`,
      columns: [
        'approach',
        'namespaces',
        'queries',
        'wall (min…max)',
        'per query',
        'pod-peak ÷ this',
        'Prometheus peak (VmHWM)',
        'Σ figures',
      ],
      rows: [
        seedRow(
          'seed, whole cluster',
          p.allNamespaces.length,
          seedAll.runs,
          seedAllSeconds,
          seedAll.peak,
          measuredAll ? `${(podPeak.seconds.median / seedAllSeconds.median).toFixed(1)}×` : '—',
        ),
        ...(measuredAll
          ? []
          : [
              seedRow(
                `seed, the ${int(n)} namespaces pod-peak measured`,
                n,
                seedSlice.runs,
                seedSliceSeconds,
                seedSlice.peak,
                `${(podPeak.seconds.median / seedSliceSeconds.median).toFixed(0)}×`,
              ),
            ]),
        [
          'pod-peak (UsageSyncService)',
          int(n),
          int(podPeak.queries),
          secsRange(podPeak.seconds),
          ms(podPeak.seconds.median / podPeak.queries),
          '1×',
          mb(podPeak.prometheusPeakRss),
          fmtTotals(podPeak.totals),
        ],
      ],
    };

    const diagnosisTable: Table = {
      title: `prometheus-sync: where pod-peak's time goes — its CPU query and its parts sent straight to Prometheus ${p.version}, one at a time, on ${int(n)} namespaces unless the row says otherwise`,
      columns: ['query', 'time', 'series returned'],
      rows: diagnosis.map((d) => [d.what, secs(d.seconds), int(d.series)]),
    };

    const seedSliceTotals = totals((measuredAll ? seedAll : seedSlice).runs[0]!.figures);
    const notes = [
      `The day: ${int(p.allNamespaces.length)} namespaces (100 projects × 5, names from bench/lib/dataset.ts, each labelled with its project) × ${DEPLOYMENTS_PER_NAMESPACE} Deployments × ${REPLICAS} replicas; ${(ROLLOUT_SHARE * 100).toFixed(0)}% of the Deployments roll over once between 02:00 and 22:00 (two new pods replace the two old ones, one at a time, 2 min apart), so ${int(p.pods)} pods ran in the day; ${(SIDECAR_SHARE * 100).toFixed(0)}% of the Deployments have a sidecar container. CPU and memory are functions of (container, time) with a daily wave, noise and rare spikes (bench/lib/prometheus-dataset.ts, mulberry32 seeds). Only container series are written: no pod cgroup (container="") and no pause container, which the product's queries skip anyway.`,
      `Scrape interval ${SCRAPE_SECONDS} s (not 30 s) to keep the import at ${(p.characters / 1e9).toFixed(1)} G characters of OpenMetrics; the texts are rendered one at a time as the harness imports them (${TEXT_SECONDS / 60} min each: promtool 2.42 parses a text once per 2-hour block it writes, and a 2-hour text would come close to V8's string limit). The blocks stay as imported (--storage.tsdb.max-block-duration=2h), so no compaction starts a minute in, in the middle of the measurements; otherwise Prometheus runs with its defaults but --query.timeout=10m, for the direct queries of the last table (the product gives up after its own ${SOURCE_TIMEOUT_SECONDS} s).`,
      measuredAll
        ? `The syncs measure the whole cluster. BENCH_PROM_NAMESPACES=N measures the first N namespaces only (through the source's selector), for a quicker look.`
        : `The syncs measure the first ${int(n)} namespaces (${int(p.slicePods)} pods) of the ${int(p.allNamespaces.length)}, picked by the source's selector (namespace=~"…", BENCH_PROM_NAMESPACES=${n}).`,
      `Where the time goes (last table): Prometheus 2.42 spends its time in aggregations inside a subquery, per output group and step. pod-peak in one exact query (duplicate scrapes collapsed by max, then containers summed per pod, at each of the day's 1,440 steps) took ${secs(exactInOne.seconds)} for the CPU alone. The product plans instead, from a census of the day's series (${secs(censusPart.seconds)}): every pod's series peak, combined after max_over_time (${secs(perSeriesPart.seconds)}), is exact for a pod of one container; only the ${int(sumPart.series)} pods with two containers are summed per step (${secs(sumPart.seconds)}), and only pods with a container in several series would need the max first (none here). Together ${secs(planned)}, ${(exactInOne.seconds / planned).toFixed(1)}× less than the one exact query, with the same figures; the seed's expression for every namespace in one query took ${secs(seedInOne.seconds)}. The day's first 15 minutes carry \`and timestamp(…) > <day start>\`; over every step of the day that filter makes the query ${filterCost.toFixed(0)}× slower (${secs(wholeFew.seconds)} vs ${secs(splitFew.seconds)} on ${FILTER_NAMESPACES} namespaces), as Prometheus ${p.version} evaluates timestamp() of a selector step by step.`,
      `The seed's ${int(seedAll.runs[0]!.queries)} queries for the whole cluster took ${secs(seedAllSeconds.median)} (${ms(seedAllSeconds.median / seedAll.runs[0]!.queries)} each on loopback; over a network each adds its round trip, 1,000 round trips per cluster); pod-peak's ${int(podPeak.queries)} took ${secs(podPeak.seconds.median)} (${(podPeak.seconds.median / seedAllSeconds.median).toFixed(1)}× the seed's wall time) and, unlike the seed's, give each pod's containers summed at the same instant, collapse duplicate scrapes and keep same-named pods of different namespaces apart.`,
      `The seed's figures differ: Σ over the ${int(n)} namespaces ${fmtTotals(seedSliceTotals)} (seed) vs ${fmtTotals(podPeak.totals)} (pod-peak). Its max by (pod) takes a pod's largest container where pod-peak sums the pod's containers (${int(p.sliceSidecarPods)} of the ${int(p.slicePods)} pods have two), and its [1d:] subquery and [1d] range include the instant the day starts. Its other flaw, merging same-named pods across namespaces, cannot show here: each of its queries matches one namespace. With cAdvisor's pod cgroup series (container="") in the data, its max by (pod) would mostly pick those, which hold the pod's total.`,
      `Checks: pod-peak and replica-dedup stored, per namespace, the figures worked out from the generator's functions (to 1e-6; replica-dedup keeps the ${Math.floor(REPLICAS * TOLERANCE)} largest of a Deployment's pods, so a rolled-over Deployment loses one); concurrent-peak ≤ pod-peak and 0 < average ≤ concurrent-peak per namespace; every run stored the same figures, sent the same queries and made the same kube-apiserver requests, or the scenario fails.`,
      `Prometheus peak: VmHWM of the prometheus process, reset through /proc/<pid>/clear_refs before each strategy's runs and before each seed set ("RSS before" is right after that reset); it includes the pages of the blocks read through mmap. CPU product / Prometheus: this process's CPU during syncDate and the prometheus process's (utime + stime). kube requests: every sync lists the namespaces for their projects through the cluster added with ClusterService.create (the fake kube-apiserver in the child process); replica-dedup also lists Deployments, StatefulSets, DaemonSets, Jobs and CronJobs.`,
    ];

    const bySeconds = (s: StrategyResult) => `${s.strategy} ${secs(s.seconds.median)}`;
    return {
      tables: [dataTable, syncTable, seedTable, diagnosisTable],
      notes,
      summary: [
        `prometheus sync of one day, ${int(n)} namespaces / ${int(p.slicePods)} pods (of ${int(p.pods)} in Prometheus ${p.version}): ${strategies.map(bySeconds).join(', ')} (median of ${RUNS}; pod-peak ${secsSpan(podPeak.seconds)}), ${strategies.map((s) => `${s.strategy} ${s.queries}`).join(', ')} queries; Prometheus peak ${mb(Math.max(...strategies.map((s) => s.prometheusPeakRss)))}`,
        `prometheus seed approach (2 queries per namespace, one after the other): ${int(seedAll.runs[0]!.queries)} queries for ${int(p.allNamespaces.length)} namespaces in ${secs(seedAllSeconds.median)}; pod-peak ${int(podPeak.queries)} queries ${secs(podPeak.seconds.median)} on ${int(n)} namespaces`,
        `prometheus pod-peak CPU: one exact query ${secs(exactInOne.seconds)}, the plan's census + parts ${secs(planned)} (${(exactInOne.seconds / planned).toFixed(1)}× less); data generation + import of ${int(p.samples)} samples: ${secs(p.generateSeconds + p.importSeconds)}`,
      ],
      data: {
        date: DATE,
        timezone: TIMEZONE,
        runs: RUNS,
        selector,
        prepared: { ...p, expected: undefined, allNamespaces: p.allNamespaces.length, namespaces: n },
        strategies,
        seed: {
          all: {
            seconds: seedAllSeconds,
            queries: seedAll.runs[0]!.queries,
            peak: seedAll.peak,
            totals: totals(seedAll.runs[0]!.figures),
          },
          slice: {
            seconds: seedSliceSeconds,
            queries: seedSlice.runs[0]!.queries,
            peak: seedSlice.peak,
            totals: seedSliceTotals,
          },
        },
        diagnosis,
      },
    };
  });
}

if (process.env[HOST_ENV]) await host();
else scenario();
