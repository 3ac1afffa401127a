import { describe, expect, it } from 'vitest';
import { columnLetter, validateQuotaSheet } from './quota-sheet';

const HEADER = ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'];
const GiB = 1024 ** 3;

describe('validateQuotaSheet', () => {
  it('reads numbers written as text and numeric cloud ids', () => {
    const result = validateQuotaSheet(
      HEADER,
      [
        { row: 2, cells: [1001, 'alpha', '10', ' 32 '] },
        { row: 3, cells: ['1002', ' beta ', 2.5, 0.5] },
      ],
      'q.xlsx',
    );
    expect(result.errors).toEqual([]);
    expect(result.valid).toEqual([
      { row: 2, cloudId: '1001', projectName: 'alpha', cpuCores: 10, memoryBytes: 32 * GiB },
      { row: 3, cloudId: '1002', projectName: 'beta', cpuCores: 2.5, memoryBytes: 0.5 * GiB },
    ]);
  });

  it('names row and column of every error and rejects the whole row', () => {
    const result = validateQuotaSheet(
      HEADER,
      [
        { row: 2, cells: ['1', 'a', 'ten', 1] },
        { row: 3, cells: [null, 'b', 1, 1] },
        { row: 4, cells: ['3', 'c', 1, -2] },
        { row: 5, cells: ['1', 'd', 1, 1] },
        { row: 6, cells: ['6', 'c', 1, 1] },
        { row: 7, cells: ['7', 'g', 4, 8] },
      ],
      'q.xlsx',
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      'row 2, column C (CPU配额(核)): "ten" is not a number',
      'row 3, column A (云序号): 云序号 is empty',
      'row 4, column D (内存配额(GB)): -2 is negative',
      'row 5, column A (云序号): cloud_id "1" already appears in row 2',
      'row 6, column B (项目名称): project "c" already appears in row 4',
    ]);
    expect(result.errors[0]).toMatchObject({
      row: 2,
      column: 'C (CPU配额(核))',
      field: 'CPU配额(核)',
      code: 'not_a_number',
      value: 'ten',
    });
    expect(result.rejectedRows).toBe(5);
    expect(result.valid.map((v) => v.cloudId)).toEqual(['7']);
  });

  it('finds columns by header in any order', () => {
    const result = validateQuotaSheet(
      ['项目名称', '内存配额(GB)', '云序号', 'CPU配额(核)'],
      [{ row: 2, cells: ['p', 4, 'id', 'x'] }],
      'q.xlsx',
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      'row 2, column D (CPU配额(核)): "x" is not a number',
    ]);
  });

  it('explains a header that is not the template', () => {
    const result = validateQuotaSheet(
      ['id', 'name', 'cpu', 'mem'],
      [{ row: 2, cells: ['1', 'a', 1, 1] }],
      'q.xlsx',
    );
    expect(result.errors).toEqual([
      {
        code: 'missing_column',
        file: 'q.xlsx',
        row: 1,
        message:
          'q.xlsx: row 1 must be the header 云序号 | 项目名称 | CPU配额(核) | 内存配额(GB); missing 云序号, 项目名称, 内存配额(GB)',
      },
    ]);
  });
});

describe('columnLetter', () => {
  it('counts like a spreadsheet', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
