import ExcelJS from 'exceljs';
import { QUOTA_TEMPLATE_COLUMNS } from '@kra/contracts';
import type { QuotaWorkbookWriter } from '../../ports';

export const QUOTA_SHEET_NAME = '项目配额';
export const QUOTA_HELP_SHEET_NAME = '说明';

type QuotaSheetRow = { cloudId: string; projectName: string; cpuCores: number; memoryGiB: number };

const EXAMPLE_ROWS: QuotaSheetRow[] = [
  { cloudId: '1001', projectName: 'demo-project', cpuCores: 10, memoryGiB: 32 },
  { cloudId: '1002', projectName: '示例项目', cpuCores: 4.5, memoryGiB: 16 },
];

const COLUMN_WIDTHS = [18, 36, 14, 16];

/** Column | 说明 | Description, one line per template column, then general notes. */
const HELP_ROWS: [string, string, string][] = [
  [
    QUOTA_TEMPLATE_COLUMNS[0],
    '唯一标识，导出资源利用率报表时作为“主键”列输出。导入时按云序号新增或更新：已存在的云序号会被更新，新的云序号会被新增。请以文本填写，保留前导零。',
    'Unique key of the quota, exported as 主键 in the usage report. Import upserts by 云序号: an existing 云序号 is updated, a new one is created. Enter it as text so leading zeros are kept.',
  ],
  [
    QUOTA_TEMPLATE_COLUMNS[1],
    '必须与每日资源报表中的项目名称一致，否则该项目的用量无法匹配到配额。',
    'Must equal the project name in the daily usage reports; otherwise the usage of the project cannot be matched to this quota.',
  ],
  [
    QUOTA_TEMPLATE_COLUMNS[2],
    'CPU 配额，单位为核，可填小数，例如 4.5。',
    'CPU quota in cores; decimals are allowed, e.g. 4.5.',
  ],
  [
    QUOTA_TEMPLATE_COLUMNS[3],
    '内存配额，单位 GB，可填小数。此处 1 GB = 1024³ 字节（即 GiB）。',
    'Memory quota in GB; decimals are allowed. Here 1 GB = 1024³ bytes (that is, GiB).',
  ],
  [
    '注意 / Notes',
    '只读取第一个工作表；第一行是表头，请勿修改或删除。模板中的示例行（1001、1002）请在导入前删除。文件中没有出现的配额保持不变。',
    "Only the first worksheet is read; its first row is the header and must stay as it is. Delete the template's example rows (1001, 1002) before importing. Quotas that are not in the file are left unchanged.",
  ],
];

/**
 * Builds the quota import template and the quota export in the same layout, so an exported file
 * can be edited and imported again. Values are written exactly as given: no formula
 * neutralisation here, because an apostrophe would change the 云序号 or project name on the
 * next import, and an xlsx string cell is shown as text, never evaluated, when the file opens.
 */
export class ExcelQuotaWorkbookWriter implements QuotaWorkbookWriter {
  async template(): Promise<Buffer> {
    return build(EXAMPLE_ROWS);
  }

  async quotas(rows: QuotaSheetRow[]): Promise<Buffer> {
    return build(rows);
  }
}

async function build(rows: QuotaSheetRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'k8s-resource-analyzer';

  const sheet = workbook.addWorksheet(QUOTA_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = QUOTA_TEMPLATE_COLUMNS.map((header, i) => ({ header, width: COLUMN_WIDTHS[i] ?? 14 }));
  // Text format keeps what a user types into 云序号 (e.g. 007) as text instead of a number.
  sheet.getColumn(1).numFmt = '@';
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  for (const row of rows) {
    sheet.addRow([row.cloudId, row.projectName, row.cpuCores, row.memoryGiB]);
  }

  const help = workbook.addWorksheet(QUOTA_HELP_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  help.columns = [
    { header: '列 / Column', width: 18 },
    { header: '说明', width: 70 },
    { header: 'Description', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const line of HELP_ROWS) {
    help.addRow(line).alignment = { wrapText: true, vertical: 'top' };
  }

  const data = await workbook.xlsx.writeBuffer();
  // exceljs types its result as its own `Buffer` (an ArrayBuffer); in Node it is a Node Buffer.
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
