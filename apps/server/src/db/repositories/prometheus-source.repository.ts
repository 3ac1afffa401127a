import type { Kysely, Selectable, Updateable } from 'kysely';
import type { PrometheusTest, SourceSyncResult } from '@kra/contracts';
import type { MemoryMetric, UsageStrategy } from '../../domain/promql';
import type {
  Clock,
  PrometheusSourceInput,
  PrometheusSourceRecord,
  PrometheusSourceRepository,
} from '../../ports';
import type { Database, PrometheusSourcesTable } from '../schema';

const toRecord = (r: Selectable<PrometheusSourcesTable>): PrometheusSourceRecord => ({
  id: Number(r.id),
  name: r.name,
  url: r.url,
  clusterName: r.cluster_name,
  selector: r.selector,
  strategy: r.strategy as UsageStrategy,
  memoryMetric: r.memory_metric as MemoryMetric,
  step: r.step,
  timeoutSeconds: Number(r.timeout_seconds),
  tolerance: Number(r.tolerance),
  authKind: r.auth_kind as PrometheusSourceRecord['authKind'],
  username: r.username,
  sealedSecret: r.sealed_secret,
  sealedHeaders: r.sealed_headers,
  headerNames: JSON.parse(r.header_names) as string[],
  caPem: r.ca_pem,
  insecure: Boolean(r.insecure),
  lastTest: r.last_test === null ? null : (JSON.parse(r.last_test) as PrometheusTest),
  lastSyncAt: r.last_sync_at,
  lastSyncOk: r.last_sync_ok === null ? null : Boolean(r.last_sync_ok),
  lastSyncMessage: r.last_sync_message,
  lastSync: r.last_sync_result === null ? null : (JSON.parse(r.last_sync_result) as SourceSyncResult),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function columns(p: Partial<PrometheusSourceInput>) {
  const map: Record<string, unknown> = {
    name: p.name,
    url: p.url,
    cluster_name: p.clusterName,
    selector: p.selector,
    strategy: p.strategy,
    memory_metric: p.memoryMetric,
    step: p.step,
    timeout_seconds: p.timeoutSeconds,
    tolerance: p.tolerance,
    auth_kind: p.authKind,
    username: p.username,
    sealed_secret: p.sealedSecret,
    sealed_headers: p.sealedHeaders,
    header_names: p.headerNames === undefined ? undefined : JSON.stringify(p.headerNames),
    ca_pem: p.caPem,
    insecure: p.insecure === undefined ? undefined : p.insecure ? 1 : 0,
  };
  return Object.fromEntries(
    Object.entries(map).filter(([, v]) => v !== undefined),
  ) as Updateable<PrometheusSourcesTable>;
}

export class KyselyPrometheusSourceRepository implements PrometheusSourceRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<PrometheusSourceRecord[]> {
    return (await this.db.selectFrom('prometheus_sources').selectAll().orderBy('name').execute()).map(
      toRecord,
    );
  }

  async get(id: number): Promise<PrometheusSourceRecord | undefined> {
    const row = await this.db
      .selectFrom('prometheus_sources')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async findByName(name: string): Promise<PrometheusSourceRecord | undefined> {
    const row = await this.db
      .selectFrom('prometheus_sources')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async create(input: PrometheusSourceInput): Promise<PrometheusSourceRecord> {
    const now = this.clock.now().toISOString();
    const row = await this.db
      .insertInto('prometheus_sources')
      .values({ ...columns(input), created_at: now, updated_at: now } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async update(
    id: number,
    patch: Partial<PrometheusSourceInput>,
  ): Promise<PrometheusSourceRecord | undefined> {
    const row = await this.db
      .updateTable('prometheus_sources')
      .set({ ...columns(patch), updated_at: this.clock.now().toISOString() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('prometheus_sources').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async upsertMany(
    inputs: PrometheusSourceInput[],
    updatedFields: readonly (keyof PrometheusSourceInput)[],
  ): Promise<{ created: number; updated: number }> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      let created = 0;
      let updated = 0;
      for (const input of inputs) {
        const existing = await trx
          .selectFrom('prometheus_sources')
          .select('id')
          .where('name', '=', input.name)
          .executeTakeFirst();
        if (existing) {
          await trx
            .updateTable('prometheus_sources')
            .set({
              ...columns(Object.fromEntries(updatedFields.map((f) => [f, input[f]]))),
              updated_at: now,
            })
            .where('id', '=', existing.id)
            .execute();
          updated += 1;
        } else {
          await trx
            .insertInto('prometheus_sources')
            .values({ ...columns(input), created_at: now, updated_at: now } as never)
            .execute();
          created += 1;
        }
      }
      return { created, updated };
    });
  }

  async saveTest(id: number, test: PrometheusTest): Promise<void> {
    await this.db
      .updateTable('prometheus_sources')
      .set({ last_test: JSON.stringify(test) })
      .where('id', '=', id)
      .execute();
  }

  async saveSync(
    id: number,
    outcome: { at: string; message: string; result: SourceSyncResult },
  ): Promise<void> {
    await this.db
      .updateTable('prometheus_sources')
      .set({
        last_sync_at: outcome.at,
        last_sync_ok: outcome.result.ok ? 1 : 0,
        last_sync_message: outcome.message,
        last_sync_result: JSON.stringify(outcome.result),
      })
      .where('id', '=', id)
      .execute();
  }
}
