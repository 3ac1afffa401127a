import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { UsageSource } from '@kra/contracts';
import type {
  Clock,
  UsageBatchMeta,
  NamespaceUsageDetail,
  NamespaceUsageRecord,
  ProjectUsageTotal,
  UsageBatchKey,
  UsageBatchWriter,
  UsageDateSummary,
  UsageRepository,
} from '../../ports';
import type { DatabaseHandle } from '../database';
import type { SqlDialect } from '../dialect';
import { createNamespaceUsageInserter } from '../namespace-usage-inserter';
import type { NamespaceUsageInserter } from '../namespace-usage-inserter';
import type { WorkloadUsage } from '../../domain/replica-dedup';
import { bumpRevision } from '../revision';
import type { Database } from '../schema';

const PURGE_CHUNK_ROWS = 20_000;
/** A batch still loading after this long belongs to a process that died mid-upload. */
const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

type Db = Kysely<Database> | Transaction<Database>;

/** Rows handed to the inserter at once: large enough to amortise a statement, small enough to stay responsive. */
const APPEND_FLUSH_ROWS = 5000;

/** First key of the PostgreSQL advisory locks that serialize the writes of one date (any number, fixed). */
const USAGE_DATE_LOCK = 7_300_202;

/**
 * Makes the writes of one date (commits, deletions) take turns on PostgreSQL, until the transaction
 * ends. Under READ COMMITTED two commits of a date side by side would each recount the date without
 * the other's batch, so the last one to write usage_dates would drop the other's rows and file; and
 * two commits of the same file would both find nothing to retire, then collide on the one-active
 * index. SQLite runs one transaction at a time on its single connection already.
 */
async function lockDate(trx: Transaction<Database>, dialect: SqlDialect, date: string): Promise<void> {
  if (dialect !== 'postgres') return;
  // 2026-11-20 → 20261120: one lock per date, without hash collisions.
  const dateKey = Number(date.replaceAll('-', ''));
  await sql`select pg_advisory_xact_lock(${USAGE_DATE_LOCK}, ${dateKey})`.execute(trx);
}

