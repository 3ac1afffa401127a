import ExcelJS from 'exceljs';

export type CellInput = ExcelJS.CellValue;

/** An xlsx whose first sheet holds exactly the given rows (row 1 first). */
export async function workbookWith(rows: CellInput[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  rows.forEach((cells, i) => {
    cells.forEach((value, j) => {
      if (value !== null && value !== undefined) sheet.getCell(i + 1, j + 1).value = value;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const VALUE_TYPE_NAMES = new Map<number, string>(
  Object.entries(ExcelJS.ValueType).map(([name, id]) => [id as number, name]),
);

/** Every row of the first sheet as plain values (index 0 = column A), plus each cell's type name. */
export async function readSheet(
  data: Buffer,
): Promise<{ name: string; rows: unknown[][]; types: string[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  const types: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    const kinds: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c += 1) {
      const cell = row.getCell(c);
      values.push(cell.value ?? null);
      kinds.push(VALUE_TYPE_NAMES.get(cell.type) ?? String(cell.type));
    }
    rows.push(values);
    types.push(kinds);
  });
  return { name: sheet.name, rows, types };
}
