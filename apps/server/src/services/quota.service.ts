import { bytesToGiB, giBToBytes } from '@kra/contracts';
import type {
  ErrorDetail,
  ProjectQuota,
  QuotaBatchDeleteResult,
  QuotaCreate,
  QuotaImportResult,
  QuotaList,
  QuotaUpdate,
} from '@kra/contracts';
import { sortNaturally } from '../domain/natural-order';
import { MANUAL_SOURCE } from '../domain/project-quota-sync';
import { validateQuotaSheet } from '../domain/quota-sheet';
import type { QuotaDraft } from '../domain/quota-sheet';
import type {
  ProjectQuotaRepository,
  ProjectQuotaShare,
  ProjectQuotaSyncRepository,
  QuotaRecord,
  QuotaWorkbookWriter,
  WorkbookReader,
} from '../ports';
import { WorkbookFormatError } from '../ports';
import { AppError } from './app-error';

export function presentQuota(q: QuotaRecord, shares: ProjectQuotaShare[]): ProjectQuota {
  return {
    cloud_id: q.cloudId,
    project_name: q.projectName,
    cpu_quota: q.cpuCores,
    memory_quota: bytesToGiB(q.memoryBytes),
    source: q.source,
    clusters: shares.map((s) => ({
      cluster_name: s.clusterName,
      cpu_quota: s.cpuCores,
      memory_quota: bytesToGiB(s.memoryBytes),
      origin: s.origin as 'projectquota' | 'resourcequota',
    })),
    updated_at: q.updatedAt,
  };
}

export class QuotaService {
  constructor(
    private readonly quotas: ProjectQuotaRepository,
    private readonly shares: ProjectQuotaSyncRepository,
    private readonly reader: WorkbookReader,
    private readonly writer: QuotaWorkbookWriter,
  ) {}

  async list(search?: string): Promise<QuotaList> {
    const rows = await this.quotas.list(search);
    sortNaturally(rows, (r) => r.cloudId);
    const byProject = new Map<string, ProjectQuotaShare[]>();
    for (const share of await this.shares.breakdown())
      byProject.set(share.projectName, [...(byProject.get(share.projectName) ?? []), share]);
    return {
      items: rows.map((q) => presentQuota(q, byProject.get(q.projectName) ?? [])),
      total: rows.length,
    };
  }

  async create(input: QuotaCreate): Promise<ProjectQuota> {
    if (await this.quotas.get(input.cloud_id)) {
      throw new AppError(
        'conflict',
        'cloud_id_exists',
        `a quota with cloud_id "${input.cloud_id}" already exists`,
        [{ code: 'cloud_id_exists', field: 'cloud_id', message: `cloud_id "${input.cloud_id}" is taken` }],
      );
    }
    await this.assertNameFree(input.project_name, input.cloud_id);
    const created = await this.quotas.create(
      {
        cloudId: input.cloud_id,
        projectName: input.project_name,
        cpuCores: input.cpu_quota,
        memoryBytes: giBToBytes(input.memory_quota),
      },
      MANUAL_SOURCE,
    );
    return presentQuota(created, []);
  }

  async update(cloudId: string, patch: QuotaUpdate): Promise<ProjectQuota> {
    if (patch.project_name !== undefined) await this.assertNameFree(patch.project_name, cloudId);
    if (
      patch.cloud_id !== undefined &&
      patch.cloud_id !== cloudId &&
      (await this.quotas.get(patch.cloud_id))
    ) {
      throw new AppError(
        'conflict',
        'cloud_id_exists',
        `a quota with cloud_id "${patch.cloud_id}" already exists`,
        [{ code: 'cloud_id_exists', field: 'cloud_id', message: `cloud_id "${patch.cloud_id}" is taken` }],
      );
    }
    const current = await this.quotas.get(cloudId);
    if (!current) throw notFound(cloudId);
    // Only what changes is written: repeating a synced quota's figures must not make it manual.
    const memoryBytes = patch.memory_quota === undefined ? undefined : giBToBytes(patch.memory_quota);
    const updated = await this.quotas.update(cloudId, {
      ...(patch.cloud_id !== undefined && patch.cloud_id !== cloudId ? { cloudId: patch.cloud_id } : {}),
      ...(patch.project_name !== undefined && patch.project_name !== current.projectName
        ? { projectName: patch.project_name }
        : {}),
      ...(patch.cpu_quota !== undefined && patch.cpu_quota !== current.cpuCores
        ? { cpuCores: patch.cpu_quota }
        : {}),
      ...(memoryBytes !== undefined && memoryBytes !== current.memoryBytes ? { memoryBytes } : {}),
    });
    if (!updated) throw notFound(cloudId);
    return presentQuota(updated, await this.shares.breakdown([updated.projectName]));
  }

  async remove(cloudId: string): Promise<void> {
    const deleted = await this.quotas.deleteMany([cloudId]);
    if (deleted.length === 0) throw notFound(cloudId);
  }

