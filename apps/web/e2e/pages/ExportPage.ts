import type { Locator, Page } from 'playwright-core';
import { DEFAULT_DOWNLOAD_DIR, saveAs, tableRows, textsOf } from './antd';

export type ExportFileFormat = 'xlsx' | 'csv';

/** Thrown by `exportDates` when the page showed an error instead of downloading. */
export class ExportRefusedError extends Error {
  constructor(
    message: string,
    /** Dates the server offered instead (404 report_not_found). */
    readonly availableDates: string[],
  ) {
    super(message);
    this.name = 'ExportRefusedError';
  }
}

/** 导出 (/export). */
export class ExportPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir = DEFAULT_DOWNLOAD_DIR,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/export');
    await this.page.locator('[data-testid="export-dates"][data-busy="false"]').waitFor();
  }

  private table(): Locator {
    return this.page.getByTestId('export-dates');
  }

  /** Dates offered for export, newest first. */
  async listedDates(): Promise<string[]> {
    return textsOf(this.table(), 'export-date');
  }

  private rowFor(date: string): Locator {
    return tableRows(this.table()).filter({
      has: this.page.locator(`[data-testid="export-date"]:text-is("${date}")`),
    });
  }

  /** Ticks exactly `dates` (unticking the others). */
  async selectDates(dates: string[]): Promise<void> {
    for (const listed of await this.listedDates()) {
      const box = this.rowFor(listed).locator('.ant-table-selection-column input');
      if ((await box.isChecked()) !== dates.includes(listed)) await box.click();
    }
  }

  /** Ticks the header checkbox (select all). */
  async selectAll(): Promise<void> {
    const all = this.table().locator('thead .ant-table-selection-column input');
    if (!(await all.isChecked())) await all.click();
  }

  async setFormat(format: ExportFileFormat): Promise<void> {
    await this.page.getByTestId(`export-format-${format}`).click();
  }

  /**
   * Selects `dates` (all listed dates when omitted), exports them and returns the saved file's path.
   * Throws ExportRefusedError with the offered dates when the page shows an error instead.
   */
  async exportDates(dates?: string[], format: ExportFileFormat = 'xlsx'): Promise<string> {
    if (dates) await this.selectDates(dates);
    else await this.selectAll();
    await this.setFormat(format);
    const downloadEvent = this.page.waitForEvent('download');
    // Whichever of download and error does not happen times out later; that rejection is expected.
    downloadEvent.catch(() => undefined);
    await this.page.getByTestId('export-download').click();
    const refusedEvent = this.page
      .locator('[data-testid="export-not-found"], [data-testid="export-page"] [data-testid="api-error"]')
      .first()
      .waitFor();
    refusedEvent.catch(() => undefined);
    const download = await Promise.race([downloadEvent, refusedEvent.then(() => null)]);
    if (!download) throw new ExportRefusedError(await this.errorMessage(), await this.offeredDates());
    return saveAs(download, this.downloadDir);
  }

  /** The message of the error shown after an export, if any. */
  async errorMessage(): Promise<string> {
    const message = this.page.getByTestId('export-page').getByTestId('api-error-message');
    if ((await message.count()) > 0) return (await message.first().innerText()).trim();
    return (await this.page.getByTestId('export-page').getByTestId('api-error').first().innerText()).trim();
  }

  /** Dates offered after a 404 report_not_found. */
  async offeredDates(): Promise<string[]> {
    return (await this.page.getByTestId('available-date').allInnerTexts()).map((d) => d.trim());
  }

  /** Clicks “改选这些日期” after a refused export. */
  async useOfferedDates(): Promise<void> {
    await this.page.getByTestId('use-available-dates').click();
  }

  /** The sentence stating whether exported rates are capped at 1. */
  async capSettingText(): Promise<string> {
    return (await this.page.getByTestId('export-cap-setting').innerText()).trim();
  }
}
