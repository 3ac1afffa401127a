// Scenario `api`: GET /api/reports/<date> of a 20,000-project date under load — the app from
// buildApp on 127.0.0.1, hammered by autocannon (50 connections, 10 s) running as a separate process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../apps/server/src/http/app';
import { writeDayReport } from './lib/dataset';
import {
  int,
  log,
  mb,
  mbRange,
  ms,
  msRange,
  peakRss,
  resetPeakRss,
  runsOf,
  secs,
  stat,
  timed,
} from './lib/measure';
import type { Stat } from './lib/measure';
import { runScenario } from './lib/result';
import type { Table } from './lib/result';
import {
  createDatabase,
  databaseLabel,
  dropDatabase,
  importQuotas,
  ingestFile,
  makeTempDir,
  openRuntime,
  removeTempDir,
} from './lib/runtime';

const PROJECTS = 20_000;
const NAMESPACES = 5;
const DATE = '2026-11-24';
const CONNECTIONS = 50;
const DURATION_SECONDS = 10;
const WARMUP_SECONDS = 3;
const RUNS = runsOf(3);
/** One connection shows the time a request takes when it does not queue behind 49 others. */
const SINGLE_DURATION_SECONDS = 5;

/** The parts of autocannon's --json result used here. */
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

/** CPU seconds (user + system) a process has used so far, from /proc; null when unreadable. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100/s)
  } catch {
    return null;
  }
}

interface LoadRun extends AutocannonResult {
  /** CPU used while it ran, as a share of one core: this server process, and autocannon's. */
  serverCpu: number;
  clientCpu: number | null;
}

/**
 * Runs the autocannon CLI as its own process, so it does not take the server's event loop. A
 * response that takes long is a latency, not a failure: the timeout is 30 s, not autocannon's 10 s.
 */
function autocannon(url: string, connections: number, seconds: number, gzip = false): Promise<LoadRun> {
  const bin = createRequire(import.meta.url).resolve('autocannon');
  const args = [
    bin,
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-t',
    '30',
    '--json',
    '--no-progress',
    ...(gzip ? ['-H', 'accept-encoding=gzip'] : []),
    url,
  ];
  return new Promise((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    const serverCpuBefore = process.cpuUsage();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let clientCpu: number | null = null;
    const sampler = setInterval(() => (clientCpu = cpuSecondsOf(child.pid!) ?? clientCpu), 200);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const wall = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const used = process.cpuUsage(serverCpuBefore);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`autocannon exited with ${code}: ${stderr}`));
        return;
      }
      resolve({
        ...(JSON.parse(line) as AutocannonResult),
        serverCpu: (used.user + used.system) / 1e6 / wall,
        clientCpu: clientCpu === null ? null : clientCpu / wall,
      });
    });
  });
}

/** Several autocannon runs of one setting, summarised. */
interface LoadSummary {
  connections: number;
  /** Whether the client asked for gzip, as browsers do (bodies then are the cached gzip). */
  gzip: boolean;
  seconds: number;
  runs: LoadRun[];
  p50: Stat;
  p99: Stat;
  requestsPerSecond: Stat;
  megabytesPerSecond: Stat;
  serverCpu: Stat;
  clientCpu: Stat | null;
  errors: number;
  timeouts: number;
  /** RSS of the server process before each run, and its peak (VmHWM reset before the run). */
  rssBefore: Stat;
  peakRss: Stat;
}

function pct(share: number | null): string {
  return share === null ? 'n/a' : `${Math.round(share * 100)}%`;
}

