import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialect } from '../dialect';
import { autoIncrementId } from '../dialect';

const JOBS = [
  { job: 'namespace-quota-sync', hour: 2 },
  { job: 'project-quota-sync', hour: 2 },
  { job: 'prometheus-sync', hour: 3 },
];

export function scheduler(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('schedules')
        .addColumn('job', 'text', (c) => c.primaryKey())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('timing_kind', 'text', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('minute', 'integer', (c) => c.notNull())
        .addColumn('interval_hours', 'integer', (c) => c.notNull())
        .addColumn('cron', 'text')
        .addColumn('retries', 'integer', (c) => c.notNull())
        .addColumn('retry_backoff_seconds', 'integer', (c) => c.notNull())
        .addColumn('last_slot_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      const seeded = db as unknown as Kysely<{
        schedules: Record<string, unknown>;
        job_locks: Record<string, unknown>;
      }>;
      for (const { job, hour } of JOBS) {
        // The seed's defaults: quota syncs at 02:00, the Prometheus sync at 03:00, every 24 h.
        await seeded
          .insertInto('schedules')
          .values({
            job,
            enabled: 1,
            timing_kind: 'daily',
            hour,
            minute: 0,
            interval_hours: 24,
            cron: null,
            retries: 2,
            retry_backoff_seconds: 300,
            last_slot_at: null,
            updated_at: now,
          })
          .execute();
      }

      await autoIncrementId(db.schema.createTable('job_runs'), dialect)
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('scheduled_for', 'text')
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('heartbeat_at', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('next_retry_at', 'text')
        .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('job_runs_job_started')
        .on('job_runs')
        .columns(['job', 'started_at'])
        .execute();
      // One scheduled slot is claimed once per attempt, whatever the number of replicas.
      await db.schema
        .createIndex('job_runs_one_per_slot')
        .on('job_runs')
        .columns(['job', 'scheduled_for', 'attempt'])
        .unique()
        .where(sql.ref('scheduled_for'), 'is not', null)
        .execute();

      await db.schema
        .createTable('job_locks')
        .addColumn('job', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text')
        .addColumn('run_id', 'integer')
        .addColumn('expires_at', 'text')
        .execute();
      for (const { job } of JOBS)
        await seeded
          .insertInto('job_locks')
          .values({ job, holder: null, run_id: null, expires_at: null })
          .execute();
    },
  };
}
