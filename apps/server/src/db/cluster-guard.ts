import type { Transaction } from 'kysely';
import type { SqlDialect } from './dialect';
import type { Database } from './schema';

/**
 * A sync stores what it read only while its cluster exists: one deleted while its lists were under
 * way would otherwise come back as quotas of a cluster nobody can see or delete. On PostgreSQL the
 * cluster's row stays locked until the sync's transaction ends, so a deletion waits for it (and then
 * removes what it stored) or has already happened.
 */
export async function assertClusterExists(
  trx: Transaction<Database>,
  dialect: SqlDialect,
  clusterName: string,
): Promise<void> {
  let query = trx.selectFrom('clusters').select('id').where('name', '=', clusterName);
  if (dialect === 'postgres') query = query.forUpdate();
  if (!(await query.executeTakeFirst()))
    throw new Error(`cluster "${clusterName}" was deleted or renamed while it synced; nothing was stored`);
}
