import { sql } from 'kysely';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { diffByKey, nearlyEqual } from '../../domain/diff-by-key';
import type { NamespaceQuotaRecord, NamespaceQuotaRepository, SyncCounts } from '../../ports';
import { INSERT_CHUNK_ROWS } from '../dialect';
import type { SqlDialect } from '../dialect';
import { assertClusterExists } from '../cluster-guard';
import type { Database, NamespaceQuotasTable } from '../schema';

const FIGURES = [
  'cpuLimit',
  'memoryLimit',
  'cpuUsed',
  'memoryUsed',
  'podsLimit',
  'podsUsed',
  'storageLimit',
  'storageUsed',
] as const;
const num = (v: number | null) => (v === null ? null : Number(v));

const toRecord = (r: Selectable<NamespaceQuotasTable>): NamespaceQuotaRecord => ({
  clusterName: r.cluster_name,
  namespace: r.namespace,
  projectName: r.project_name,
  cpuLimit: num(r.cpu_limit),
  memoryLimit: num(r.memory_limit),
  cpuUsed: num(r.cpu_used),
  memoryUsed: num(r.memory_used),
  podsLimit: num(r.pods_limit),
  podsUsed: num(r.pods_used),
  storageLimit: num(r.storage_limit),
  storageUsed: num(r.storage_used),
  quotaCount: Number(r.quota_count),
  source: r.source as NamespaceQuotaRecord['source'],
  syncedAt: r.synced_at,
});

const toRow = (r: NamespaceQuotaRecord): NamespaceQuotasTable => ({
  cluster_name: r.clusterName,
  namespace: r.namespace,
  project_name: r.projectName,
  cpu_limit: r.cpuLimit,
  memory_limit: r.memoryLimit,
  cpu_used: r.cpuUsed,
  memory_used: r.memoryUsed,
  pods_limit: r.podsLimit,
  pods_used: r.podsUsed,
  storage_limit: r.storageLimit,
  storage_used: r.storageUsed,
  quota_count: r.quotaCount,
  source: r.source,
  synced_at: r.syncedAt,
});

const key = (r: NamespaceQuotaRecord) => `${r.clusterName}\u0000${r.namespace}`;
const same = (a: NamespaceQuotaRecord, b: NamespaceQuotaRecord) =>
  a.projectName === b.projectName &&
  a.quotaCount === b.quotaCount &&
  a.source === b.source &&
  FIGURES.every((f) => nearlyEqual(a[f], b[f]));

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class KyselyNamespaceQuotaRepository implements NamespaceQuotaRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async list(filter: {
    cluster?: string;
    project?: string;
    search?: string;
  }): Promise<NamespaceQuotaRecord[]> {
    let query = this.db.selectFrom('namespace_quotas').selectAll();
    if (filter.cluster) query = query.where('cluster_name', '=', filter.cluster);
    if (filter.project) query = query.where('project_name', '=', filter.project);
    if (filter.search) {
      const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
      query = query.where(
        (eb) =>
          sql<boolean>`(lower(${eb.ref('namespace')}) like ${pattern} escape '\\' or lower(coalesce(${eb.ref('project_name')}, '')) like ${pattern} escape '\\')`,
      );
    }
    return (await query.orderBy('cluster_name').orderBy('namespace').execute()).map(toRecord);
  }

  async replaceCluster(
    clusterName: string,
    rows: NamespaceQuotaRecord[],
    unreadable: string[],
  ): Promise<SyncCounts> {
    const kept = new Set(unreadable);
    return this.db.transaction().execute(async (trx) => {
      await assertClusterExists(trx, this.dialect, clusterName);
      const existing = (
        await trx.selectFrom('namespace_quotas').selectAll().where('cluster_name', '=', clusterName).execute()
      )
        .map(toRecord)
        .filter((r) => !kept.has(r.namespace));
      const diff = diffByKey(existing, rows, key, same);
      await this.write(trx, [...diff.created, ...diff.updated]);
      const gone = diff.removed.map((r) => r.namespace);
      for (let i = 0; i < gone.length; i += INSERT_CHUNK_ROWS) {
        await trx
          .deleteFrom('namespace_quotas')
          .where('cluster_name', '=', clusterName)
          .where('namespace', 'in', gone.slice(i, i + INSERT_CHUNK_ROWS))
          .execute();
      }
      return {
        created: diff.created.length,
        updated: diff.updated.length,
        unchanged: diff.unchanged.length,
        removed: diff.removed.length,
      };
    });
  }

  async upsertMany(rows: NamespaceQuotaRecord[]): Promise<Omit<SyncCounts, 'removed'>> {
    return this.db.transaction().execute(async (trx) => {
      const clusters = [...new Set(rows.map((r) => r.clusterName))];
      const existing =
        clusters.length === 0
          ? []
          : (
              await trx
                .selectFrom('namespace_quotas')
                .selectAll()
                .where('cluster_name', 'in', clusters)
                .execute()
            ).map(toRecord);
      const incomingKeys = new Set(rows.map(key));
      const diff = diffByKey(
        existing.filter((r) => incomingKeys.has(key(r))),
        rows,
        key,
        same,
      );
      await this.write(trx, [...diff.created, ...diff.updated]);
      return { created: diff.created.length, updated: diff.updated.length, unchanged: diff.unchanged.length };
    });
  }

  async delete(clusterName: string, namespace: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('namespace_quotas')
      .where('cluster_name', '=', clusterName)
      .where('namespace', '=', namespace)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  private async write(trx: Transaction<Database>, rows: NamespaceQuotaRecord[]): Promise<void> {
    // 14 columns: 500 rows per statement stays under SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('namespace_quotas')
        .values(rows.slice(i, i + 500).map(toRow))
        .onConflict((oc) =>
          oc.columns(['cluster_name', 'namespace']).doUpdateSet((eb) => ({
            project_name: eb.ref('excluded.project_name'),
            cpu_limit: eb.ref('excluded.cpu_limit'),
            memory_limit: eb.ref('excluded.memory_limit'),
            cpu_used: eb.ref('excluded.cpu_used'),
            memory_used: eb.ref('excluded.memory_used'),
            pods_limit: eb.ref('excluded.pods_limit'),
            pods_used: eb.ref('excluded.pods_used'),
            storage_limit: eb.ref('excluded.storage_limit'),
            storage_used: eb.ref('excluded.storage_used'),
            quota_count: eb.ref('excluded.quota_count'),
            source: eb.ref('excluded.source'),
            synced_at: eb.ref('excluded.synced_at'),
          })),
        )
        .execute();
    }
  }
}
