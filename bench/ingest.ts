// Scenario `ingest`: Day_report files of 100,000 and 1,000,000 lines through ReportIngestService,
// each run on a fresh database, against the floor of reading the same file and splitting it into lines.
import fs from 'node:fs';
import path from 'node:path';
import { writeDayReport } from './lib/dataset';
import {
  compact,
  int,
  log,
  mapStat,
  mb,
  mbRange,
  resetPeakRss,
  peakRss,
  RssSampler,
  runsOf,
  secs,
  secsRange,
  secsSpan,
  stat,
  timed,
} from './lib/measure';
import type { Stat } from './lib/measure';
import type { Table } from './lib/result';
import { runScenario } from './lib/result';
import {
  createDatabase,
  databaseLabel,
  dropDatabase,
  ingestFile,
  makeTempDir,
  openRuntime,
  READ_CHUNK_BYTES,
  removeTempDir,
} from './lib/runtime';

interface Case {
  lines: number;
  projects: number;
  namespacesPerProject: number;
  runs: number;
}

const CASES: Case[] = [
  { lines: 100_000, projects: 20_000, namespacesPerProject: 5, runs: runsOf(5) },
  { lines: 1_000_000, projects: 20_000, namespacesPerProject: 50, runs: runsOf(3) },
];
const DATE = '2026-11-24';
const FILE_NAME = `Day_report_${DATE}.txt`;

/** The floor: what plain Node needs to read the file and split it into lines, nothing else. */
async function readAndSplit(file: string): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let lines = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
    const parts = (carry + decoder.decode(chunk as Buffer, { stream: true })).split('\n');
    carry = parts.pop() ?? '';
    lines += parts.length;
  }
  carry += decoder.decode();
  return carry === '' ? lines : lines + 1;
}

interface CaseResult {
  lines: number;
  projects: number;
  namespacesPerProject: number;
  fileBytes: number;
  generateSeconds: number;
  runs: number;
  floor: Stat;
  ingest: Stat;
  linesPerSecond: Stat;
  ratio: number;
  rssBefore: Stat;
  peakRss: Stat;
  sampledPeakRss: Stat;
}

async function runCase(c: Case, dir: string): Promise<CaseResult> {
  const file = path.join(dir, FILE_NAME);
  const generated = await timed(async () =>
    writeDayReport(file, {
      projects: c.projects,
      namespacesPerProject: c.namespacesPerProject,
      seed: c.lines,
    }),
  );
  const { lines, bytes } = generated.value;
  if (lines !== c.lines) throw new Error(`generated ${lines} lines, wanted ${c.lines}`);
  log(`${int(lines)} lines, ${mb(bytes)} generated in ${secs(generated.seconds)}`);

  // One untimed pass of each warms the page cache and the JIT alike for both.
  await readAndSplit(file);
  const floorRuns: number[] = [];
  for (let run = 0; run < c.runs; run += 1) {
    const { seconds, value } = await timed(() => readAndSplit(file));
    if (value !== c.lines) throw new Error(`floor counted ${value} lines, wanted ${c.lines}`);
    floorRuns.push(seconds);
  }
  const floor = stat(floorRuns);
  log(`floor (read + split): ${secsRange(floor)}`);

  const ingestRuns: number[] = [];
  const before: number[] = [];
  const peaks: number[] = [];
  const sampled: number[] = [];
  for (let run = 0; run < c.runs; run += 1) {
    const location = await createDatabase();
    try {
      const runtime = await openRuntime(location);
      try {
        before.push(process.memoryUsage().rss);
        resetPeakRss();
        const sampler = new RssSampler().start();
        const { seconds } = await timed(() => ingestFile(runtime, file, c.lines));
        sampled.push(sampler.stop().peak);
        peaks.push(peakRss() ?? Number.NaN);
        ingestRuns.push(seconds);
        log(`ingest run ${run + 1}/${c.runs}: ${secs(seconds)} (${compact(c.lines / seconds)} lines/s)`);
      } finally {
        await runtime.close();
      }
    } finally {
      await dropDatabase(location);
    }
  }
  const ingest = stat(ingestRuns);
  fs.rmSync(file, { force: true });
  return {
    lines: c.lines,
    projects: c.projects,
    namespacesPerProject: c.namespacesPerProject,
    fileBytes: bytes,
    generateSeconds: generated.seconds,
    runs: c.runs,
    floor,
    ingest,
    linesPerSecond: mapStat(ingest, (s) => c.lines / s),
    ratio: ingest.median / floor.median,
    rssBefore: stat(before),
    peakRss: stat(peaks),
    sampledPeakRss: stat(sampled),
  };
}

runScenario('ingest', databaseLabel(), async () => {
  const dir = makeTempDir('kra-bench-ingest-');
  const results: CaseResult[] = [];
  try {
    for (const c of CASES) {
      log(`case ${int(c.lines)} lines (${int(c.projects)} projects × ${c.namespacesPerProject} namespaces)`);
      results.push(await runCase(c, dir));
    }
  } finally {
    removeTempDir(dir);
  }
  const table: Table = {
    title: 'ingest: ReportIngestService.ingest(file source, 256 KiB reads), fresh database per run',
    columns: [
      'lines',
      'file',
      'runs',
      'ingest median (min…max)',
      'lines/s',
      'floor median (min…max)',
      'ratio',
      'RSS before',
      'peak RSS (VmHWM)',
      'peak RSS (sampled)',
    ],
    rows: results.map((r) => [
      int(r.lines),
      mb(r.fileBytes),
      String(r.runs),
      secsRange(r.ingest),
      compact(r.linesPerSecond.median),
      secsRange(r.floor),
      `${r.ratio.toFixed(1)}×`,
      mb(r.rssBefore.median),
      mbRange(r.peakRss),
      mb(r.sampledPeakRss.median),
    ]),
  };
  const [small, large] = results as [CaseResult, CaseResult];
  const scaling = large.ingest.median / small.ingest.median / (large.lines / small.lines);
  return {
    tables: [table],
    notes: [
      'floor = fs.createReadStream (256 KiB) + UTF-8 decode + split on "\\n", counting lines; no parsing, no database.',
      `time per line, ${int(large.lines)} vs ${int(small.lines)}: ${scaling.toFixed(2)}× (1.00 = linear).`,
      `peak RSS, ${int(small.lines)} → ${int(large.lines)} lines: ${mb(small.peakRss.median)} → ${mb(large.peakRss.median)} for 10× the lines (VmHWM reset before each run); memory held per line would grow in proportion to the file.`,
    ],
    summary: results.map(
      (r) =>
        `ingest ${int(r.lines)} lines: ${secs(r.ingest.median)} (${compact(r.linesPerSecond.median)} lines/s), floor ${secs(r.floor.median)}, ratio ${r.ratio.toFixed(1)}× (median of ${r.runs}; ${secsSpan(r.ingest)}), peak RSS ${mb(r.peakRss.median)}`,
    ),
    data: { cases: results },
  };
});
