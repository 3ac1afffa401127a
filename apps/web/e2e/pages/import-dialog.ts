import type { Locator, Page } from 'playwright-core';
import { tableRows } from './antd';

export interface ImportErrorRow {
  row: string;
  column: string;
  message: string;
}

export type ImportCountKey = 'total_rows' | 'created' | 'updated' | 'unchanged' | 'rejected_rows';

/** What an import dialog showed after “导入”. */
export interface ImportOutcome<K extends string = ImportCountKey> {
  /** false when nothing was stored (422, or a result with stored=false). */
  stored: boolean;
  counts: Record<K, number> | null;
  errors: ImportErrorRow[];
  /** The error message of a rejected import, e.g. the server's summary. */
  message: string | null;
}

async function errorRows(modal: Locator): Promise<ImportErrorRow[]> {
  const out: ImportErrorRow[] = [];
  for (const row of await tableRows(modal.getByTestId('import-errors')).all()) {
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    out.push({ row: cells[0] ?? '', column: cells[1] ?? '', message: cells[2] ?? '' });
  }
  return out;
}

async function readOutcome<K extends string>(modal: Locator, keys: readonly K[]): Promise<ImportOutcome<K>> {
  const accepted = modal.getByTestId('import-result');
  if (await accepted.isVisible()) {
    const counts = {} as Record<K, number>;
    for (const key of keys) {
      const value = accepted.getByTestId(`import-count-${key}`).locator('.ant-statistic-content');
      counts[key] = Number((await value.innerText()).replace(/,/g, ''));
    }
    const stored = !(await accepted.locator('.ant-alert-error').isVisible());
    return { stored, counts, errors: await errorRows(modal), message: null };
  }
  const rejected = modal.getByTestId('import-rejected');
  if (await rejected.isVisible()) {
    const message = (await rejected.getByTestId('api-error-message').innerText()).trim();
    return { stored: false, counts: null, errors: await errorRows(modal), message };
  }
  const message = (await modal.getByTestId('api-error').first().innerText()).trim();
  return { stored: false, counts: null, errors: [], message };
}

/**
 * Opens an import dialog with `opener`, chooses `file`, ticks 仅导入有效行 when `partial`, imports,
 * reads the counts named `keys` (and the errors) and closes the dialog.
 */
export async function importThroughDialog<K extends string>(
  page: Page,
  opener: Locator,
  file: string,
  options: { partial?: boolean },
  keys: readonly K[],
): Promise<ImportOutcome<K>> {
  await opener.click();
  const modal = page.getByTestId('import-modal');
  await modal.getByTestId('import-dragger').setInputFiles(file);
  await modal.getByTestId('import-partial').setChecked(Boolean(options.partial));
  await modal.getByTestId('import-submit').click();
  await modal
    .locator('[data-testid="import-result"], [data-testid="import-rejected"], [data-testid="api-error"]')
    .first()
    .waitFor();
  const outcome = await readOutcome(modal, keys);
  await page.getByTestId('import-close').click();
  await page.getByTestId('import-close').waitFor({ state: 'hidden' });
  return outcome;
}
