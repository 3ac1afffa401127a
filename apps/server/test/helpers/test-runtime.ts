import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app';
import type { Config } from '../../src/config/config';
import { createRuntime, DEFAULT_KUBERNETES } from '../../src/main';
import type { Runtime } from '../../src/main';
import type { Clock } from '../../src/ports';
import type { SchedulerOptions } from '../../src/services/scheduler.service';
import { testPostgresUrl } from './pg-url';

export type Dialect = 'sqlite' | 'postgres';

/** The dialects this run covers (DIALECTS=sqlite,postgres); asking for postgres without a server is an error. */
export function testDialects(): Dialect[] {
  const wanted = (process.env.DIALECTS ?? 'sqlite')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of wanted)
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`DIALECTS: unknown dialect "${d}"`);
  if (wanted.includes('postgres') && !testPostgresUrl())
    throw new Error('DIALECTS includes postgres but no test PostgreSQL URL was provided');
  return wanted as Dialect[];
}

/** A clock that stands still unless a test moves it. */
export class FixedClock implements Clock {
  constructor(private current = new Date('2026-11-25T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(instant: Date): void {
    this.current = new Date(instant);
  }
}

/** A fixed key: tests never touch a key file, and a sealed value is the same across runs. */
export const TEST_SECRETS = {
  key: Buffer.alloc(32, 7).toString('base64'),
  previousKeys: [],
  keyFile: '/nonexistent/secret.key',
};

export type DatabaseLocation =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

export interface TestRuntime extends Runtime {
  clock: FixedClock;
  /** Where its database is, so a second runtime (another "replica") can open the same one. */
  location: DatabaseLocation;
  dispose(): Promise<void>;
}

export interface TestRuntimeOptions {
  timezone?: string;
  kubernetes?: Partial<Config['kubernetes']>;
  /** Open this database instead of a fresh one; disposing then leaves it in place. */
  shareWith?: TestRuntime;
  instance?: string;
  scheduler?: Partial<Omit<SchedulerOptions, 'instance'>>;
}

/** An empty database of its own: a temp SQLite file, or a fresh schema in the test PostgreSQL. */
export async function freshLocation(
  dialect: Dialect,
): Promise<{ location: DatabaseLocation; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-test-'));
    return {
      location: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = testPostgresUrl()!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    location: { kind: 'postgres', url, schema },
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

/** A runtime on a database of its own: a temp SQLite file, or a fresh schema in the test PostgreSQL. */
export async function createTestRuntime(
  dialect: Dialect,
  options: TestRuntimeOptions = {},
): Promise<TestRuntime> {
  const clock = new FixedClock();
  const kubernetes = { ...DEFAULT_KUBERNETES, timeoutMs: 5000, ...options.kubernetes };
  const defaultTimezone = options.timezone ?? 'Asia/Shanghai';
  const onBackgroundError = (error: unknown) => {
    throw error;
  };
  const { location, drop } = options.shareWith
    ? { location: options.shareWith.location, drop: async () => undefined }
    : await freshLocation(dialect);
  const runtime = await createRuntime(
    {
      database:
        location.kind === 'sqlite'
          ? { kind: 'sqlite', file: location.file }
          : { kind: 'postgres', url: location.url },
      defaultTimezone,
      secrets: TEST_SECRETS,
      kubernetes,
    },
    {
      clock,
      onBackgroundError,
      ...(location.kind === 'postgres' ? { postgresSchema: location.schema } : {}),
      ...(options.instance ? { instance: options.instance } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    },
  );
  return {
    ...runtime,
    clock,
    location,
    dispose: async () => {
      await runtime.close();
      await drop();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  runtime: TestRuntime;
  close(): Promise<void>;
}

export async function buildTestApp(
  dialect: Dialect,
  options: { webDist?: string; maxUploadBytes?: number } & TestRuntimeOptions = {},
): Promise<TestApp> {
  const runtime = await createTestRuntime(dialect, options);
  const app = await buildApp(runtime.services, {
    health: { status: 'ok', version: 'test', database: runtime.database.dialect },
    maxUploadBytes: options.maxUploadBytes ?? 512 * 1024 * 1024,
    webDist: options.webDist ?? path.join(os.tmpdir(), 'kra-no-web-dist'),
    logger: false,
  });
  await app.ready();
  return {
    app,
    runtime,
    close: async () => {
      await app.close();
      await runtime.dispose();
    },
  };
}
