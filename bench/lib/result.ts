import { processPeakRss } from './measure';

/** What a scenario child prints: exactly one line of this as JSON on stdout. */
export interface ScenarioResult {
  scenario: string;
  database: string;
  /** Tables for the readable report, already formatted. */
  tables: Table[];
  /** Context and observations, printed under the tables. */
  notes: string[];
  /** Lines for the release-note summary block. */
  summary: string[];
  /** Raw figures (seconds, bytes, Stat objects) for results.json. */
  data: Record<string, unknown>;
  /** VmHWM of the scenario process at its end, bytes (setup included). */
  processPeakRss: number | null;
  wallSeconds: number;
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export function emit(result: ScenarioResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export type ScenarioBody = Pick<ScenarioResult, 'tables' | 'notes' | 'summary' | 'data'>;

/** Runs a scenario's body, prints its result line, and exits non-zero (error on stderr) on failure. */
export function runScenario(name: string, database: string, body: () => Promise<ScenarioBody>): void {
  const started = process.hrtime.bigint();
  body().then(
    (result) =>
      emit({
        scenario: name,
        database,
        ...result,
        processPeakRss: processPeakRss(),
        wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      }),
    (error: unknown) => {
      console.error(`bench ${name} failed:`, error);
      process.exitCode = 1;
    },
  );
}
