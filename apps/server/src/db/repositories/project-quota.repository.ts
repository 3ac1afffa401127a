import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { ProjectClusterQuota } from '../../domain/quota-figures';
import type {
  Clock,
  ProjectQuotaRepository,
  ProjectQuotaShare,
  ProjectQuotaSyncOutcome,
  ProjectQuotaSyncRepository,
  QuotaInput,
  QuotaRecord,
  QuotaUpsertOutcome,
} from '../../ports';
import { INSERT_CHUNK_ROWS } from '../dialect';
import type { SqlDialect } from '../dialect';
import { replaceClusterShares } from '../project-quota-shares';
import { bumpRevision } from '../revision';
import type { Database, ProjectQuotasTable } from '../schema';

const toRecord = (row: Selectable<ProjectQuotasTable>): QuotaRecord => ({
  cloudId: row.cloud_id,
  projectName: row.project_name,
  cpuCores: Number(row.cpu_cores),
  memoryBytes: Number(row.memory_bytes),
  source: row.source,
  updatedAt: row.updated_at,
});

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class KyselyProjectQuotaRepository implements ProjectQuotaRepository, ProjectQuotaSyncRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly dialect: SqlDialect,
  ) {}

  async list(search?: string): Promise<QuotaRecord[]> {
    let query = this.db.selectFrom('project_quotas').selectAll();
    if (search) {
      const pattern = `%${escapeLike(search.toLowerCase())}%`;
      // SQLite has no default LIKE escape character; PostgreSQL's is the backslash. Say it for both.
      query = query.where(
        (eb) =>
          sql<boolean>`(lower(${eb.ref('project_name')}) like ${pattern} escape '\\' or lower(${eb.ref('cloud_id')}) like ${pattern} escape '\\')`,
      );
    }
    const rows = await query.execute();
    return rows.map(toRecord);
  }

  async get(cloudId: string): Promise<QuotaRecord | undefined> {
    const row = await this.db
      .selectFrom('project_quotas')
      .selectAll()
      .where('cloud_id', '=', cloudId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async findByProjectName(projectName: string): Promise<QuotaRecord | undefined> {
    const row = await this.db
      .selectFrom('project_quotas')
      .selectAll()
      .where('project_name', '=', projectName)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async create(input: QuotaInput, source: string): Promise<QuotaRecord> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('project_quotas')
        .values({
          cloud_id: input.cloudId,
          project_name: input.projectName,
          cpu_cores: input.cpuCores,
          memory_bytes: input.memoryBytes,
          source,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await bumpRevision(trx);
      return toRecord(row);
    });
  }

  async update(cloudId: string, patch: Partial<QuotaInput>): Promise<QuotaRecord | undefined> {
    const changesFigures =
      patch.projectName !== undefined || patch.cpuCores !== undefined || patch.memoryBytes !== undefined;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('project_quotas')
        .set({
          ...(patch.cloudId !== undefined ? { cloud_id: patch.cloudId } : {}),
          ...(patch.projectName !== undefined ? { project_name: patch.projectName } : {}),
          ...(patch.cpuCores !== undefined ? { cpu_cores: patch.cpuCores } : {}),
          ...(patch.memoryBytes !== undefined ? { memory_bytes: patch.memoryBytes } : {}),
          ...(changesFigures ? { source: 'manual' } : {}),
          updated_at: this.clock.now().toISOString(),
        })
        .where('cloud_id', '=', cloudId)
        .returningAll()
        .executeTakeFirst();
      if (row) await bumpRevision(trx);
      return row && toRecord(row);
    });
  }

  async deleteMany(cloudIds: string[]): Promise<string[]> {
    if (cloudIds.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const deleted: string[] = [];
      for (let i = 0; i < cloudIds.length; i += INSERT_CHUNK_ROWS) {
        const rows = await trx
          .deleteFrom('project_quotas')
          .where('cloud_id', 'in', cloudIds.slice(i, i + INSERT_CHUNK_ROWS))
          .returning('cloud_id')
          .execute();
        deleted.push(...rows.map((r) => r.cloud_id));
      }
      if (deleted.length > 0) await bumpRevision(trx);
      return deleted;
    });
  }

  async upsertMany(inputs: QuotaInput[], source: string): Promise<QuotaUpsertOutcome> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const existing = new Map<string, QuotaRecord>();
      for (let i = 0; i < inputs.length; i += INSERT_CHUNK_ROWS) {
        const ids = inputs.slice(i, i + INSERT_CHUNK_ROWS).map((q) => q.cloudId);
        for (const row of await trx
          .selectFrom('project_quotas')
          .selectAll()
          .where('cloud_id', 'in', ids)
          .execute()) {
          existing.set(row.cloud_id, toRecord(row));
        }
      }
      const outcome: QuotaUpsertOutcome = { created: 0, updated: 0, unchanged: 0 };
      const changed = inputs.filter((input) => {
        const before = existing.get(input.cloudId);
        if (!before) outcome.created += 1;
        else if (
          before.projectName === input.projectName &&
          before.cpuCores === input.cpuCores &&
          before.memoryBytes === input.memoryBytes
        ) {
          outcome.unchanged += 1;
          return false;
        } else outcome.updated += 1;
        return true;
      });
      // A renamed project may take a name another row of the same import gives up; clearing
      // the changed rows' names first keeps the unique index satisfied whatever the order.
      const renamed = changed.filter(
        (c) => existing.has(c.cloudId) && existing.get(c.cloudId)!.projectName !== c.projectName,
      );
      for (const input of renamed) {
        await trx
          .updateTable('project_quotas')
          .set({ project_name: `~kra-renaming~${input.cloudId}` })
          .where('cloud_id', '=', input.cloudId)
          .execute();
      }
      for (let i = 0; i < changed.length; i += INSERT_CHUNK_ROWS) {
        const chunk = changed.slice(i, i + INSERT_CHUNK_ROWS);
        await trx
          .insertInto('project_quotas')
          .values(
            chunk.map((q) => ({
              cloud_id: q.cloudId,
              project_name: q.projectName,
              cpu_cores: q.cpuCores,
              memory_bytes: q.memoryBytes,
              source,
              created_at: now,
              updated_at: now,
            })),
          )
          .onConflict((oc) =>
            oc.column('cloud_id').doUpdateSet((eb) => ({
              project_name: eb.ref('excluded.project_name'),
              cpu_cores: eb.ref('excluded.cpu_cores'),
              memory_bytes: eb.ref('excluded.memory_bytes'),
              source: eb.ref('excluded.source'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      if (changed.length > 0) await bumpRevision(trx);
      return outcome;
    });
  }

  async applyCluster(
    clusterName: string,
    quotas: ProjectClusterQuota[],
    origin: 'projectquota' | 'resourcequota',
    unreadable: string[],
  ): Promise<ProjectQuotaSyncOutcome> {
    const now = this.clock.now().toISOString();
    return this.db
      .transaction()
      .execute((trx) =>
        replaceClusterShares(trx, this.dialect, now, clusterName, { quotas, origin, unreadable }),
      );
  }

  async breakdown(projectNames?: string[]): Promise<ProjectQuotaShare[]> {
    let query = this.db.selectFrom('project_quota_clusters').selectAll();
    if (projectNames !== undefined) {
      if (projectNames.length === 0) return [];
      query = query.where('project_name', 'in', projectNames);
    }
    const rows = await query.orderBy('project_name').orderBy('cluster_name').execute();
    return rows.map((r) => ({
      projectName: r.project_name,
      clusterName: r.cluster_name,
      cpuCores: Number(r.cpu_cores),
      memoryBytes: Number(r.memory_bytes),
      origin: r.origin,
    }));
  }
}
