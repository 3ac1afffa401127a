import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialect';
import { autoIncrementId } from '../dialect';

export function clusters(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await autoIncrementId(db.schema.createTable('clusters'), dialect)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sealed_kubeconfig', 'text')
        .addColumn('server', 'text', (c) => c.notNull())
        .addColumn('context', 'text')
        .addColumn('auth_kind', 'text', (c) => c.notNull())
        .addColumn('insecure', 'integer', (c) => c.notNull())
        .addColumn('use_projectquota', 'integer', (c) => c.notNull())
        .addColumn('project_label', 'text')
        .addColumn('last_test', 'text')
        .addColumn('last_sync_at', 'text')
        .addColumn('last_sync_ok', 'integer')
        .addColumn('last_sync_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('namespace_quotas')
        .addColumn('cluster_name', 'text', (c) => c.notNull())
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('project_name', 'text')
        .addColumn('cpu_limit', 'double precision')
        .addColumn('memory_limit', 'double precision')
        .addColumn('cpu_used', 'double precision')
        .addColumn('memory_used', 'double precision')
        .addColumn('pods_limit', 'double precision')
        .addColumn('pods_used', 'double precision')
        .addColumn('storage_limit', 'double precision')
        .addColumn('storage_used', 'double precision')
        .addColumn('quota_count', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('namespace_quotas_pk', ['cluster_name', 'namespace'])
        .execute();
      await db.schema
        .createIndex('namespace_quotas_project')
        .on('namespace_quotas')
        .column('project_name')
        .execute();

      await db.schema
        .createTable('project_quota_clusters')
        .addColumn('project_name', 'text', (c) => c.notNull())
        .addColumn('cluster_name', 'text', (c) => c.notNull())
        .addColumn('cpu_cores', 'double precision', (c) => c.notNull())
        .addColumn('memory_bytes', 'double precision', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_quota_clusters_pk', ['project_name', 'cluster_name'])
        .execute();
    },
  };
}
