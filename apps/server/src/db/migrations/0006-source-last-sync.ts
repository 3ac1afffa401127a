import type { Kysely } from 'kysely';

/** A source keeps its last sync's whole result (namespaces, pods, queries, retries, duration, errors). */
export function sourceLastSync() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('prometheus_sources').addColumn('last_sync_result', 'text').execute();
    },
  };
}
