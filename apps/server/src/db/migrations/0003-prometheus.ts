import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialect';
import { autoIncrementId } from '../dialect';

export function prometheus(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await autoIncrementId(db.schema.createTable('prometheus_sources'), dialect)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('cluster_name', 'text', (c) => c.notNull())
        .addColumn('selector', 'text')
        .addColumn('strategy', 'text', (c) => c.notNull())
        .addColumn('memory_metric', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('timeout_seconds', 'double precision', (c) => c.notNull())
        .addColumn('tolerance', 'double precision', (c) => c.notNull())
        .addColumn('auth_kind', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('sealed_secret', 'text')
        .addColumn('sealed_headers', 'text')
        .addColumn('header_names', 'text', (c) => c.notNull())
        .addColumn('ca_pem', 'text')
        .addColumn('insecure', 'integer', (c) => c.notNull())
        .addColumn('last_test', 'text')
        .addColumn('last_sync_at', 'text')
        .addColumn('last_sync_ok', 'integer')
        .addColumn('last_sync_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.alterTable('usage_batches').addColumn('cluster', 'text').execute();
      await db.schema.alterTable('usage_batches').addColumn('strategy', 'text').execute();

      await autoIncrementId(db.schema.createTable('workload_usage'), dialect)
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('usage_batches.id'))
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('replicas', 'integer')
        .addColumn('pods_seen', 'integer', (c) => c.notNull())
        .addColumn('pods_kept', 'integer', (c) => c.notNull())
        .addColumn('cpu_cores', 'double precision', (c) => c.notNull())
        .addColumn('memory_bytes', 'double precision', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('workload_usage_batch_namespace')
        .on('workload_usage')
        .columns(['batch_id', 'namespace'])
        .execute();
    },
  };
}
