import type { Kysely, Selectable } from 'kysely';
import type { AuthKind, ClusterKind, ConnectionTest } from '@kra/contracts';
import type { Clock, ClusterImportRow, ClusterInput, ClusterRecord, ClusterRepository } from '../../ports';
import type { SqlDialect } from '../dialect';
import { replaceClusterShares } from '../project-quota-shares';
import { bumpRevision } from '../revision';
import type { ClustersTable, Database } from '../schema';

const toRecord = (row: Selectable<ClustersTable>): ClusterRecord => ({
  id: Number(row.id),
  name: row.name,
  kind: row.kind as ClusterKind,
  sealedKubeconfig: row.sealed_kubeconfig,
  server: row.server,
  context: row.context,
  authKind: row.auth_kind as AuthKind,
  insecure: Boolean(row.insecure),
  useProjectQuota: Boolean(row.use_projectquota),
  projectLabel: row.project_label,
  lastTest: row.last_test === null ? null : (JSON.parse(row.last_test) as ConnectionTest),
  lastSyncAt: row.last_sync_at,
  lastSyncOk: row.last_sync_ok === null ? null : Boolean(row.last_sync_ok),
  lastSyncMessage: row.last_sync_message,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function columns(input: Partial<ClusterInput>) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.sealedKubeconfig !== undefined ? { sealed_kubeconfig: input.sealedKubeconfig } : {}),
    ...(input.server !== undefined ? { server: input.server } : {}),
    ...(input.context !== undefined ? { context: input.context } : {}),
    ...(input.authKind !== undefined ? { auth_kind: input.authKind } : {}),
    ...(input.insecure !== undefined ? { insecure: input.insecure ? 1 : 0 } : {}),
    ...(input.useProjectQuota !== undefined ? { use_projectquota: input.useProjectQuota ? 1 : 0 } : {}),
    ...(input.projectLabel !== undefined ? { project_label: input.projectLabel } : {}),
  };
}

export class KyselyClusterRepository implements ClusterRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly dialect: SqlDialect,
  ) {}

  async list(): Promise<ClusterRecord[]> {
    return (await this.db.selectFrom('clusters').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(id: number): Promise<ClusterRecord | undefined> {
    const row = await this.db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByName(name: string): Promise<ClusterRecord | undefined> {
    const row = await this.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async create(input: ClusterInput): Promise<ClusterRecord> {
    const now = this.clock.now().toISOString();
    const row = await this.db
      .insertInto('clusters')
      .values({ ...columns(input), created_at: now, updated_at: now } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async update(id: number, patch: Partial<ClusterInput>): Promise<ClusterRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('clusters').select('name').where('id', '=', id).executeTakeFirst();
      if (!before) return undefined;
      const row = await trx
        .updateTable('clusters')
        .set({ ...columns(patch), updated_at: this.clock.now().toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (patch.name !== undefined && patch.name !== before.name) {
        await trx
          .updateTable('namespace_quotas')
          .set({ cluster_name: patch.name })
          .where('cluster_name', '=', before.name)
          .execute();
        await trx
          .updateTable('project_quota_clusters')
          .set({ cluster_name: patch.name })
          .where('cluster_name', '=', before.name)
          .execute();
      }
      return toRecord(row);
    });
  }

  async delete(id: number): Promise<boolean> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('clusters').select('name').where('id', '=', id).executeTakeFirst();
      if (!row) return false;
      // The project-quota lock is taken before the cluster's row is deleted, in the order a sync
      // takes them (the lock, then the row), so a deletion and a sync cannot deadlock.
      await replaceClusterShares(trx, this.dialect, now, row.name, null);
      await trx.deleteFrom('clusters').where('id', '=', id).execute();
      // Every namespace row under the cluster's name goes, imported or synced: while the cluster is
      // connected its syncs replace them all, so none of them outlives it either.
      await trx.deleteFrom('namespace_quotas').where('cluster_name', '=', row.name).execute();
      await bumpRevision(trx);
      return true;
    });
  }

  async upsertMany(
    rows: ClusterImportRow[],
    defaults: Pick<ClusterInput, 'useProjectQuota' | 'projectLabel'>,
  ): Promise<{ created: number; updated: number }> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      let created = 0;
      let updated = 0;
      for (const row of rows) {
        const existing = await trx
          .selectFrom('clusters')
          .select('id')
          .where('name', '=', row.name)
          .executeTakeFirst();
        if (existing) {
          await trx
            .updateTable('clusters')
            .set({ ...columns(row), updated_at: now })
            .where('id', '=', existing.id)
            .execute();
          updated += 1;
        } else {
          await trx
            .insertInto('clusters')
            .values({ ...columns({ ...defaults, ...row }), created_at: now, updated_at: now } as never)
            .execute();
          created += 1;
        }
      }
      return { created, updated };
    });
  }

  async saveTest(id: number, test: ConnectionTest): Promise<void> {
    await this.db
      .updateTable('clusters')
      .set({ last_test: JSON.stringify(test) })
      .where('id', '=', id)
      .execute();
  }

  async saveSync(id: number, outcome: { at: string; ok: boolean; message: string }): Promise<void> {
    await this.db
      .updateTable('clusters')
      .set({ last_sync_at: outcome.at, last_sync_ok: outcome.ok ? 1 : 0, last_sync_message: outcome.message })
      .where('id', '=', id)
      .execute();
  }
}
