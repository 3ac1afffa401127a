import ExcelJS from 'exceljs';
import type { SheetSpec, SheetWriter } from '../../ports';

/** Templates and table exports: a bold, frozen header and sensible widths. */
export class ExcelSheetWriter implements SheetWriter {
  async write(sheets: SheetSpec[]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    for (const spec of sheets) {
      const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.addRow(spec.header).font = { bold: true };
      for (const row of spec.rows) sheet.addRow(row);
      spec.header.forEach((title, i) => {
        sheet.getColumn(i + 1).width = spec.widths?.[i] ?? Math.max(12, [...title].length * 2 + 2);
      });
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}
