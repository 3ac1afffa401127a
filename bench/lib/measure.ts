import fs from 'node:fs';

/** Several timings of one thing: the median is the figure, min and max show the noise. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function stat(runs: number[]): Stat {
  if (runs.length === 0) throw new Error('stat of no runs');
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs };
}

/** Maps every figure of a Stat (e.g. seconds → lines/s); min and max swap when `fn` is decreasing. */
export function mapStat(s: Stat, fn: (value: number) => number): Stat {
  return stat(s.runs.map(fn));
}

export function seconds(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { seconds: seconds(start), value };
}

export const MB = 1024 * 1024;

/** Peak resident set size of this process since start (or the last resetPeakRss), in bytes. */
export function peakRss(): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

let peakBeforeReset = 0;

/** Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`); false when not possible. */
export function resetPeakRss(): boolean {
  peakBeforeReset = Math.max(peakBeforeReset, peakRss() ?? 0);
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS over the whole life of this process, resets notwithstanding. */
export function processPeakRss(): number | null {
  const now = peakRss();
  return now === null ? null : Math.max(now, peakBeforeReset);
}

/**
 * Samples process.memoryUsage().rss every `intervalMs`. It only runs while the event loop is free,
 * so synchronous work (a better-sqlite3 query) can hide a peak from it; read peakRss() as well.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private max = 0;
  private count = 0;

  constructor(private readonly intervalMs = 20) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): { peak: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { peak: this.max, samples: this.count };
  }

  private sample(): void {
    this.count += 1;
    this.max = Math.max(this.max, process.memoryUsage().rss);
  }
}

/** Progress for humans goes to stderr; stdout carries only the one JSON result line. */
export function log(message: string): void {
  process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The number of runs of a case; BENCH_RUNS=n overrides it for a quick try while developing. */
export function runsOf(defaultRuns: number): number {
  const forced = Number(process.env.BENCH_RUNS);
  return Number.isInteger(forced) && forced > 0 ? forced : defaultRuns;
}

// ---- formatting -------------------------------------------------------------------------------

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 243k, 1.2M: rates for the summary. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return n.toFixed(n >= 10 ? 0 : 1);
}

/** Seconds with a sensible precision: 0.0123 s, 0.456 s, 4.12 s, 41.2 s. */
export function secs(s: number): string {
  if (s < 0.1) return `${s.toFixed(4)} s`;
  if (s < 1) return `${s.toFixed(3)} s`;
  if (s < 10) return `${s.toFixed(2)} s`;
  return `${s.toFixed(1)} s`;
}

export function ms(s: number): string {
  const v = s * 1000;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
}

export function mb(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / MB).toFixed(0)} MB`;
}

/** `3.98…4.40 s` */
export function secsSpan(s: Stat): string {
  return `${secs(s.min).replace(' s', '')}…${secs(s.max)}`;
}

/** `4.12 s (3.98…4.40 s)` */
export function secsRange(s: Stat): string {
  return `${secs(s.median)} (${secs(s.min).replace(' s', '')}…${secs(s.max)})`;
}

/** `39.8…44.0 ms` */
export function msSpan(s: Stat): string {
  return `${ms(s.min).replace(' ms', '')}…${ms(s.max)}`;
}

export function msRange(s: Stat): string {
  return `${ms(s.median)} (${ms(s.min).replace(' ms', '')}…${ms(s.max)})`;
}

export function mbRange(s: Stat): string {
  return `${mb(s.median)} (${mb(s.min).replace(' MB', '')}…${mb(s.max)})`;
}
