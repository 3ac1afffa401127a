import { bytesToGiB, giBToBytes, NAMESPACE_QUOTA_TEMPLATE_COLUMNS } from '@kra/contracts';
import type { NamespaceQuota, NamespaceQuotaImportResult, NamespaceQuotaList } from '@kra/contracts';
import { ratePercent } from '../domain/utilization';
import type {
  Clock,
  NamespaceQuotaRecord,
  NamespaceQuotaRepository,
  SheetWriter,
  WorkbookReader,
} from '../ports';
import { AppError } from './app-error';
import { TemplateSheet } from './template-sheet';

const gib = (bytes: number | null) => (bytes === null ? null : bytesToGiB(bytes));

export function presentNamespaceQuota(r: NamespaceQuotaRecord): NamespaceQuota {
  return {
    cluster_name: r.clusterName,
    namespace: r.namespace,
    project_name: r.projectName,
    cpu_limit: r.cpuLimit,
    memory_limit: gib(r.memoryLimit),
    cpu_used: r.cpuUsed,
    memory_used: gib(r.memoryUsed),
    pods_limit: r.podsLimit,
    pods_used: r.podsUsed,
    storage_limit: gib(r.storageLimit),
    storage_used: gib(r.storageUsed),
    cpu_rate: r.cpuUsed === null ? null : ratePercent(r.cpuUsed, r.cpuLimit),
    memory_rate: r.memoryUsed === null ? null : ratePercent(r.memoryUsed, r.memoryLimit),
    pods_rate: r.podsUsed === null ? null : ratePercent(r.podsUsed, r.podsLimit),
    storage_rate: r.storageUsed === null ? null : ratePercent(r.storageUsed, r.storageLimit),
    quota_count: r.quotaCount,
    source: r.source,
    synced_at: r.syncedAt,
  };
}

/** Sheet column → record field and unit; the first three are text, the rest numbers. */
const NUMBER_COLUMNS: {
  title: (typeof NAMESPACE_QUOTA_TEMPLATE_COLUMNS)[number];
  field: keyof NamespaceQuotaRecord;
  gib: boolean;
}[] = [
  { title: 'CPU限制(核)', field: 'cpuLimit', gib: false },
  { title: '内存限制(GB)', field: 'memoryLimit', gib: true },
  { title: 'CPU已用(核)', field: 'cpuUsed', gib: false },
  { title: '内存已用(GB)', field: 'memoryUsed', gib: true },
  { title: 'Pod限制', field: 'podsLimit', gib: false },
  { title: 'Pod已用', field: 'podsUsed', gib: false },
  { title: '存储限制(GB)', field: 'storageLimit', gib: true },
  { title: '存储已用(GB)', field: 'storageUsed', gib: true },
];
const DECIMAL = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export class NamespaceQuotaService {
  constructor(
    private readonly quotas: NamespaceQuotaRepository,
    private readonly reader: WorkbookReader,
    private readonly sheets: SheetWriter,
    private readonly clock: Clock,
  ) {}

  async list(filter: { cluster?: string; project?: string; search?: string }): Promise<NamespaceQuotaList> {
    const items = (await this.quotas.list(filter)).map(presentNamespaceQuota);
    return { items, total: items.length };
  }

  async remove(clusterName: string, namespace: string): Promise<void> {
    if (!(await this.quotas.delete(clusterName, namespace))) {
      throw new AppError(
        'not_found',
        'namespace_quota_not_found',
        `no quota for namespace "${namespace}" of cluster "${clusterName}"`,
      );
    }
  }

  /** Upserts by (cluster, namespace); a row with any error is rejected, and nothing is stored unless `partial`. */
  async importWorkbook(
    data: Buffer,
    fileName: string,
    options: { partial: boolean },
  ): Promise<NamespaceQuotaImportResult> {
    const sheet = await TemplateSheet.read(this.reader, data, fileName, NAMESPACE_QUOTA_TEMPLATE_COLUMNS);
    const valid: NamespaceQuotaRecord[] = [];
    const firstRow = new Map<string, number>();
    const syncedAt = this.clock.now().toISOString();
    for (const row of sheet.rows) {
      const cluster = sheet.text(row, '集群名称');
      const namespace = sheet.text(row, '命名空间');
      if (cluster === '') sheet.fail(row, '集群名称', '集群名称 is empty');
      if (namespace === '') sheet.fail(row, '命名空间', '命名空间 is empty');
      const key = `${cluster}/${namespace}`;
      if (cluster !== '' && namespace !== '') {
        if (firstRow.has(key))
          sheet.fail(row, '命名空间', `${key} already appears in row ${firstRow.get(key)}`);
        else firstRow.set(key, row.row);
      }
      const record: NamespaceQuotaRecord = {
        clusterName: cluster,
        namespace,
        projectName: sheet.text(row, '项目名称') || null,
        cpuLimit: null,
        memoryLimit: null,
        cpuUsed: null,
        memoryUsed: null,
        podsLimit: null,
        podsUsed: null,
        storageLimit: null,
        storageUsed: null,
        quotaCount: 0,
        source: 'import',
        syncedAt,
      };
      for (const column of NUMBER_COLUMNS) {
        const raw = sheet.cell(row, column.title);
        if (raw === null || String(raw).trim() === '') continue;
        const value = typeof raw === 'number' ? raw : DECIMAL.test(raw.trim()) ? Number(raw.trim()) : NaN;
        if (!Number.isFinite(value))
          sheet.fail(row, column.title, `"${String(raw).slice(0, 40)}" is not a number`);
        else if (value < 0) sheet.fail(row, column.title, `${value} is negative`);
        else (record[column.field] as number) = column.gib ? giBToBytes(value) : value;
      }
      if (!sheet.hasErrors(row)) valid.push(record);
    }
    sheet.assertStorable('namespace_quota_import_invalid', valid.length, options.partial);
    const counts =
      valid.length > 0 ? await this.quotas.upsertMany(valid) : { created: 0, updated: 0, unchanged: 0 };
    return {
      stored: valid.length > 0,
      total_rows: sheet.rows.length,
      ...counts,
      rejected_rows: sheet.rows.length - valid.length,
      errors: sheet.errors,
    };
  }

  template(): Promise<Buffer> {
    return this.sheets.write([
      {
        name: '命名空间配额',
        header: [...NAMESPACE_QUOTA_TEMPLATE_COLUMNS],
        rows: [['prod-cluster', 'payments-api', 'payments', 8, 16, 2.5, 6, 50, 12, 100, 20]],
      },
    ]);
  }

  /** The table as shown, in the template's columns (so it can be edited and imported again). */
  async exportWorkbook(filter: { cluster?: string; project?: string; search?: string }): Promise<Buffer> {
    const rows = (await this.quotas.list(filter)).map((r) => [
      r.clusterName,
      r.namespace,
      r.projectName,
      ...NUMBER_COLUMNS.map((c) => {
        const value = r[c.field] as number | null;
        return value === null ? null : c.gib ? bytesToGiB(value) : value;
      }),
    ]);
    return this.sheets.write([{ name: '命名空间配额', header: [...NAMESPACE_QUOTA_TEMPLATE_COLUMNS], rows }]);
  }
}
