import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Prometheus batches are replaced by source id and by cluster, no longer by source name: a renamed
 * source, or a cluster's source deleted and added again, left the earlier sync of a date active
 * beside the new one, and the cluster's usage counted twice.
 */
export function usageBatchSource() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('usage_batches').addColumn('source_id', 'integer').execute();
      await sql`
        UPDATE usage_batches SET source_id = (
          SELECT s.id FROM prometheus_sources s WHERE s.name = usage_batches.origin
        )
        WHERE source = 'prometheus'`.execute(db);

      // Days already counted twice keep their latest sync of each cluster.
      const retired = await sql<{ date: string }>`
        UPDATE usage_batches SET status = 'retired'
        WHERE source = 'prometheus' AND status = 'active' AND EXISTS (
          SELECT 1 FROM usage_batches newer
          WHERE newer.source = 'prometheus' AND newer.status = 'active'
            AND newer.date = usage_batches.date AND newer.cluster = usage_batches.cluster
            AND newer.id > usage_batches.id
        )
        RETURNING date`.execute(db);
      const dates = [...new Set(retired.rows.map((r) => r.date))];
      if (dates.length > 0) {
        await sql`
          UPDATE usage_dates SET
            record_count = (
              SELECT COALESCE(SUM(b.row_count), 0) FROM usage_batches b
              WHERE b.date = usage_dates.date AND b.status = 'active'
            ),
            project_count = (
              SELECT COUNT(DISTINCT u.project) FROM namespace_usage u
              INNER JOIN usage_batches b ON b.id = u.batch_id
              WHERE b.date = usage_dates.date AND b.status = 'active'
            )
          WHERE date IN (${sql.join(dates)})`.execute(db);
        await sql`UPDATE data_revision SET revision = revision + 1 WHERE id = 1`.execute(db);
      }

      await db.schema.dropIndex('usage_batches_one_active').execute();
      await db.schema
        .createIndex('usage_batches_one_active_upload')
        .on('usage_batches')
        .columns(['date', 'origin'])
        .unique()
        .where(sql.ref('status'), '=', 'active')
        .where(sql.ref('source'), '=', 'upload')
        .execute();
      await db.schema
        .createIndex('usage_batches_one_active_cluster')
        .on('usage_batches')
        .columns(['date', 'cluster'])
        .unique()
        .where(sql.ref('status'), '=', 'active')
        .where(sql.ref('source'), '=', 'prometheus')
        .execute();
    },
  };
}
