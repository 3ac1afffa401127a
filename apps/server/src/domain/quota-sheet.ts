import { giBToBytes, QUOTA_TEMPLATE_COLUMNS } from '@kra/contracts';
import type { ErrorDetail } from '@kra/contracts';
import { isUnreadable, unreadableReason } from './sheet-cell';
import type { SheetCell, UnreadableCell } from './sheet-cell';

export type Cell = SheetCell;
type HeaderCell = string | number | null;

export interface QuotaSheetRow {
  row: number;
  cells: Cell[];
}

export interface QuotaDraft {
  row: number;
  cloudId: string;
  projectName: string;
  cpuCores: number;
  memoryBytes: number;
}

export interface QuotaSheetResult {
  valid: QuotaDraft[];
  errors: ErrorDetail[];
  rejectedRows: number;
  /** Where the project names are, e.g. `B (项目名称)`, for errors found later against the database. */
  projectColumn: string;
}

type Field = 'cloudId' | 'projectName' | 'cpu' | 'memory';

const FIELD_HEADERS: Record<Field, string[]> = {
  cloudId: [QUOTA_TEMPLATE_COLUMNS[0], 'cloud_id', 'cloudid', '云id', '主键'],
  projectName: [QUOTA_TEMPLATE_COLUMNS[1], 'project_name', 'project', '项目'],
  cpu: [QUOTA_TEMPLATE_COLUMNS[2], 'cpu_quota', 'cpu配额', 'cpu'],
  memory: [QUOTA_TEMPLATE_COLUMNS[3], '内存配额(gib)', 'memory_quota', '内存配额', 'memory'],
};
const FIELD_TITLE: Record<Field, string> = {
  cloudId: QUOTA_TEMPLATE_COLUMNS[0],
  projectName: QUOTA_TEMPLATE_COLUMNS[1],
  cpu: QUOTA_TEMPLATE_COLUMNS[2],
  memory: QUOTA_TEMPLATE_COLUMNS[3],
};
const DECIMAL = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const normalizeHeader = (text: HeaderCell): string =>
  String(text ?? '')
    .replace(/\s+/g, '')
    .toLowerCase();

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Finds each field's column by its header; the template's own names and common aliases are accepted. */
export function locateColumns(
  header: HeaderCell[],
  fileName: string,
): { columns: Record<Field, number> } | { error: ErrorDetail } {
  const normalized = header.map(normalizeHeader);
  const columns = {} as Record<Field, number>;
  const missing: string[] = [];
  for (const field of Object.keys(FIELD_HEADERS) as Field[]) {
    const index = normalized.findIndex((h) =>
      FIELD_HEADERS[field].some((name) => normalizeHeader(name) === h),
    );
    if (index === -1) missing.push(FIELD_TITLE[field]);
    else columns[field] = index;
  }
  if (missing.length > 0) {
    return {
      error: {
        code: 'missing_column',
        file: fileName,
        row: 1,
        message: `${fileName}: row 1 must be the header ${QUOTA_TEMPLATE_COLUMNS.join(' | ')}; missing ${missing.join(', ')}`,
      },
    };
  }
  return { columns };
}

/** Validates every row; a row with any error is rejected whole and every error is listed. */
export function validateQuotaSheet(
  header: HeaderCell[],
  rows: QuotaSheetRow[],
  fileName: string,
): QuotaSheetResult {
  const located = locateColumns(header, fileName);
  if ('error' in located)
    return { valid: [], errors: [located.error], rejectedRows: rows.length, projectColumn: '' };
  const { columns } = located;
  const columnLabel = (field: Field) =>
    `${columnLetter(columns[field])} (${String(header[columns[field]] ?? FIELD_TITLE[field]).trim()})`;
  const errors: ErrorDetail[] = [];
  const valid: QuotaDraft[] = [];
  const firstRowOfCloudId = new Map<string, number>();
  const firstRowOfProject = new Map<string, number>();
  let rejectedRows = 0;

  for (const { row, cells } of rows) {
    const rowErrors: ErrorDetail[] = [];
    const fail = (field: Field, code: string, reason: string, value?: string | number) => {
      const column = columnLabel(field);
      rowErrors.push({
        code,
        file: fileName,
        row,
        column,
        field: FIELD_TITLE[field],
        message: `row ${row}, column ${column}: ${reason}`,
        ...(value !== undefined && value !== null ? { value: String(value).slice(0, 80) } : {}),
      });
    };
    const rejectUnreadable = (field: Field, cell: UnreadableCell): null => {
      const { code, reason } = unreadableReason(cell);
      fail(field, code, reason);
      return null;
    };
    const text = (field: Field): string | null => {
      const value = cells[columns[field]] ?? null;
      if (isUnreadable(value)) return rejectUnreadable(field, value);
      const asText = typeof value === 'number' ? String(value) : (value ?? '').trim();
      if (asText === '') {
        fail(field, 'empty_value', `${FIELD_TITLE[field]} is empty`);
        return null;
      }
      return asText;
    };
    const amount = (field: Field): number | null => {
      const value = cells[columns[field]] ?? null;
      if (isUnreadable(value)) return rejectUnreadable(field, value);
      if (value === null || (typeof value === 'string' && value.trim() === '')) {
        fail(field, 'empty_value', `${FIELD_TITLE[field]} is empty`);
        return null;
      }
      const trimmed = typeof value === 'number' ? value : value.trim();
      const number =
        typeof trimmed === 'number'
          ? trimmed
          : DECIMAL.test(trimmed) || /^-/.test(trimmed)
            ? Number(trimmed)
            : NaN;
      if (!Number.isFinite(number)) {
        fail(field, 'not_a_number', `"${String(value).slice(0, 40)}" is not a number`, value);
        return null;
      }
      if (number < 0) {
        fail(field, 'negative_value', `${number} is negative`, value);
        return null;
      }
      return number;
    };

    const cloudId = text('cloudId');
    const projectName = text('projectName');
    const cpu = amount('cpu');
    const memory = amount('memory');
    if (cloudId !== null) {
      const first = firstRowOfCloudId.get(cloudId);
      if (first !== undefined)
        fail(
          'cloudId',
          'duplicate_cloud_id',
          `cloud_id "${cloudId}" already appears in row ${first}`,
          cloudId,
        );
      else firstRowOfCloudId.set(cloudId, row);
    }
    if (projectName !== null) {
      const first = firstRowOfProject.get(projectName);
      if (first !== undefined)
        fail(
          'projectName',
          'duplicate_project',
          `project "${projectName}" already appears in row ${first}`,
          projectName,
        );
      else firstRowOfProject.set(projectName, row);
    }
    if (rowErrors.length > 0 || cloudId === null || projectName === null || cpu === null || memory === null) {
      errors.push(...rowErrors);
      rejectedRows += 1;
      continue;
    }
    valid.push({ row, cloudId, projectName, cpuCores: cpu, memoryBytes: giBToBytes(memory) });
  }
  return { valid, errors, rejectedRows, projectColumn: columnLabel('projectName') };
}
