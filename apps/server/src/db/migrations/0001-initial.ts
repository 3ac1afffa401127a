import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialect';
import { autoIncrementId } from '../dialect';

export function initial(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('project_quotas')
        .addColumn('cloud_id', 'text', (c) => c.primaryKey())
        .addColumn('project_name', 'text', (c) => c.notNull().unique())
        .addColumn('cpu_cores', 'double precision', (c) => c.notNull())
        .addColumn('memory_bytes', 'double precision', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await autoIncrementId(db.schema.createTable('usage_batches'), dialect)
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('usage_batches_date_status')
        .on('usage_batches')
        .columns(['date', 'status'])
        .execute();
      await db.schema
        .createIndex('usage_batches_one_active')
        .on('usage_batches')
        .columns(['date', 'source', 'origin'])
        .unique()
        .where(sql.ref('status'), '=', 'active')
        .execute();

      await autoIncrementId(db.schema.createTable('namespace_usage'), dialect)
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('usage_batches.id'))
        .addColumn('cluster', 'text')
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('cpu_cores', 'double precision', (c) => c.notNull())
        .addColumn('memory_bytes', 'double precision', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('namespace_usage_batch_project')
        .on('namespace_usage')
        .columns(['batch_id', 'project'])
        .execute();

      await db.schema
        .createTable('usage_dates')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('record_count', 'integer', (c) => c.notNull())
        .addColumn('project_count', 'integer', (c) => c.notNull())
        .addColumn('sources', 'text', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('data_revision')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
      await (db as Kysely<{ data_revision: { id: number; revision: number } }>)
        .insertInto('data_revision')
        .values({ id: 1, revision: 0 })
        .execute();
    },
  };
}
