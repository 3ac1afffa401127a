import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationsFor, openDatabase } from '../../src/db/database';
import type { DatabaseHandle } from '../../src/db/database';
import { freshLocation, testDialects } from '../helpers/test-runtime';
import type { DatabaseLocation } from '../helpers/test-runtime';

describe.each(testDialects())('upgrading a database on %s', (dialect) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const fresh = await freshLocation(dialect);
    drop = fresh.drop;
    const location: DatabaseLocation = fresh.location;
    handle =
      location.kind === 'sqlite'
        ? openDatabase({ kind: 'sqlite', file: location.file })
        : openDatabase({ kind: 'postgres', url: location.url }, { postgresSchema: location.schema });
  });
  afterEach(async () => {
    await handle.close();
    await drop();
  });
  /** The database as an earlier release left it: migrated up to `name`. */
  const migrateTo = async (name: string) => {
    const migrator = new Migrator({
      db: handle.db,
      provider: { getMigrations: async () => migrationsFor(handle.dialect) },
    });
    expect((await migrator.migrateTo(name)).error).toBeUndefined();
  };

  it('0005: a day synced before and after a source was renamed counts its cluster once, the latest sync', async () => {
    await migrateTo('0004-scheduler');
    const { db } = handle;
    const at = '2026-11-21T00:00:00.000Z';
    await db
      .insertInto('prometheus_sources')
      .values({
        name: 'prom-renamed',
        url: 'http://127.0.0.1:9',
        cluster_name: 'prod',
        selector: null,
        strategy: 'pod-peak',
        memory_metric: 'usage_bytes',
        step: '1m',
        timeout_seconds: 60,
        tolerance: 1.5,
        auth_kind: 'none',
        username: null,
        sealed_secret: null,
        sealed_headers: null,
        header_names: '[]',
        ca_pem: null,
        insecure: 0,
        last_test: null,
        last_sync_at: null,
        last_sync_ok: null,
        last_sync_message: null,
        created_at: at,
        updated_at: at,
      } as never)
      .execute();
    // As the old code left them: "prom" synced the day, was renamed, and synced it again, beside a
    // second cluster's sync and an uploaded file.
    const batch = (origin: string, source: string, cluster: string | null, rows: number) => ({
      date: '2026-11-20',
      source,
      origin,
      cluster,
      strategy: source === 'prometheus' ? 'pod-peak' : null,
      status: 'active' as const,
      line_count: rows,
      row_count: rows,
      created_at: at,
    });
    const ids = [];
    for (const b of [
      batch('prom', 'prometheus', 'prod', 2),
      batch('prom-renamed', 'prometheus', 'prod', 2),
      batch('staging-prom', 'prometheus', 'staging', 1),
      batch('Day_report_2026-11-20.txt', 'upload', null, 1),
    ]) {
      ids.push(
        Number((await db.insertInto('usage_batches').values(b).returning('id').executeTakeFirstOrThrow()).id),
      );
    }
    const usage = (batchId: number, cluster: string | null, namespace: string, project: string) => ({
      batch_id: batchId,
      cluster,
      namespace,
      project,
      cpu_cores: 1,
      memory_bytes: 0,
    });
    await db
      .insertInto('namespace_usage')
      .values([
        usage(ids[0]!, 'prod', 'shop', 'retail'),
        usage(ids[0]!, 'prod', 'old-ns', 'legacy'),
        usage(ids[1]!, 'prod', 'shop', 'retail'),
        usage(ids[1]!, 'prod', 'shop-b', 'retail'),
        usage(ids[2]!, 'staging', 'qa', 'testing'),
        usage(ids[3]!, null, 'pay', 'payments'),
      ])
      .execute();
    await db
      .insertInto('usage_dates')
      .values({
        date: '2026-11-20',
        record_count: 6,
        project_count: 4,
        sources: 'prometheus,upload',
        files: '["Day_report_2026-11-20.txt"]',
        updated_at: at,
      })
      .execute();
    const revision = async () =>
      Number((await db.selectFrom('data_revision').select('revision').executeTakeFirstOrThrow()).revision);
    const before = await revision();

    expect(await migrateToLatest(handle)).toEqual([
      '0005-usage-batch-source',
      '0006-source-last-sync',
      '0007-project-usage',
    ]);

    const batches = await db
      .selectFrom('usage_batches')
      .select(['origin', 'source_id', 'status'])
      .orderBy('id')
      .execute();
    expect(
      batches.map((b) => [b.origin, b.source_id === null ? null : Number(b.source_id), b.status]),
    ).toEqual([
      ['prom', null, 'retired'],
      ['prom-renamed', 1, 'active'],
      ['staging-prom', null, 'active'],
      ['Day_report_2026-11-20.txt', null, 'active'],
    ]);
    // prom-renamed 2 + staging 1 + upload 1 rows; projects retail, testing, payments
    expect(
      await db.selectFrom('usage_dates').select(['record_count', 'project_count']).executeTakeFirstOrThrow(),
    ).toEqual({ record_count: 4, project_count: 3 });
    // 0005's recount and 0007's totals each change what a report reads
    expect(await revision()).toBe(before + 2);
  });

  it('0007: batches committed before it get their per-project totals; retired ones none', async () => {
    await migrateTo('0006-source-last-sync');
    const { db } = handle;
    const at = '2026-11-21T00:00:00.000Z';
    const insertBatch = async (origin: string, status: 'active' | 'retired') =>
      Number(
        (
          await db
            .insertInto('usage_batches')
            .values({
              date: '2026-11-20',
              source: 'upload',
              origin,
              cluster: null,
              strategy: null,
              status,
              line_count: 0,
              row_count: 0,
              created_at: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const active = await insertBatch('a.txt', 'active');
    const retired = await insertBatch('old.txt', 'retired');
    const usage = (batchId: number, namespace: string, project: string, cpu: number, memory: number) => ({
      batch_id: batchId,
      cluster: null,
      namespace,
      project,
      cpu_cores: cpu,
      memory_bytes: memory,
    });
    await db
      .insertInto('namespace_usage')
      .values([
        // "shop" twice in one file: summed, one namespace
        usage(active, 'shop', 'retail', 1.5, 100),
        usage(active, 'shop', 'retail', 0.25, 50),
        usage(active, 'shop-b', 'retail', 2, 0),
        usage(active, 'pay', 'payments', 4, 1024),
        usage(retired, 'pay', 'payments', 99, 99),
      ])
      .execute();

    expect(await migrateToLatest(handle)).toEqual(['0007-project-usage']);

    const totals = await db
      .selectFrom('project_usage')
      .select(['batch_id', 'project', 'cpu_cores', 'memory_bytes', 'namespace_count'])
      .orderBy('project')
      .execute();
    expect(
      totals.map((t) => [
        Number(t.batch_id),
        t.project,
        Number(t.cpu_cores),
        Number(t.memory_bytes),
        Number(t.namespace_count),
      ]),
    ).toEqual([
      [active, 'payments', 4, 1024, 1],
      [active, 'retail', 3.75, 150, 2],
    ]);
  });
});
