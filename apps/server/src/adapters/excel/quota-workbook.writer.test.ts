import ExcelJS from 'exceljs';
import { describe, it, expect } from 'vitest';
import { ExcelQuotaWorkbookWriter } from './quota-workbook.writer';
import { ExcelWorkbookReader } from './workbook.reader';

const writer = new ExcelQuotaWorkbookWriter();

async function load(data: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  return workbook;
}

function values(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return (sheet.getRow(row).values as unknown[]).slice(1);
}

describe('ExcelQuotaWorkbookWriter.template', () => {
  it('has the quota sheet with a bold, frozen header and two example rows', async () => {
    const data = await writer.template();

    expect(Buffer.isBuffer(data)).toBe(true);
    const workbook = await load(data);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['项目配额', '说明']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(values(sheet, 1)).toEqual(['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)']);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('D1').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect([1, 2, 3, 4].map((c) => sheet.getColumn(c).width)).toEqual([18, 36, 14, 16]);

    expect(values(sheet, 2)).toEqual(['1001', 'demo-project', 10, 32]);
    expect(values(sheet, 3)).toEqual(['1002', '示例项目', 4.5, 16]);
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').numFmt).toBe('@');
    expect(sheet.getCell('C3').type).toBe(ExcelJS.ValueType.Number);
  });

  it('explains every column in Chinese and English', async () => {
    const help = (await load(await writer.template())).getWorksheet('说明')!;

    expect(values(help, 1)).toEqual(['列 / Column', '说明', 'Description']);
    expect(help.getColumn(1).values.slice(1)).toEqual([
      '列 / Column',
      '云序号',
      '项目名称',
      'CPU配额(核)',
      '内存配额(GB)',
      '注意 / Notes',
    ]);
    expect(help.getCell('B2').value).toContain('主键');
    expect(help.getCell('C2').value).toContain('exported as 主键');
    expect(help.getCell('C2').value).toContain('upserts by 云序号');
    expect(help.getCell('B3').value).toContain('每日资源报表中的项目名称');
    expect(help.getCell('C3').value).toContain('project name in the daily usage reports');
    expect(help.getCell('C4').value).toContain('cores');
    expect(help.getCell('B5').value).toContain('1 GB = 1024³ 字节');
    expect(help.getCell('C5').value).toContain('1 GB = 1024³ bytes');
  });
});

describe('ExcelQuotaWorkbookWriter.quotas', () => {
  it('writes the given rows in the template layout, without example rows', async () => {
    const data = await writer.quotas([
      { cloudId: '007', projectName: 'payments', cpuCores: 2.25, memoryGiB: 0.5 },
      { cloudId: 'C-9', projectName: '=not a formula', cpuCores: 0, memoryGiB: 1024 },
    ]);

    const workbook = await load(data);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['项目配额', '说明']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(values(sheet, 1)).toEqual(['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)']);
    expect(values(sheet, 2)).toEqual(['007', 'payments', 2.25, 0.5]);
    expect(values(sheet, 3)).toEqual(['C-9', '=not a formula', 0, 1024]);
    expect(sheet.getCell('B3').type).toBe(ExcelJS.ValueType.String);
  });

  it('writes the header alone for no quotas', async () => {
    const sheet = (await load(await writer.quotas([]))).worksheets[0]!;

    expect(sheet.rowCount).toBe(1);
    expect(values(sheet, 1)).toEqual(['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)']);
  });

  it('reads back through the workbook reader as the import would', async () => {
    const data = await writer.quotas([
      { cloudId: '007', projectName: '示例项目', cpuCores: 4.5, memoryGiB: 16 },
    ]);

    const content = await new ExcelWorkbookReader().readFirstSheet(data, 'quotas.xlsx');

    expect(content).toEqual({
      header: ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'],
      rows: [{ row: 2, cells: ['007', '示例项目', 4.5, 16] }],
    });
  });
});