export class KyselyUsageRepository implements UsageRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly insertRows: NamespaceUsageInserter;

  constructor(
    handle: DatabaseHandle,
    private readonly clock: Clock,
  ) {
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.insertRows = createNamespaceUsageInserter(handle);
  }

  async beginBatch(key: UsageBatchKey, meta: UsageBatchMeta = {}): Promise<UsageBatchWriter> {
    const { id } = await this.db
      .insertInto('usage_batches')
      .values({
        date: key.date,
        source: key.source,
        origin: key.origin,
        source_id: key.source === 'prometheus' ? key.sourceId : null,
        cluster: key.source === 'prometheus' ? key.cluster : null,
        strategy: meta.strategy ?? null,
        status: 'loading',
        line_count: 0,
        row_count: 0,
        created_at: this.clock.now().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const batchId = Number(id);
    let rowCount = 0;
    let pending: NamespaceUsageRecord[] = [];
    return {
      append: async (rows) => {
        rowCount += rows.length;
        for (const row of rows) pending.push(row);
        if (pending.length >= APPEND_FLUSH_ROWS) {
          const ready = pending;
          pending = [];
          await this.insertRows(batchId, ready);
        }
      },
      appendWorkloads: async (rows) => {
        // 10 columns: 500 rows per statement stays under both engines' parameter limits.
        for (let i = 0; i < rows.length; i += 500) {
          await this.db
            .insertInto('workload_usage')
            .values(
              rows.slice(i, i + 500).map((w) => ({
                batch_id: batchId,
                namespace: w.namespace,
                kind: w.kind,
                name: w.name,
                replicas: w.replicas,
                pods_seen: w.podsSeen,
                pods_kept: w.podsKept,
                cpu_cores: w.cpuCores,
                memory_bytes: w.memoryBytes,
              })),
            )
            .execute();
        }
      },
      commit: async ({ lineCount }) => {
        await this.insertRows(batchId, pending);
        pending = [];
        // Outside the date's lock: the batch is invisible until the transaction below activates it.
        await this.db
          .insertInto('project_usage')
          .columns(['batch_id', 'project', 'cpu_cores', 'memory_bytes', 'namespace_count'])
          .expression((eb) =>
            eb
              .selectFrom('namespace_usage')
              .select((s) => [
                'batch_id',
                'project',
                s.fn.sum<number>('cpu_cores').as('cpu_cores'),
                s.fn.sum<number>('memory_bytes').as('memory_bytes'),
                sql<number>`count(distinct namespace)`.as('namespace_count'),
              ])
              .where('batch_id', '=', batchId)
              .groupBy(['batch_id', 'project']),
          )
          .execute();
        const replaced = await this.db.transaction().execute(async (trx) => {
          await lockDate(trx, this.dialect, key.date);
          const retired = await trx
            .updateTable('usage_batches')
            .set({ status: 'retired' })
            .where('date', '=', key.date)
            .where('source', '=', key.source)
            .where((eb) =>
              key.source === 'prometheus'
                ? eb.or([eb('source_id', '=', key.sourceId), eb('cluster', '=', key.cluster)])
                : eb('origin', '=', key.origin),
            )
            .where('status', '=', 'active')
            .returning('id')
            .execute();
          await trx
            .updateTable('usage_batches')
            .set({ status: 'active', line_count: lineCount, row_count: rowCount })
            .where('id', '=', batchId)
            .execute();
          await this.refreshDate(trx, key.date);
          await bumpRevision(trx);
          return retired.length > 0;
        });
        return { replaced };
      },
      abort: async () => {
        pending = [];
        await this.db
          .updateTable('usage_batches')
          .set({ status: 'retired' })
          .where('id', '=', batchId)
          .execute();
      },
    };
  }

  async listDates(): Promise<UsageDateSummary[]> {
    const rows = await this.db.selectFrom('usage_dates').selectAll().orderBy('date', 'desc').execute();
    return rows.map((r) => ({
      date: r.date,
      recordCount: Number(r.record_count),
      projectCount: Number(r.project_count),
      sources: r.sources === '' ? [] : (r.sources.split(',') as UsageSource[]),
      files: JSON.parse(r.files) as string[],
      updatedAt: r.updated_at,
    }));
  }

  async projectTotals(date: string): Promise<ProjectUsageTotal[]> {
    const rows = await this.db
      .selectFrom('project_usage as p')
      .innerJoin('usage_batches as b', 'b.id', 'p.batch_id')
      .where('b.date', '=', date)
      .where('b.status', '=', 'active')
      .groupBy(['p.project', 'b.source'])
      .select((eb) => [
        'p.project as project',
        'b.source as source',
        eb.fn.sum<number>('p.cpu_cores').as('cpu'),
        eb.fn.sum<number>('p.memory_bytes').as('memory'),
        eb.fn.sum<number>('p.namespace_count').as('namespaces'),
      ])
      .execute();
    return rows.map((r) => ({
      project: r.project,
      source: r.source as UsageSource,
      cpuCores: Number(r.cpu),
      memoryBytes: Number(r.memory),
      namespaceCount: Number(r.namespaces),
    }));
  }

  async namespaces(date: string, project: string): Promise<NamespaceUsageDetail[]> {
    const rows = await this.db
      .selectFrom('namespace_usage as u')
      .innerJoin('usage_batches as b', 'b.id', 'u.batch_id')
      .where('b.date', '=', date)
      .where('b.status', '=', 'active')
      .where('u.project', '=', project)
      .groupBy(['u.cluster', 'u.namespace', 'b.source', 'b.origin', 'b.strategy'])
      .select((eb) => [
        'u.cluster as cluster',
        'u.namespace as namespace',
        'b.source as source',
        'b.origin as origin',
        'b.strategy as strategy',
        eb.fn.sum<number>('u.cpu_cores').as('cpu'),
        eb.fn.sum<number>('u.memory_bytes').as('memory'),
      ])
      .orderBy('u.namespace')
      .orderBy('b.origin')
      .execute();
    return rows.map((r) => ({
      cluster: r.cluster,
      namespace: r.namespace,
      project,
      source: r.source as UsageSource,
      origin: r.origin,
      strategy: r.strategy,
      cpuCores: Number(r.cpu),
      memoryBytes: Number(r.memory),
    }));
  }

  async deleteUploads(date: string, fileName?: string): Promise<{ files: string[]; rows: number }> {
    const result = await this.db.transaction().execute(async (trx) => {
      await lockDate(trx, this.dialect, date);
      let query = trx
        .updateTable('usage_batches')
        .set({ status: 'retired' })
        .where('date', '=', date)
        .where('source', '=', 'upload')
        .where('status', '=', 'active');
      if (fileName !== undefined) query = query.where('origin', '=', fileName);
      const retired = await query.returning(['origin', 'row_count']).execute();
      if (retired.length > 0) {
        await this.refreshDate(trx, date);
        await bumpRevision(trx);
      }
      return {
        files: retired.map((r) => r.origin).sort(),
        rows: retired.reduce((n, r) => n + Number(r.row_count), 0),
      };
    });
    return result;
  }

  async workloads(date: string, cluster: string | null, namespace: string): Promise<WorkloadUsage[]> {
    let query = this.db
      .selectFrom('workload_usage as w')
      .innerJoin('usage_batches as b', 'b.id', 'w.batch_id')
      .where('b.date', '=', date)
      .where('b.status', '=', 'active')
      .where('w.namespace', '=', namespace)
      .selectAll('w');
    query = cluster === null ? query.where('b.cluster', 'is', null) : query.where('b.cluster', '=', cluster);
    const rows = await query.orderBy('w.kind').orderBy('w.name').execute();
    return rows.map((r) => ({
      namespace: r.namespace,
      kind: r.kind as WorkloadUsage['kind'],
      name: r.name,
      replicas: r.replicas === null ? null : Number(r.replicas),
      podsSeen: Number(r.pods_seen),
      podsKept: Number(r.pods_kept),
      cpuCores: Number(r.cpu_cores),
      memoryBytes: Number(r.memory_bytes),
    }));
  }

  async exportableDates(): Promise<string[]> {
    // One EXISTS per date stops at the first matched row, instead of joining every row of every date.
    const rows = await this.db
      .selectFrom('usage_dates as d')
      .select('d.date')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('project_usage as u')
            .innerJoin('usage_batches as b', 'b.id', 'u.batch_id')
            .innerJoin('project_quotas as q', 'q.project_name', 'u.project')
            .select(sql`1`.as('one'))
            .whereRef('b.date', '=', 'd.date')
            .where('b.status', '=', 'active')
            .where((eb) => eb.or([eb('q.cpu_cores', '>', 0), eb('q.memory_bytes', '>', 0)])),
        ),
      )
      .orderBy('d.date')
      .execute();
    return rows.map((r) => r.date);
  }

  async purgeRetired(): Promise<number> {
    const abandonedBefore = new Date(this.clock.now().getTime() - ABANDONED_AFTER_MS).toISOString();
    const batches = await this.db
      .selectFrom('usage_batches')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('status', '=', 'retired'),
          eb.and([eb('status', '=', 'loading'), eb('created_at', '<', abandonedBefore)]),
        ]),
      )
      .execute();
    let removed = 0;
    for (const { id } of batches) {
      for (;;) {
        const chunk = await this.db
          .deleteFrom('namespace_usage')
          .where('id', 'in', (eb) =>
            eb.selectFrom('namespace_usage').select('id').where('batch_id', '=', id).limit(PURGE_CHUNK_ROWS),
          )
          .executeTakeFirst();
        const count = Number(chunk.numDeletedRows);
        removed += count;
        if (count < PURGE_CHUNK_ROWS) break;
      }
      await this.db.deleteFrom('workload_usage').where('batch_id', '=', id).execute();
      await this.db.deleteFrom('project_usage').where('batch_id', '=', id).execute();
      await this.db.deleteFrom('usage_batches').where('id', '=', id).execute();
    }
    return removed;
  }

  async prometheusDaysSynced(from: string, to: string): Promise<{ date: string; sourceId: number }[]> {
    const rows = await this.db
      .selectFrom('usage_batches')
      .select(['date', 'source_id'])
      .where('source', '=', 'prometheus')
      .where('status', '=', 'active')
      .where('source_id', 'is not', null)
      .where('date', '>=', from)
      .where('date', '<=', to)
      .execute();
    return rows.map((r) => ({ date: r.date, sourceId: Number(r.source_id) }));
  }

  private async refreshDate(trx: Db, date: string): Promise<void> {
    const batches = await trx
      .selectFrom('usage_batches')
      .select(['id', 'source', 'origin', 'row_count'])
      .where('date', '=', date)
      .where('status', '=', 'active')
      .execute();
    if (batches.length === 0) {
      await trx.deleteFrom('usage_dates').where('date', '=', date).execute();
      return;
    }
    const { projects } = await trx
      .selectFrom('project_usage')
      .select(sql<number>`count(distinct project)`.as('projects'))
      .where(
        'batch_id',
        'in',
        batches.map((b) => b.id),
      )
      .executeTakeFirstOrThrow();
    const values = {
      record_count: batches.reduce((n, b) => n + Number(b.row_count), 0),
      project_count: Number(projects),
      sources: [...new Set(batches.map((b) => b.source))].sort().join(','),
      files: JSON.stringify(
        batches
          .filter((b) => b.source === 'upload')
          .map((b) => b.origin)
          .sort(),
      ),
      updated_at: this.clock.now().toISOString(),
    };
    await trx
      .insertInto('usage_dates')
      .values({ date, ...values })
      .onConflict((oc) => oc.column('date').doUpdateSet(values))
      .execute();
  }
}
