import type { Kysely } from 'kysely';
import type { SettingsRecord, SettingsRepository } from '../../ports';
import { bumpRevision } from '../revision';
import type { Database } from '../schema';

const KEYS: (keyof SettingsRecord)[] = [
  'exportCapAtOne',
  'timezone',
  'schedulerEnabled',
  'catchUpMissed',
  'prometheusCatchUpDays',
  'keepRunsDays',
  'slotsTimezone',
];

export class KyselySettingsRepository implements SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(): Promise<Partial<SettingsRecord>> {
    const rows = await this.db.selectFrom('settings').selectAll().execute();
    const out: Record<string, unknown> = {};
    for (const row of rows) if ((KEYS as string[]).includes(row.key)) out[row.key] = JSON.parse(row.value);
    return out as Partial<SettingsRecord>;
  }

  async save(patch: Partial<SettingsRecord>): Promise<void> {
    const entries = Object.entries(patch).filter(
      ([key, value]) => (KEYS as string[]).includes(key) && value !== undefined,
    );
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of entries) {
        await trx
          .insertInto('settings')
          .values({ key, value: JSON.stringify(value) })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
          .execute();
      }
      await bumpRevision(trx);
    });
  }
}
