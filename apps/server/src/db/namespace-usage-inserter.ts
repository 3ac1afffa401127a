import { sql } from 'kysely';
import type { NamespaceUsageRecord } from '../ports';
import type { DatabaseHandle } from './database';

export type NamespaceUsageInserter = (batchId: number, rows: NamespaceUsageRecord[]) => Promise<void>;

const POSTGRES_CHUNK_ROWS = 10_000;

/**
 * Bulk insert of usage rows, the hot path of a million-line upload. Query building per row would
 * cost ten times the parsing, so each dialect gets its native form: SQLite a cached prepared
 * statement in a transaction, PostgreSQL one INSERT … SELECT FROM unnest(arrays) per chunk.
 */
export function createNamespaceUsageInserter(handle: DatabaseHandle): NamespaceUsageInserter {
  const { db, sqlite } = handle;
  if (sqlite) {
    const insert = sqlite.prepare(
      'INSERT INTO namespace_usage (batch_id, cluster, namespace, project, cpu_cores, memory_bytes) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertAll = sqlite.transaction((batchId: number, rows: NamespaceUsageRecord[]) => {
      for (const r of rows) insert.run(batchId, r.cluster, r.namespace, r.project, r.cpuCores, r.memoryBytes);
    });
    // Holding Kysely's connection keeps these statements out of any transaction Kysely has open.
    return (batchId, rows) => db.connection().execute(async () => insertAll(batchId, rows));
  }
  return async (batchId, rows) => {
    for (let i = 0; i < rows.length; i += POSTGRES_CHUNK_ROWS) {
      const chunk = rows.slice(i, i + POSTGRES_CHUNK_ROWS);
      await sql`
        INSERT INTO namespace_usage (batch_id, cluster, namespace, project, cpu_cores, memory_bytes)
        SELECT ${batchId}, * FROM unnest(
          ${chunk.map((r) => r.cluster)}::text[], ${chunk.map((r) => r.namespace)}::text[], ${chunk.map((r) => r.project)}::text[],
          ${chunk.map((r) => r.cpuCores)}::float8[], ${chunk.map((r) => r.memoryBytes)}::float8[])`.execute(
        db,
      );
    }
  };
}
