// Vitest globalSetup for the unit and integration projects.
//
// When DIALECTS (default `sqlite`) includes `postgres`, makes sure a PostgreSQL server is there for the tests:
// the one in KRA_TEST_PG_URL (as `npm test` passes it) or, when that is unset, a throwaway one started here and
// stopped on teardown. Its URL reaches the tests as `inject('pgUrl')` (see helpers/pg-url.ts). If PostgreSQL
// is wanted but cannot be reached or started, the whole run fails: the postgres half is never skipped silently.
//
// Vitest runs globalSetup once per project, in the same main process, so the server is shared between the
// projects through a reference count on globalThis.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
// Type-only: brings in the `ProvidedContext.pgUrl` declaration without loading vitest's runtime here.
import type {} from './helpers/pg-url';

interface StartedPostgres {
  url: string;
  stop(): Promise<void>;
}
interface PostgresModule {
  startThrowawayPostgres(): Promise<StartedPostgres>;
}
interface SharedPostgres {
  users: number;
  ready: Promise<{ url: string; stop?: () => Promise<void>; setEnv: boolean }>;
}

const registry = globalThis as typeof globalThis & { __kraTestPostgres?: SharedPostgres };

function testDialects(): string[] {
  return (process.env.DIALECTS ?? 'sqlite')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (!testDialects().includes('postgres')) {
    project.provide('pgUrl', undefined);
    return;
  }
  const { url } = await acquire();
  project.provide('pgUrl', url);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await release();
  };
}

async function acquire(): Promise<{ url: string }> {
  let shared = registry.__kraTestPostgres;
  if (!shared) {
    shared = { users: 0, ready: providePostgres() };
    registry.__kraTestPostgres = shared;
  }
  shared.users++;
  try {
    return await shared.ready;
  } catch (err) {
    shared.users--;
    if (shared.users === 0) delete registry.__kraTestPostgres;
    throw err;
  }
}

async function release(): Promise<void> {
  const shared = registry.__kraTestPostgres;
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  delete registry.__kraTestPostgres;
  const started = await shared.ready;
  if (started.setEnv) delete process.env.KRA_TEST_PG_URL;
  await started.stop?.();
}

async function providePostgres(): Promise<{ url: string; stop?: () => Promise<void>; setEnv: boolean }> {
  const given = process.env.KRA_TEST_PG_URL;
  if (given) {
    await checkConnection(given, 'KRA_TEST_PG_URL');
    return { url: given, setEnv: false };
  }

  // A plain .mjs script without type declarations: imported through a variable and typed here.
  const modulePath = fileURLToPath(new URL('../../../scripts/lib/postgres.mjs', import.meta.url));
  let server: StartedPostgres;
  try {
    const { startThrowawayPostgres } = (await import(/* @vite-ignore */ modulePath)) as PostgresModule;
    server = await startThrowawayPostgres();
  } catch (err) {
    throw new Error(
      `DIALECTS=${process.env.DIALECTS} includes postgres, but a throwaway PostgreSQL could not be started. ` +
        `Install Debian's postgresql package, point KRA_TEST_PG_URL at a server, or set DIALECTS=sqlite.\n` +
        `Cause: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  try {
    await checkConnection(server.url, 'the throwaway PostgreSQL');
  } catch (err) {
    await server.stop();
    throw err;
  }
  // Also exported through the environment, for code that runs outside tests (e.g. spawned servers).
  process.env.KRA_TEST_PG_URL = server.url;
  console.log(`[global-setup] throwaway PostgreSQL at ${server.url}`);
  return { url: server.url, stop: () => server.stop(), setEnv: true };
}

async function checkConnection(url: string, what: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `DIALECTS=${process.env.DIALECTS} includes postgres, but ${what} (${redact(url)}) is not reachable: ` +
        `${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