  async removeMany(cloudIds: string[]): Promise<QuotaBatchDeleteResult> {
    const unique = [...new Set(cloudIds)];
    const deleted = new Set(await this.quotas.deleteMany(unique));
    return { deleted: deleted.size, not_found: unique.filter((id) => !deleted.has(id)) };
  }

  /**
   * Upserts the sheet's rows by cloud_id. With any error nothing is stored (422) unless `partial`,
   * which stores the valid rows and reports the rest.
   */
  async importWorkbook(
    data: Buffer,
    fileName: string,
    options: { partial: boolean },
  ): Promise<QuotaImportResult> {
    let sheet;
    try {
      sheet = await this.reader.readFirstSheet(data, fileName);
    } catch (error) {
      if (error instanceof WorkbookFormatError)
        throw new AppError('unprocessable', error.detail.code, error.message, [error.detail]);
      throw error;
    }
    const checked = validateQuotaSheet(sheet.header, sheet.rows, fileName);
    const conflicts = await this.nameConflicts(checked.valid, fileName, checked.projectColumn);
    const valid = checked.valid.filter((draft) => !conflicts.rows.has(draft.row));
    const errors = [...checked.errors, ...conflicts.errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const rejectedRows = checked.rejectedRows + conflicts.rows.size;
    const totalRows = sheet.rows.length;

    if (errors.length > 0 && !options.partial) {
      throw new AppError(
        'unprocessable',
        'quota_import_invalid',
        `${fileName}: ${errors.length} error(s) in ${rejectedRows} of ${totalRows} row(s); nothing was imported. Fix them, or import the valid rows only.`,
        errors,
        { total_rows: totalRows, rejected_rows: rejectedRows },
      );
    }
    if (totalRows === 0) {
      throw new AppError(
        'unprocessable',
        'empty_sheet',
        `${fileName}: the sheet has a header but no data rows`,
        [
          {
            code: 'empty_sheet',
            file: fileName,
            row: 2,
            message: `${fileName}: no data rows below the header`,
          },
        ],
      );
    }
    const outcome =
      valid.length > 0
        ? await this.quotas.upsertMany(valid, MANUAL_SOURCE)
        : { created: 0, updated: 0, unchanged: 0 };
    return {
      stored: valid.length > 0,
      total_rows: totalRows,
      ...outcome,
      rejected_rows: rejectedRows,
      errors,
    };
  }

  /** All quotas in the template's layout, and how many rows that is. */
  async exportWorkbook(): Promise<{ workbook: Buffer; rows: number }> {
    const rows = await this.quotas.list();
    sortNaturally(rows, (r) => r.cloudId);
    const workbook = await this.writer.quotas(
      rows.map((q) => ({
        cloudId: q.cloudId,
        projectName: q.projectName,
        cpuCores: q.cpuCores,
        memoryGiB: bytesToGiB(q.memoryBytes),
      })),
    );
    return { workbook, rows: rows.length };
  }

  template(): Promise<Buffer> {
    return this.writer.template();
  }

  private async assertNameFree(projectName: string, cloudId: string): Promise<void> {
    const holder = await this.quotas.findByProjectName(projectName);
    if (holder && holder.cloudId !== cloudId) {
      throw new AppError(
        'conflict',
        'project_name_exists',
        `project "${projectName}" already has a quota under cloud_id "${holder.cloudId}"`,
        [
          {
            code: 'project_name_exists',
            field: 'project_name',
            message: `project "${projectName}" belongs to cloud_id "${holder.cloudId}"`,
          },
        ],
      );
    }
  }

  /** A row may not take a project name that another cloud_id keeps after the import. */
  private async nameConflicts(
    drafts: QuotaDraft[],
    fileName: string,
    column: string,
  ): Promise<{ rows: Set<number>; errors: ErrorDetail[] }> {
    const existing = await this.quotas.list();
    const holderOfName = new Map(existing.map((q) => [q.projectName, q.cloudId]));
    const nameInFile = new Map(drafts.map((d) => [d.cloudId, d.projectName]));
    const rows = new Set<number>();
    const errors: ErrorDetail[] = [];
    for (const draft of drafts) {
      const holder = holderOfName.get(draft.projectName);
      if (holder === undefined || holder === draft.cloudId) continue;
      const holderKeepsName = !nameInFile.has(holder) || nameInFile.get(holder) === draft.projectName;
      if (!holderKeepsName) continue;
      rows.add(draft.row);
      errors.push({
        code: 'project_name_exists',
        file: fileName,
        row: draft.row,
        column,
        field: '项目名称',
        value: draft.projectName,
        message: `row ${draft.row}, column ${column}: project "${draft.projectName}" already has a quota under cloud_id "${holder}"`,
      });
    }
    return { rows, errors };
  }
}

function notFound(cloudId: string): AppError {
  return new AppError('not_found', 'quota_not_found', `no quota with cloud_id "${cloudId}"`);
}
