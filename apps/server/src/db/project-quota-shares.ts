import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { planProjectQuotaSync, K8S_SOURCE } from '../domain/project-quota-sync';
import type { ExistingQuota } from '../domain/project-quota-sync';
import type { ProjectClusterQuota } from '../domain/quota-figures';
import type { ProjectQuotaSyncOutcome } from '../ports';
import type { SqlDialect } from './dialect';
import { assertClusterExists } from './cluster-guard';
import { bumpRevision } from './revision';
import type { Database } from './schema';

/** Key of the PostgreSQL advisory lock that serializes changes to project-quota shares (any number, fixed). */
const PROJECT_QUOTA_SHARES_LOCK = 7_300_201;

/**
 * What a cluster reports now (and the projects it could not read, whose shares stay), or null when
 * the cluster is being deleted and its shares withdrawn.
 */
export type ClusterShares = {
  quotas: ProjectClusterQuota[];
  origin: 'projectquota' | 'resourcequota';
  unreadable: string[];
} | null;

/**
 * Replaces one cluster's shares of the synced project quotas and recomputes every quota they add up
 * to, inside `trx`: a quota left with no share is removed, manual quotas are never written.
 * Withdrawing (null) is what deleting the cluster does to the project quotas.
 */
export async function replaceClusterShares(
  trx: Transaction<Database>,
  dialect: SqlDialect,
  now: string,
  clusterName: string,
  incoming: ClusterShares,
): Promise<ProjectQuotaSyncOutcome> {
  // Syncs of several clusters (and replicas) and cluster deletions recompute the same totals; two that
  // both find a project missing would both create it. SQLite runs one transaction at a time anyway.
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(${PROJECT_QUOTA_SHARES_LOCK})`.execute(trx);
  if (incoming !== null) await assertClusterExists(trx, dialect, clusterName);
  const existing = await trx.selectFrom('project_quotas').selectAll().execute();
  const shares = await trx.selectFrom('project_quota_clusters').selectAll().execute();
  const plan = planProjectQuotaSync({
    clusterName,
    incoming: incoming?.quotas ?? [],
    shares: shares.map((s) => ({
      projectName: s.project_name,
      clusterName: s.cluster_name,
      cpuCores: Number(s.cpu_cores),
      memoryBytes: Number(s.memory_bytes),
    })),
    quotas: new Map<string, ExistingQuota>(
      existing.map((q) => [
        q.project_name,
        {
          cloudId: q.cloud_id,
          projectName: q.project_name,
          source: q.source,
          cpuCores: Number(q.cpu_cores),
          memoryBytes: Number(q.memory_bytes),
        },
      ]),
    ),
    takenCloudIds: new Set(existing.map((q) => q.cloud_id)),
    unreadable: new Set(incoming?.unreadable ?? []),
  });
  for (const project of plan.shareDeletes) {
    await trx
      .deleteFrom('project_quota_clusters')
      .where('project_name', '=', project)
      .where('cluster_name', '=', clusterName)
      .execute();
  }
  for (const share of plan.shareUpserts) {
    const values = {
      cpu_cores: share.cpuCores,
      memory_bytes: share.memoryBytes,
      origin: incoming!.origin,
      synced_at: now,
    };
    await trx
      .insertInto('project_quota_clusters')
      .values({ project_name: share.projectName, cluster_name: clusterName, ...values })
      .onConflict((oc) => oc.columns(['project_name', 'cluster_name']).doUpdateSet(values))
      .execute();
  }
  for (const cloudId of plan.deletes)
    await trx.deleteFrom('project_quotas').where('cloud_id', '=', cloudId).execute();
  for (const u of plan.updates) {
    await trx
      .updateTable('project_quotas')
      .set({ cpu_cores: u.cpuCores, memory_bytes: u.memoryBytes, source: K8S_SOURCE, updated_at: now })
      .where('cloud_id', '=', u.cloudId)
      .execute();
  }
  for (const c of plan.creates) {
    await trx
      .insertInto('project_quotas')
      .values({
        cloud_id: c.cloudId,
        project_name: c.projectName,
        cpu_cores: c.cpuCores,
        memory_bytes: c.memoryBytes,
        source: K8S_SOURCE,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  if (plan.creates.length + plan.updates.length + plan.deletes.length > 0) await bumpRevision(trx);
  return {
    created: plan.created,
    updated: plan.updated,
    unchanged: plan.unchanged,
    removed: plan.removed,
    skipped: plan.skipped,
    errors: plan.errors,
  };
}