async function load(
  url: string,
  connections: number,
  seconds: number,
  runs: number,
  gzip = false,
): Promise<LoadSummary> {
  const out: LoadRun[] = [];
  const before: number[] = [];
  const peaks: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    before.push(process.memoryUsage().rss);
    resetPeakRss();
    const r = await autocannon(url, connections, seconds, gzip);
    peaks.push(peakRss() ?? Number.NaN);
    if (r.non2xx > 0) throw new Error(`autocannon: ${r.non2xx} responses were not 2xx`);
    log(
      `${connections} connection(s)${gzip ? ', gzip' : ''}, run ${run + 1}/${runs}: ${r.requests.average.toFixed(1)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.errors} errors, CPU server ${pct(r.serverCpu)} / autocannon ${pct(r.clientCpu)}, server peak RSS ${mb(peaks[run]!)}`,
    );
    out.push(r);
  }
  return {
    connections,
    gzip,
    seconds,
    runs: out,
    p50: stat(out.map((r) => r.latency.p50 / 1000)),
    p99: stat(out.map((r) => r.latency.p99 / 1000)),
    requestsPerSecond: stat(out.map((r) => r.requests.average)),
    megabytesPerSecond: stat(out.map((r) => r.throughput.average / 1024 / 1024)),
    serverCpu: stat(out.map((r) => r.serverCpu)),
    clientCpu: out.every((r) => r.clientCpu !== null) ? stat(out.map((r) => r.clientCpu!)) : null,
    errors: out.reduce((n, r) => n + r.errors, 0),
    timeouts: out.reduce((n, r) => n + r.timeouts, 0),
    rssBefore: stat(before),
    peakRss: stat(peaks),
  };
}

interface ApiResult {
  setupSeconds: number;
  firstRequestSeconds: number;
  responseBytes: number;
  loaded: LoadSummary;
  loadedGzip: LoadSummary;
  single: LoadSummary;
}

async function measure(dir: string): Promise<ApiResult> {
  const location = await createDatabase();
  try {
    const runtime = await openRuntime(location);
    try {
      const setup = await timed(async () => {
        await importQuotas(runtime, PROJECTS);
        const file = path.join(dir, `Day_report_${DATE}.txt`);
        const { lines } = writeDayReport(file, {
          projects: PROJECTS,
          namespacesPerProject: NAMESPACES,
          seed: 7,
        });
        await ingestFile(runtime, file, lines);
      });
      log(`setup: ${int(PROJECTS)} quotas + ${int(PROJECTS * NAMESPACES)} rows in ${secs(setup.seconds)}`);
      const app = await buildApp(runtime.services, {
        health: { status: 'ok', version: 'bench', database: runtime.database.dialect },
        maxUploadBytes: 512 * 1024 * 1024,
        webDist: path.join(dir, 'no-web-dist'),
        logger: false,
      });
      try {
        await app.listen({ host: '127.0.0.1', port: 0 });
        const { port } = app.server.address() as AddressInfo;
        const url = `http://127.0.0.1:${port}/api/reports/${DATE}`;

        // The first request builds and serializes the report; later ones are served from the cache.
        const first = await timed(async () => {
          const response = await fetch(url);
          const body = await response.text();
          if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
          const rows = (JSON.parse(body) as { rows: unknown[] }).rows.length;
          if (rows !== PROJECTS) throw new Error(`the report has ${rows} rows, wanted ${PROJECTS}`);
          return Buffer.byteLength(body);
        });
        log(`first request ${ms(first.seconds)}, ${int(first.value)} bytes`);

        // One connection first, while the heap is still clean of the loaded runs' garbage.
        const single = await load(url, 1, SINGLE_DURATION_SECONDS, 1);
        await autocannon(url, CONNECTIONS, WARMUP_SECONDS);
        const loaded = await load(url, CONNECTIONS, DURATION_SECONDS, RUNS);
        const loadedGzip = await load(url, CONNECTIONS, DURATION_SECONDS, RUNS, true);
        return {
          setupSeconds: setup.seconds,
          firstRequestSeconds: first.seconds,
          responseBytes: first.value,
          loaded,
          loadedGzip,
          single,
        };
      } finally {
        await app.close();
      }
    } finally {
      await runtime.close();
    }
  } finally {
    await dropDatabase(location);
  }
}

