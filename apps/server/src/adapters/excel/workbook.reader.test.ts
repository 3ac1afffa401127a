import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, it, expect } from 'vitest';
import { WorkbookFormatError } from '../../ports';
import { ExcelWorkbookReader } from './workbook.reader';

const reader = new ExcelWorkbookReader();

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** A zip of stored (uncompressed) entries, enough for the format checks. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(10, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function failure(data: Buffer, fileName: string): Promise<WorkbookFormatError> {
  try {
    await reader.readFirstSheet(data, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbookFormatError);
    return error as WorkbookFormatError;
  }
  throw new Error('expected a WorkbookFormatError');
}

describe('ExcelWorkbookReader.readFirstSheet', () => {
  it('reads the header and data rows with their sheet row numbers and normalised cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('项目配额');
    sheet.addRow(['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)']);
    // Row 2: numbers stored as text, and a plain number.
    sheet.addRow(['1001', ' demo-project ', '10', 32]);
    // Row 3: a formula with a cached result, rich text, a hyperlink.
    sheet.getCell('A3').value = 1002;
    sheet.getCell('B3').value = { richText: [{ text: '示例' }, { font: { bold: true }, text: '项目' }] };
    sheet.getCell('C3').value = { formula: 'A3*2', result: 20 };
    sheet.getCell('D3').value = { text: 'link text', hyperlink: 'https://example.com' };
    // Row 4 is left blank; row 5 only has whitespace and an empty string, so it is blank too.
    sheet.getCell('A5').value = '   ';
    sheet.getCell('B5').value = '';
    // Row 6 is shorter than the header.
    sheet.getCell('A6').value = '1003';
    sheet.getCell('B6').value = 'short';
    // Row 7: date, boolean, error value, formula without a result, formula with a text result.
    sheet.getCell('A7').value = new Date(Date.UTC(2026, 10, 20));
    sheet.getCell('B7').value = true;
    sheet.getCell('C7').value = { error: '#DIV/0!' };
    sheet.getCell('D7').value = { formula: 'A1' };
    sheet.getCell('E7').value = { formula: 'B2', result: 'demo-project' };
    // Rows 8–9: a shared formula (C9 is the shared copy of C8), false, a hyperlink over rich text.
    sheet.getCell('A8').value = '1004';
    sheet.getCell('A9').value = '1005';
    sheet.fillFormula('C8:C9', 'D2*2', [64, 64]);
    sheet.getCell('B9').value = false;
    sheet.getCell('D9').value = {
      text: { richText: [{ text: 'rich ' }, { font: { italic: true }, text: 'link' }] },
      hyperlink: 'https://example.com/r',
    } as unknown as ExcelJS.CellHyperlinkValue;
    workbook.addWorksheet('Second').addRow(['ignored']);

    const content = await reader.readFirstSheet(await toBuffer(workbook), 'quotas.xlsx');

    expect(content.header).toEqual(['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)']);
    expect(content.rows).toEqual([
      { row: 2, cells: ['1001', ' demo-project ', '10', 32] },
      { row: 3, cells: [1002, '示例项目', 20, 'link text'] },
      { row: 6, cells: ['1003', 'short', null, null] },
      {
        row: 7,
        cells: [
          '2026-11-20',
          'TRUE',
          { kind: 'excel_error', error: '#DIV/0!' },
          { kind: 'formula_without_value', formula: 'A1' },
          'demo-project',
        ],
      },
      { row: 8, cells: ['1004', null, 64, null] },
      { row: 9, cells: ['1005', 'FALSE', 64, 'rich link'] },
    ]);
  });

  it('keeps cell types: text "10" stays a string, 10 stays a number', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRow(['a', 'b']);
    sheet.addRow(['10', 10]);

    const content = await reader.readFirstSheet(await toBuffer(workbook), 'types.xlsx');

    expect(content.rows[0]?.cells[0]).toBe('10');
    expect(content.rows[0]?.cells[1]).toBe(10);
  });

  it('reads only the top-left cell of a merged range', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRow(['a', 'b', 'c']);
    sheet.mergeCells('A2:B2');
    sheet.getCell('A2').value = 'merged';
    sheet.getCell('C2').value = 1;

    const content = await reader.readFirstSheet(await toBuffer(workbook), 'merged.xlsx');

    expect(content.rows).toEqual([{ row: 2, cells: ['merged', null, 1] }]);
  });

  it('returns a header only for a sheet without data rows', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('S').addRow(['云序号', 123]);

    const content = await reader.readFirstSheet(await toBuffer(workbook), 'header.xlsx');

    expect(content).toEqual({ header: ['云序号', '123'], rows: [] });
  });

  it('rejects an empty file', async () => {
    const error = await failure(Buffer.alloc(0), 'empty.xlsx');
    expect(error.detail).toEqual({
      code: 'not_xlsx',
      file: 'empty.xlsx',
      message: 'empty.xlsx: the file is empty; choose the xlsx workbook again',
    });
    expect(error.message).toBe('empty.xlsx: the file is empty; choose the xlsx workbook again');
  });

  it('rejects an Excel 97-2003 .xls and asks for .xlsx', async () => {
    const ole2 = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
    ]);
    const error = await failure(ole2, 'quotas.xls');
    expect(error.detail.code).toBe('not_xlsx');
    expect(error.detail.file).toBe('quotas.xls');
    expect(error.detail.message).toBe(
      'quotas.xls: this is an old Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot be read; ' +
        'open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)" without a password and upload that file',
    );
  });

  it.each([
    ['utf-8 csv', Buffer.from('云序号,项目名称\r\n1001,demo\r\n')],
    ['gbk csv', Buffer.from([0xd4, 0xc6, 0xd0, 0xf2, 0xba, 0xc5, 0x2c, 0x31, 0x0d, 0x0a])],
    ['utf-16 text', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00])],
    ['html', Buffer.from('<html><table><tr><td>1</td></tr></table></html>')],
  ])('rejects a text file (%s)', async (_label, data) => {
    const error = await failure(data, 'quotas.csv');
    expect(error.detail).toEqual({
      code: 'not_xlsx',
      file: 'quotas.csv',
      message:
        'quotas.csv: this is a text file (such as CSV, HTML or XML), not an Excel workbook; ' +
        'open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)"',
    });
  });

  it('rejects a zip that is not a workbook', async () => {
    const error = await failure(zip({ 'readme.txt': 'hello' }), 'archive.xlsx');
    expect(error.detail).toEqual({
      code: 'not_xlsx',
      file: 'archive.xlsx',
      message:
        'archive.xlsx: this is a zip archive but not an Excel workbook (it has no xl/workbook.xml); upload the .xlsx file itself',
    });
  });

  it('rejects an OpenDocument spreadsheet', async () => {
    const ods = zip({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' });
    const error = await failure(ods, 'quotas.ods');
    expect(error.detail.code).toBe('not_xlsx');
    expect(error.detail.message).toBe(
      'quotas.ods: this is an OpenDocument spreadsheet (.ods), not an xlsx; ' +
        'open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)"',
    );
  });

  it('rejects a damaged xlsx without leaking the exceljs error', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('S').addRow(['a']);
    const whole = await toBuffer(workbook);

    const error = await failure(whole.subarray(0, whole.length - 30), 'cut.xlsx');

    expect(error.detail).toEqual({
      code: 'not_xlsx',
      file: 'cut.xlsx',
      message:
        'cut.xlsx: the file looks like an xlsx workbook but cannot be read; it may be damaged or incomplete — ' +
        'open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)" again',
    });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects other binary data', async () => {
    const error = await failure(Buffer.from([0x00, 0x01, 0x02, 0x89, 0x50, 0x4e, 0x47]), 'image.png');
    expect(error.detail).toEqual({
      code: 'not_xlsx',
      file: 'image.png',
      message:
        'image.png: this is not an Excel workbook (.xlsx); open it in Excel (or WPS / LibreOffice) and save it as "Excel Workbook (*.xlsx)"',
    });
  });

  it('rejects a workbook without a worksheet with code no_sheet', async () => {
    const error = await failure(await toBuffer(new ExcelJS.Workbook()), 'nosheet.xlsx');
    expect(error.detail).toEqual({
      code: 'no_sheet',
      file: 'nosheet.xlsx',
      message: 'nosheet.xlsx: the workbook contains no worksheet',
    });
  });
});
