import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { RevisionSource } from '../ports';
import type { Database } from './schema';

/** Call inside every write transaction that can change a report. */
export async function bumpRevision(trx: Transaction<Database> | Kysely<Database>): Promise<void> {
  await trx
    .updateTable('data_revision')
    .set({ revision: sql`revision + 1` })
    .where('id', '=', 1)
    .execute();
}

export class DatabaseRevisionSource implements RevisionSource {
  constructor(private readonly db: Kysely<Database>) {}

  async current(): Promise<number> {
    const row = await this.db
      .selectFrom('data_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.revision);
  }
}
