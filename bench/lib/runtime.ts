import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { UploadedFile } from '@kra/contracts';
import { ExcelQuotaWorkbookWriter } from '../../apps/server/src/adapters/excel/quota-workbook.writer';
import { createRuntime } from '../../apps/server/src/main';
import type { Runtime, RuntimeConfig } from '../../apps/server/src/main';
import type { ReportSource } from '../../apps/server/src/services/report-ingest.service';
import { quotasOf } from './dataset';

/** Where a benchmark database lives; serialisable, so a worker process can open the same one. */
/** Benchmarks store no secrets worth keeping: a fixed key, no key file. */
const BENCH_SECRETS = {
  key: Buffer.alloc(32, 1).toString('base64'),
  previousKeys: [],
  keyFile: '/nonexistent/secret.key',
};

export type DatabaseLocation =
  { kind: 'sqlite'; dir: string; file: string } | { kind: 'postgres'; url: string; schema: string };

export const TIMEZONE = 'Asia/Shanghai';
/** The read chunk size the API uses for spooled uploads (apps/server/src/http/uploads.ts). */
export const READ_CHUNK_BYTES = 256 * 1024;

/** `postgres` when BENCH_DATABASE_URL is set, else `sqlite`. */
export function databaseKind(): 'sqlite' | 'postgres' {
  return process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
}

/** A URL without its password, fit to print. */
export function databaseLabel(): string {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return 'sqlite (temp file, WAL)';
  try {
    const u = new URL(url);
    u.password = '';
    return `postgres ${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

// Temp folders and schemas still in use, removed on Ctrl-C too (a finally block does not run then).
const liveDirs = new Set<string>();
const liveSchemas = new Map<string, string>();

/** A private temp folder, removed by removeTempDir or when the process is interrupted. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  liveDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

function onInterrupt(signal: NodeJS.Signals): void {
  for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  const drops = [...liveSchemas].map(([schema, url]) => dropSchema(url, schema).catch(() => undefined));
  const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
  setTimeout(exit, 5000).unref();
  void Promise.all(drops).then(exit);
}
process.once('SIGINT', onInterrupt);
process.once('SIGTERM', onInterrupt);

/** A fresh, empty database: a temp SQLite file, or a new schema in BENCH_DATABASE_URL. */
export async function createDatabase(): Promise<DatabaseLocation> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const dir = makeTempDir('kra-bench-db-');
    return { kind: 'sqlite', dir, file: path.join(dir, 'analyzer.db') };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    liveSchemas.set(schema, url);
  } finally {
    await admin.end();
  }
  return { kind: 'postgres', url, schema };
}

export async function dropDatabase(location: DatabaseLocation): Promise<void> {
  if (location.kind === 'sqlite') {
    removeTempDir(location.dir);
    return;
  }
  await dropSchema(location.url, location.schema);
  liveSchemas.delete(location.schema);
}

/** The production composition root (createRuntime) on a benchmark database. */
export function openRuntime(
  location: DatabaseLocation,
  extra: Pick<RuntimeConfig, 'kubernetes'> = {},
): Promise<Runtime> {
  const onBackgroundError = (error: unknown) => console.error('bench: background purge failed:', error);
  if (location.kind === 'sqlite') {
    return createRuntime(
      {
        database: { kind: 'sqlite', file: location.file },
        defaultTimezone: TIMEZONE,
        secrets: BENCH_SECRETS,
        ...extra,
      },
      { onBackgroundError },
    );
  }
  return createRuntime(
    {
      database: { kind: 'postgres', url: location.url },
      defaultTimezone: TIMEZONE,
      secrets: BENCH_SECRETS,
      ...extra,
    },
    { postgresSchema: location.schema, onBackgroundError },
  );
}

/** A ReportSource reading a file from disk the way the upload route does. */
export function fileSource(file: string, fileName = path.basename(file)): ReportSource {
  return { fileName, open: () => fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }) };
}

/** Ingests a file through ReportIngestService and insists it was stored whole. */
export async function ingestFile(
  runtime: Runtime,
  file: string,
  expectedRows: number,
  options: { fileName?: string; date?: string } = {},
): Promise<UploadedFile> {
  const result = await runtime.services.ingest.ingest(
    fileSource(file, options.fileName),
    options.date ? { date: options.date } : {},
  );
  if (!result.ok || result.row_count !== expectedRows) {
    const first = result.errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    throw new Error(
      `ingest of ${file} failed: ok=${result.ok} rows=${result.row_count}/${expectedRows} ${first}`,
    );
  }
  return result;
}

/** Imports quotas 0..count-1 through QuotaService.importWorkbook, as an uploaded quota workbook would be. */
export async function importQuotas(runtime: Runtime, count: number): Promise<void> {
  const workbook = await new ExcelQuotaWorkbookWriter().quotas(quotasOf(count));
  const result = await runtime.services.quotas.importWorkbook(workbook, 'bench-quotas.xlsx', {
    partial: false,
  });
  if (!result.stored || result.created !== count || result.errors.length > 0)
    throw new Error(`quota import stored ${result.created} of ${count}: ${JSON.stringify(result.errors[0])}`);
}
