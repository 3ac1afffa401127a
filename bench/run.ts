// `npm run bench [-- scenario…]`: runs each benchmark scenario in a child process of its own (so one
// scenario's peak RSS cannot pollute another's), prints readable tables and a summary block for the
// release notes, and writes bench/output/results.json. Benchmarks print figures; they never fail on time.
//
// Environment:
//   BENCH_DATABASE_URL=postgres://…  run the database scenarios on PostgreSQL (a fresh schema each) instead of SQLite
//   BENCH_RUNS=n                     override every scenario's number of runs (quick tries while developing)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult, Table } from './lib/result';

const SCENARIOS = {
  ingest:
    'Day_report files of 100,000 and 1,000,000 lines through ReportIngestService vs. the read+split floor',
  report: 'building the report of a date at 5,000 / 10,000 / 20,000 projects (linearity)',
  export: '30 dates × 20,000 projects (600,000 rows) to xlsx and csv: time and peak RSS',
  api: 'GET /api/reports/:date (20,000 projects) under autocannon, 50 connections',
  'k8s-sync':
    'quota syncs against fake kube-apiservers: requests and time at 1,000 / 5,000 / 10,000 namespaces, 20 clusters × 5,000',
  'prometheus-sync':
    "daily usage from a real Prometheus (a day of 5,000 pods): each strategy vs. the seed's 2 queries per namespace",
} as const;
type ScenarioName = keyof typeof SCENARIOS;
const NAMES = Object.keys(SCENARIOS) as ScenarioName[];

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const outputDir = path.join(benchDir, 'output');

function usage(): string {
  return [
    'usage: npm run bench [-- <scenario>…]   (all scenarios when none is named)',
    '',
    ...NAMES.map((n) => `  ${n.padEnd(Math.max(...NAMES.map((m) => m.length)))} ${SCENARIOS[n]}`),
    '',
    'BENCH_DATABASE_URL=postgres://… runs them on PostgreSQL instead of SQLite.',
  ].join('\n');
}

function selectedScenarios(args: string[]): ScenarioName[] {
  if (args.includes('-h') || args.includes('--help')) {
    console.log(usage());
    process.exit(0);
  }
  const unknown = args.filter((a) => !NAMES.some((n) => n.includes(a)));
  if (unknown.length > 0) {
    console.error(`unknown scenario ${unknown.map((u) => `"${u}"`).join(', ')}\n\n${usage()}`);
    process.exit(2);
  }
  // A name filter: `ingest`, or a part of a name (`exp`).
  return args.length === 0 ? NAMES : NAMES.filter((n) => args.some((a) => n.includes(a)));
}

interface Outcome {
  name: ScenarioName;
  result?: ScenarioResult;
  error?: string;
  wallSeconds: number;
}

function runChild(name: ScenarioName): Promise<Outcome> {
  const started = process.hrtime.bigint();
  const wall = () => Number(process.hrtime.bigint() - started) / 1e9;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.ts`)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', (error) => resolve({ name, error: error.message, wallSeconds: wall() }));
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') {
        resolve({ name, error: `exited with ${signal ?? code}`, wallSeconds: wall() });
        return;
      }
      try {
        resolve({ name, result: JSON.parse(line) as ScenarioResult, wallSeconds: wall() });
      } catch {
        resolve({ name, error: `printed no JSON result: ${line.slice(0, 200)}`, wallSeconds: wall() });
      }
    });
  });
}

function renderTable(table: Table): string {
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [
    `  ${table.title}`,
    line(table.columns),
    `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    ...table.rows.map(line),
  ].join('\n');
}

function mb(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function printResult(outcome: Outcome): void {
  const { result } = outcome;
  if (!result) {
    console.log(`\n✗ ${outcome.name}: FAILED (${outcome.error}) after ${outcome.wallSeconds.toFixed(0)} s`);
    return;
  }
  console.log(
    `\n■ ${result.scenario} — ${result.database}; ${result.wallSeconds.toFixed(0)} s; process peak RSS incl. setup ${mb(result.processPeakRss)}`,
  );
  for (const table of result.tables) console.log(`\n${renderTable(table)}`);
  if (result.notes.length > 0) console.log(`\n${result.notes.map((n) => `  · ${n}`).join('\n')}`);
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    availableParallelism: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<void> {
  const names = selectedScenarios(process.argv.slice(2));
  const startedAt = new Date();
  const m = machine();
  const database = process.env.BENCH_DATABASE_URL ? 'postgres (BENCH_DATABASE_URL)' : 'sqlite';
  console.log(
    `k8s-resource-analyzer benchmarks — ${names.join(', ')} on ${database}\n` +
      `node ${m.node}, ${m.platform}, ${m.availableParallelism} × ${m.cpuModel}, ${m.memoryGiB} GiB, load ${m.loadAverage.join(' ')}\n` +
      'Figures are medians of several runs with (min…max); progress lines below go to stderr.',
  );

  const outcomes: Outcome[] = [];
  for (const name of names) {
    console.log(`\n▶ ${name}: ${SCENARIOS[name]}`);
    const outcome = await runChild(name);
    outcomes.push(outcome);
    printResult(outcome);
  }
  const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;

  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, 'results.json');
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        totalSeconds,
        machine: m,
        database,
        scenarios: outcomes.map((o) => o.result ?? { scenario: o.name, error: o.error }),
      },
      null,
      2,
    )}\n`,
  );

  const summary = outcomes.flatMap((o) => (o.result ? o.result.summary : [`${o.name}: FAILED (${o.error})`]));
  console.log(
    [
      '',
      `── summary (node ${m.node}, ${m.availableParallelism} cores, ${database}) ──`,
      ...summary,
      '──',
      `total ${totalSeconds.toFixed(0)} s; raw figures in ${path.relative(repoRoot, file)}`,
    ].join('\n'),
  );
  if (outcomes.some((o) => !o.result)) process.exitCode = 1;
}

await main();
