import type { Locator, Page } from 'playwright-core';
import { confirmPopup, formErrors, saveDownload, saveWasSent, tableRows, textsOf } from './antd';
import { importThroughDialog, type ImportOutcome } from './import-dialog';
import { finishSync, openSyncDialog, type SyncOptions, type SyncResultView } from './sync-dialog';

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

/** One part of a synced quota: what one cluster reports for the project. */
export interface QuotaShareView {
  cluster: string;
  cpuQuota: string;
  memoryQuota: string;
  /** projectquota or resourcequota. */
  origin: string;
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
    const state = this.form().locator('.form-state');
    const before = (await state.getAttribute('data-saved-at')) ?? '0';
    await this.form().getByTestId('quota-form-save').click();
    const sent = await saveWasSent(this.form(), '.form-state', before);
    if (sent) {
      await this.form()
        .locator('.form-state:is([data-save-status="success"], [data-save-status="error"])')
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

  /**
   * Edits the quota with `cloudId` (`patch.cloud_id` gives it a new one). Returns the errors shown, []
   * on success, also when nothing changed (the dialog then closes without saving).
   */
  async editQuota(cloudId: string, patch: Partial<QuotaInput>): Promise<string[]> {
    const row = this.rowFor(cloudId);
    const current = (await row.getByTestId('quota-cloud-id').innerText()).trim();
    await row.getByTestId('quota-edit').click();
    // The dialog loads the quota after it opens: typing before that would be overwritten.
    await this.page.waitForFunction(
      (value) =>
        (document.querySelector('[data-testid="quota-form-cloud-id"]') as HTMLInputElement | null)?.value ===
        value,
      current,
    );
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
    const outcome = await importThroughDialog(
      this.page,
      this.page.getByTestId('quota-import'),
      file,
      options,
      ['total_rows', 'created', 'updated', 'unchanged', 'rejected_rows'] as const,
    );
    await this.waitIdle();
    return outcome;
  }

  /**
   * “K8s同步”: syncs the project quotas of the clusters `names` (all when omitted) and reads the
   * per-cluster results and the manual projects left alone.
   */
  async syncFromClusters(names?: string[], options: SyncOptions = {}): Promise<SyncResultView> {
    await this.page.getByTestId('quota-k8s-sync').click();
    const dialog = openSyncDialog(this.page);
    const all = dialog.getByTestId('sync-pick-all');
    await all.waitFor();
    if (!(await all.isChecked())) await all.click();
    if (names) {
      for (const pick of await dialog.getByTestId('sync-pick').all()) {
        const cluster = (await pick.getAttribute('data-cluster')) ?? '';
        if ((await pick.isChecked()) !== names.includes(cluster)) await pick.click();
      }
    }
    await dialog.getByTestId('sync-start').click();
    const result = await finishSync(this.page, options);
    await this.waitIdle();
    return result;
  }

  /** Expands a synced quota's row and returns what each cluster contributes. */
  async clusterShares(cloudIdOrProject: string): Promise<QuotaShareView[]> {
    const row = this.rowFor(cloudIdOrProject);
    const cloudId = (await row.getByTestId('quota-cloud-id').innerText()).trim();
    const toggle = row.getByTestId('expand-clusters');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const panel = this.page.locator(
      `[data-testid="quota-clusters"][data-cloud-id=${JSON.stringify(cloudId)}]`,
    );
    await panel.waitFor();
    const shares: QuotaShareView[] = [];
    for (const share of await tableRows(panel).all()) {
      shares.push({
        cluster: (await share.getByTestId('share-cluster').innerText()).trim(),
        cpuQuota: (await share.getByTestId('share-cpu').innerText()).trim(),
        memoryQuota: (await share.getByTestId('share-memory').innerText()).trim(),
        origin: (await share.getByTestId('share-origin').getAttribute('data-origin')) ?? '',
      });
    }
    return shares;
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