runScenario('api', databaseLabel(), async () => {
  const dir = makeTempDir('kra-bench-api-');
  let r: ApiResult;
  try {
    r = await measure(dir);
  } finally {
    removeTempDir(dir);
  }
  const size = `${(r.responseBytes / 1024 / 1024).toFixed(2)} MB`;
  const row = (l: LoadSummary): string[] => [
    `${l.connections}${l.gzip ? ' (gzip)' : ''}`,
    `${l.runs.length} × ${l.seconds} s`,
    msRange(l.p50),
    msRange(l.p99),
    `${l.requestsPerSecond.median.toFixed(1)} (${l.requestsPerSecond.min.toFixed(1)}…${l.requestsPerSecond.max.toFixed(1)})`,
    l.megabytesPerSecond.median.toFixed(0),
    `${pct(l.serverCpu.median)} / ${pct(l.clientCpu?.median ?? null)}`,
    mb(l.rssBefore.median),
    mbRange(l.peakRss),
    `${l.errors} (${l.timeouts})`,
  ];
  const table: Table = {
    title: `api: GET /api/reports/${DATE} (${int(PROJECTS)} projects, ${size} JSON), app from buildApp on 127.0.0.1, autocannon in its own process; 1 connection first, then a ${WARMUP_SECONDS} s warm-up and the ${CONNECTIONS}-connection runs; medians over runs`,
    columns: [
      'connections',
      'runs',
      'p50 latency (min…max)',
      'p99 latency (min…max)',
      'requests/s (min…max)',
      'MB/s',
      'CPU server / autocannon',
      'server RSS before',
      'server peak RSS (min…max)',
      'errors (timeouts)',
    ],
    rows: [row(r.single), row(r.loaded), row(r.loadedGzip)],
  };
  const l = r.loaded;
  const rps = l.requestsPerSecond;
  return {
    tables: [table],
    notes: [
      `setup (not timed): ${int(PROJECTS)} quotas + ${int(PROJECTS * NAMESPACES)} usage rows in ${secs(r.setupSeconds)}; first (uncached) request ${ms(r.firstRequestSeconds)} for ${size}.`,
      'Each request checks the data revision (one small query), then sends the report JSON cached per revision.',
      'server RSS: this process (the app) just before each run, and its peak during the run (VmHWM reset before it).',
      `Server and load generator share the ${os.availableParallelism()} cores of this machine; CPU is the share of one core each used during the runs. When autocannon is near 100% it, not the server, limits requests/s (it parses every ${size} body), so requests/s is a floor for a real deployment; under ${CONNECTIONS} connections latency is mostly queueing behind the other ${CONNECTIONS - 1} downloads.`,
    ],
    summary: [
      `GET /api/reports/:date (${int(PROJECTS)} projects, ${size} JSON), ${CONNECTIONS} connections with gzip (as a browser asks): ${r.loadedGzip.requestsPerSecond.median.toFixed(0)} req/s, p50 ${ms(r.loadedGzip.p50.median)}, p99 ${ms(r.loadedGzip.p99.median)}, server peak RSS ${mb(r.loadedGzip.peakRss.median)}`,
      `GET /api/reports/:date (${int(PROJECTS)} projects, ${size} JSON), ${CONNECTIONS} connections without gzip: ${rps.median.toFixed(0)} req/s (${((rps.median * r.responseBytes) / 1024 / 1024).toFixed(0)} MB/s), p50 ${ms(l.p50.median)}, p99 ${ms(l.p99.median)}, server peak RSS ${mb(l.peakRss.median)} (median of ${l.runs.length} × ${l.seconds} s; ${rps.min.toFixed(0)}…${rps.max.toFixed(0)} req/s); 1 connection: p50 ${ms(r.single.p50.median)}; first uncached request ${ms(r.firstRequestSeconds)}`,
    ],
    data: { ...r, projects: PROJECTS },
  };
});
