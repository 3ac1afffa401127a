import type { Locator, Page } from 'playwright-core';
import { confirmPopup, formErrors, saveDownload, tableRows, textsOf } from './antd';

export interface QuotaInput {
  cloud_id: string;
  project_name: string;
  cpu_quota: number;
  memory_quota: number;
}

/** One row of the quota table as displayed (numbers formatted: cores up to 3 decimals, GiB with 2). */
export interface QuotaRowText {
  cloudId: string;
  projectName: string;
  cpuQuota: string;
  memoryQuota: string;
  source: string;
}

export interface ImportErrorRow {
  row: string;
  column: string;
  message: string;
}

/** What the import dialog showed after “导入”. */
export interface ImportOutcome {
  /** false when nothing was stored (422, or a result with stored=false). */
  stored: boolean;
  counts: {
    total_rows: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected_rows: number;
  } | null;
  errors: ImportErrorRow[];
  /** The error message of a rejected import, e.g. the server's summary. */
  message: string | null;
}

/** 项目配额管理 (/quotas). */
export class QuotasPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir?: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/quotas');
    await this.table().waitFor();
  }

  table(): Locator {
    return this.page.getByTestId('quota-table');
  }

  rows(): Locator {
    return tableRows(this.table());
  }

  /** The row whose cloud ID or project name is exactly `key`. */
  rowFor(key: string): Locator {
    return this.rows().filter({
      has: this.page.locator(
        `[data-testid="quota-cloud-id"]:text-is(${JSON.stringify(key)}), [data-testid="quota-project"]:text-is(${JSON.stringify(key)})`,
      ),
    });
  }

  async row(key: string): Promise<QuotaRowText> {
    const row = this.rowFor(key);
    const text = async (testId: string) => (await row.getByTestId(testId).innerText()).trim();
    return {
      cloudId: await text('quota-cloud-id'),
      projectName: await text('quota-project'),
      cpuQuota: await text('quota-cpu'),
      memoryQuota: await text('quota-memory'),
      source: await text('quota-source'),
    };
  }

  async projectNames(): Promise<string[]> {
    return textsOf(this.table(), 'quota-project');
  }

  async cloudIds(): Promise<string[]> {
    return textsOf(this.table(), 'quota-cloud-id');
  }

  /** Types into the search box and waits until the table shows that search's rows. */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('quota-search').locator('input').fill(text);
    await this.page
      .locator(`[data-testid="quota-table"][data-search=${JSON.stringify(text.trim())}][data-busy="false"]`)
      .waitFor();
  }

  private form(): Locator {
    return this.page.getByTestId('quota-form');
  }

  private async fillForm(values: Partial<QuotaInput>): Promise<void> {
    const form = this.form();
    if (values.cloud_id !== undefined) await form.getByTestId('quota-form-cloud-id').fill(values.cloud_id);
    if (values.project_name !== undefined)
      await form.getByTestId('quota-form-project-name').fill(values.project_name);
    if (values.cpu_quota !== undefined)
      await form.getByTestId('quota-form-cpu').fill(String(values.cpu_quota));
    if (values.memory_quota !== undefined)
      await form.getByTestId('quota-form-memory').fill(String(values.memory_quota));
  }

  /**
   * Saves the open form. Returns [] once saved (the dialog closes), else the errors it shows: the
   * fields' validation messages and the server's error.
   */
  private async saveForm(): Promise<string[]> {
    const state = this.form().locator('.quota-form-state');
    const before = (await state.getAttribute('data-saved-at')) ?? '0';
    await this.form().getByTestId('quota-form-save').click();
    const sent = await this.form()
      .locator(`.quota-form-state:not([data-saved-at="${before}"])`)
      .waitFor({ state: 'attached', timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (sent) {
      await this.form()
        .locator('.quota-form-state:is([data-save-status="success"], [data-save-status="error"])')
        .waitFor({ state: 'attached' });
      if ((await state.getAttribute('data-save-status')) === 'success') {
        await this.form().getByTestId('quota-form-save').waitFor({ state: 'hidden' });
        return [];
      }
    }
    const serverErrors = await this.form().getByTestId('api-error').allInnerTexts();
    return [...serverErrors, ...(await formErrors(this.form()))];
  }

  /** Adds a quota through the form. Returns the errors shown, [] on success. */
  async addQuota(quota: QuotaInput): Promise<string[]> {
    await this.page.getByTestId('quota-add').click();
    await this.fillForm(quota);
    return this.saveForm();
  }

  /** Edits the quota with `cloudId`. Returns the errors shown, [] on success. */
  async editQuota(cloudId: string, patch: Partial<Omit<QuotaInput, 'cloud_id'>>): Promise<string[]> {
    await this.rowFor(cloudId).getByTestId('quota-edit').click();
    await this.fillForm(patch);
    return this.saveForm();
  }

  /** Closes the add/edit dialog without saving. */
  async cancelForm(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.form().getByTestId('quota-form-save').waitFor({ state: 'hidden' });
  }

  async deleteQuota(cloudId: string): Promise<void> {
    const row = this.rowFor(cloudId);
    await row.getByTestId('quota-delete').click();
    await confirmPopup(this.page);
    await row.waitFor({ state: 'detached' });
  }

  /** Ticks the rows of `keys` (cloud IDs or project names). */
  async selectRows(keys: string[]): Promise<void> {
    for (const key of keys) await this.rowFor(key).locator('.ant-table-selection-column input').check();
  }

  /** Selects the rows and deletes them with 批量删除. */
  async batchDelete(keys: string[]): Promise<void> {
    await this.selectRows(keys);
    await this.page.getByTestId('quota-batch-delete').click();
    await confirmPopup(this.page);
    await this.page.getByTestId('quota-selected-count').waitFor({ state: 'hidden' });
    await this.waitIdle();
  }

  /**
   * Imports an .xlsx through “导入Excel”, ticking 仅导入有效行 when `partial`, reads what the
   * dialog shows and closes it.
   */
  async importQuotas(file: string, options: { partial?: boolean } = {}): Promise<ImportOutcome> {
    await this.page.getByTestId('quota-import').click();
    const modal = this.page.getByTestId('import-modal');
    await modal.getByTestId('import-dragger').setInputFiles(file);
    await modal.getByTestId('import-partial').setChecked(Boolean(options.partial));
    await modal.getByTestId('import-submit').click();
    await modal
      .locator('[data-testid="import-result"], [data-testid="import-rejected"], [data-testid="api-error"]')
      .first()
      .waitFor();
    const result = await this.readImportOutcome();
    await this.page.getByTestId('import-close').click();
    await this.page.getByTestId('import-close').waitFor({ state: 'hidden' });
    await this.waitIdle();
    return result;
  }

  private async readImportOutcome(): Promise<ImportOutcome> {
    const accepted = this.page.getByTestId('import-result');
    const errorRows = async (): Promise<ImportErrorRow[]> => {
      const rows = tableRows(this.page.getByTestId('import-errors'));
      const out: ImportErrorRow[] = [];
      for (const row of await rows.all()) {
        const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
        out.push({ row: cells[0] ?? '', column: cells[1] ?? '', message: cells[2] ?? '' });
      }
      return out;
    };
    if (await accepted.isVisible()) {
      const count = async (key: string) =>
        Number(
          (
            await accepted.getByTestId(`import-count-${key}`).locator('.ant-statistic-content').innerText()
          ).replace(/,/g, ''),
        );
      const counts = {
        total_rows: await count('total_rows'),
        created: await count('created'),
        updated: await count('updated'),
        unchanged: await count('unchanged'),
        rejected_rows: await count('rejected_rows'),
      };
      const stored = !(await accepted.locator('.ant-alert-error').isVisible());
      return { stored, counts, errors: await errorRows(), message: null };
    }
    const modal = this.page.getByTestId('import-modal');
    const rejected = modal.getByTestId('import-rejected');
    if (await rejected.isVisible()) {
      const message = (await rejected.getByTestId('api-error-message').innerText()).trim();
      return { stored: false, counts: null, errors: await errorRows(), message };
    }
    const message = (await modal.getByTestId('api-error').first().innerText()).trim();
    return { stored: false, counts: null, errors: [], message };
  }

  /** Downloads the Excel template; returns the saved file's path. */
  async downloadTemplate(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('quota-template').click(), this.downloadDir);
  }

  /** Downloads every quota as Excel; returns the saved file's path. */
  async exportQuotas(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('quota-export').click(), this.downloadDir);
  }

  /** Waits until the table is not loading. */
  async waitIdle(): Promise<void> {
    await this.page.locator('[data-testid="quota-table"][data-busy="false"]').waitFor();
  }
}
