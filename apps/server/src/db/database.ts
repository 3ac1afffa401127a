import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config';
import type { SqlDialect } from './dialect';
import { initial } from './migrations/0001-initial';
import { clusters } from './migrations/0002-clusters';
import { prometheus } from './migrations/0003-prometheus';
import { scheduler } from './migrations/0004-scheduler';
import { usageBatchSource } from './migrations/0005-usage-batch-source';
import { sourceLastSync } from './migrations/0006-source-last-sync';
import { projectUsage } from './migrations/0007-project-usage';
import type { Database } from './schema';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** The SQLite connection under Kysely, for bulk statements run while holding Kysely's connection. */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

const INT8_OID = 20;

export function openDatabase(
  target: DatabaseTarget,
  options: { postgresSchema?: string } = {},
): DatabaseHandle {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new BetterSqlite3(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // The CLI and the server may share the file; wait for the other's write instead of failing.
    sqlite.pragma('busy_timeout = 10000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    // COUNT and SUM over integers come back as int8; our counts fit a JS number.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig,
    ...(options.postgresSchema ? { options: `-c search_path=${options.postgresSchema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-clusters': clusters(dialect),
    '0003-prometheus': prometheus(dialect),
    '0004-scheduler': scheduler(dialect),
    '0005-usage-batch-source': usageBatchSource(),
    '0006-source-last-sync': sourceLastSync(),
    '0007-project-usage': projectUsage(),
  };
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(handle.dialect) };
  const migrator = new Migrator({ db: handle.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
