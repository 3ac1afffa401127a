import type { CreateTableBuilder } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

export function autoIncrementId<T extends string>(table: CreateTableBuilder<T, never>, dialect: SqlDialect) {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity());
}

/** Rows per multi-row INSERT: 1,000 rows × ≤ 8 columns stays under both engines' parameter limits. */
export const INSERT_CHUNK_ROWS = 1000;
