import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, it, expect } from 'vitest';
import type { ExportRow } from '../../ports';
import { ExcelReportExportWriter } from './report-export.writer';

const writer = new ExcelReportExportWriter();

function collector(options: { highWaterMark?: number; slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: options.highWaterMark ?? 16384,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (options.slow) setImmediate(callback);
      else callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

/** A destination whose writes fail from the given write on, like a full disk. */
function failingAfter(goodWrites: number): Writable {
  let writes = 0;
  return new Writable({
    write(_chunk, _encoding, callback) {
      writes++;
      setImmediate(() => callback(writes > goodWrites ? new Error('disk full') : null));
    },
  });
}

async function* chunksOf(...chunks: ExportRow[][]): AsyncIterable<ExportRow[]> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

/** An endless row source that records how far it got and whether it was closed. */
function endless() {
  const state = { pulled: 0, closed: false };
  async function* rows(): AsyncIterable<ExportRow[]> {
    try {
      for (;;) {
        state.pulled++;
        await new Promise((resolve) => setImmediate(resolve));
        yield Array.from({ length: 500 }, (_, i) => ({
          cloudId: `id-${state.pulled}-${i}`,
          date: '2026-11-20',
          cpuRate: i,
          memoryRate: i / 2,
        }));
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}

const ROWS: ExportRow[] = [
  { cloudId: '1001', date: '2026-11-20', cpuRate: 12.35, memoryRate: 0 },
  { cloudId: '=cmd|calc', date: '2026-11-20', cpuRate: null, memoryRate: 150.5 },
];
const MORE_ROWS: ExportRow[] = [
  { cloudId: 'a,b "c"', date: '2026-11-21', cpuRate: 0.01, memoryRate: null },
  { cloudId: 'line\nbreak', date: '2026-11-21', cpuRate: 100, memoryRate: 99.99 },
  { cloudId: '\t=1+1', date: '2026-11-21', cpuRate: Number.NaN, memoryRate: 7 },
];

async function readBack(data: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  return workbook;
}

describe('ExcelReportExportWriter xlsx', () => {
  it('writes one sheet with the export header and typed cells', async () => {
    const { out, bytes } = collector();

    await writer.write('xlsx', chunksOf(ROWS, MORE_ROWS), out);

    expect(out.writableFinished).toBe(true);
    const workbook = await readBack(bytes());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Resource Usage Report']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(1).values).toEqual([undefined, '主键', '周期', 'CPU利用率', '内存利用率']);

    expect(sheet.getCell('A2').value).toBe('1001');
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('B2').value).toBe('2026-11-20');
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('C2').value).toBe(12.35);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('D2').value).toBe(0);
    expect(sheet.getCell('D2').type).toBe(ExcelJS.ValueType.Number);

    expect(sheet.getCell('A3').value).toBe("'=cmd|calc");
    expect(sheet.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('C3').value).toBe(null);
    expect(sheet.getCell('C3').type).toBe(ExcelJS.ValueType.Null);
    expect(sheet.getCell('D3').value).toBe(150.5);

    expect(sheet.getRow(4).values).toEqual([undefined, 'a,b "c"', '2026-11-21', 0.01]);
    expect(sheet.getCell('D4').type).toBe(ExcelJS.ValueType.Null);
    expect(sheet.getRow(5).values).toEqual([undefined, 'line\nbreak', '2026-11-21', 100, 99.99]);
    expect(sheet.getRow(6).values).toEqual([undefined, "'\t=1+1", '2026-11-21', undefined, 7]);
  });

  it('writes rates as plain decimals, never in exponent notation', async () => {
    const { out, bytes } = collector();

    await writer.write(
      'csv',
      chunksOf([
        { cloudId: 'tiny', date: '2026-11-20', cpuRate: 5e-7, memoryRate: 1e-10 },
        { cloudId: 'round', date: '2026-11-20', cpuRate: 1, memoryRate: 0.1234567891 },
        { cloudId: 'big', date: '2026-11-20', cpuRate: 120, memoryRate: 0.5 },
      ]),
      out,
    );

    expect(bytes().toString('utf8').split('\r\n').slice(1)).toEqual([
      'tiny,2026-11-20,0.0000005,0.0000000001',
      'round,2026-11-20,1,0.1234567891',
      'big,2026-11-20,120,0.5',
      '',
    ]);
  });

  it('keeps markup characters and emoji, and drops characters no XML can hold', async () => {
    const { out, bytes } = collector();

    await writer.write(
      'xlsx',
      chunksOf([
        { cloudId: 'a<b>&"c"', date: '2026-11-20', cpuRate: 1, memoryRate: 2 },
        { cloudId: 'bell\u0007-lone\uD800-pair\u{1F600}', date: '2026-11-20', cpuRate: 3, memoryRate: 4 },
      ]),
      out,
    );

    const sheet = (await readBack(bytes())).worksheets[0]!;
    expect(sheet.getCell('A2').value).toBe('a<b>&"c"');
    expect(sheet.getCell('A3').value).toBe('bell-lone-pair\u{1F600}');
    expect(sheet.getCell('D3').value).toBe(4);
  });

  it('writes the header alone when there are no rows', async () => {
    const { out, bytes } = collector();

    await writer.write('xlsx', chunksOf(), out);

    const sheet = (await readBack(bytes())).worksheets[0]!;
    expect(sheet.rowCount).toBe(1);
    expect(sheet.getRow(1).values).toEqual([undefined, '主键', '周期', 'CPU利用率', '内存利用率']);
  });

  it('writes many chunks to a slow destination completely', async () => {
    const { out, bytes } = collector({ highWaterMark: 1024, slow: true });
    const chunks = Array.from({ length: 20 }, (_, c) =>
      Array.from({ length: 300 }, (_, i) => ({
        cloudId: `c${c}-${i}`,
        date: '2026-11-22',
        cpuRate: i,
        memoryRate: null,
      })),
    );

    await writer.write('xlsx', chunksOf(...chunks), out);

    const sheet = (await readBack(bytes())).worksheets[0]!;
    expect(sheet.rowCount).toBe(6001);
    expect(sheet.getRow(6001).values).toEqual([undefined, 'c19-299', '2026-11-22', 299]);
  });

  it('rejects when the destination errors and stops reading rows', async () => {
    // The workbook's fixed parts and the sheet's start take 17 writes (3 per part, 2 to open the
    // sheet): the destination fails a few chunks of rows in.
    const out = failingAfter(20);
    const { state, rows } = endless();

    await expect(writer.write('xlsx', rows, out)).rejects.toThrow('disk full');
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeGreaterThan(0);
    expect(state.pulled).toBeLessThan(10);
  });

  it('reads no row when the destination fails before the sheet', async () => {
    const { state, rows } = endless();

    await expect(writer.write('xlsx', rows, failingAfter(2))).rejects.toThrow('disk full');
    expect(state.pulled).toBe(0);
  });

  it('rejects and destroys the destination when the rows fail', async () => {
    const { out } = collector();
    async function* failing(): AsyncIterable<ExportRow[]> {
      yield ROWS;
      throw new Error('database gone');
    }

    await expect(writer.write('xlsx', failing(), out)).rejects.toThrow('database gone');
    expect(out.destroyed).toBe(true);
  });
});

describe('ExcelReportExportWriter csv', () => {
  it('writes UTF-8 with BOM, CRLF, RFC 4180 quoting and neutralised ids', async () => {
    const { out, bytes } = collector();

    await writer.write('csv', chunksOf(ROWS, [], MORE_ROWS), out);

    expect(out.writableFinished).toBe(true);
    const data = bytes();
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(data.toString('utf8')).toBe(
      '\uFEFF主键,周期,CPU利用率,内存利用率\r\n' +
        '1001,2026-11-20,12.35,0\r\n' +
        "'=cmd|calc,2026-11-20,,150.5\r\n" +
        '"a,b ""c""",2026-11-21,0.01,\r\n' +
        '"line\nbreak",2026-11-21,100,99.99\r\n' +
        "'\t=1+1,2026-11-21,,7\r\n",
    );
  });

  it('writes rates as plain decimals, never in exponent notation', async () => {
    const { out, bytes } = collector();

    await writer.write(
      'csv',
      chunksOf([
        { cloudId: 'tiny', date: '2026-11-20', cpuRate: 5e-7, memoryRate: 1e-10 },
        { cloudId: 'round', date: '2026-11-20', cpuRate: 1, memoryRate: 0.1234567891 },
        { cloudId: 'big', date: '2026-11-20', cpuRate: 120, memoryRate: 0.5 },
      ]),
      out,
    );

    expect(bytes().toString('utf8').split('\r\n').slice(1)).toEqual([
      'tiny,2026-11-20,0.0000005,0.0000000001',
      'round,2026-11-20,1,0.1234567891',
      'big,2026-11-20,120,0.5',
      '',
    ]);
  });

  it('writes the header alone when there are no rows', async () => {
    const { out, bytes } = collector();

    await writer.write('csv', chunksOf(), out);

    expect(bytes().toString('utf8')).toBe('\uFEFF主键,周期,CPU利用率,内存利用率\r\n');
  });

  it('waits for drain before taking the next chunk', async () => {
    const { out, bytes } = collector({ highWaterMark: 16, slow: true });
    const buffered: number[] = [];
    async function* rows(): AsyncIterable<ExportRow[]> {
      for (let i = 0; i < 30; i++) {
        buffered.push(out.writableLength);
        yield [{ cloudId: `id-${i}`, date: '2026-11-20', cpuRate: i, memoryRate: null }];
      }
    }

    await writer.write('csv', rows(), out);

    expect(Math.max(...buffered)).toBeLessThan(16);
    const lines = bytes().toString('utf8').split('\r\n');
    expect(lines.length).toBe(32);
    expect(lines[30]).toBe('id-29,2026-11-20,29,');
    expect(lines[31]).toBe('');
  });

  it('rejects when the destination errors and stops reading rows', async () => {
    const out = failingAfter(2);
    const { state, rows } = endless();

    await expect(writer.write('csv', rows, out)).rejects.toThrow('disk full');
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(10);
  });

  it('rejects when the destination closes early', async () => {
    const { out } = collector({ highWaterMark: 16, slow: true });
    const { state, rows } = endless();
    setTimeout(() => out.destroy(), 5);

    await expect(writer.write('csv', rows, out)).rejects.toThrow('Premature close');
    expect(state.closed).toBe(true);
  });
});
