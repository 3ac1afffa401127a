import type { Locator, Page } from 'playwright-core';
import { saveDownload } from './antd';

export type UploadStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'failed' | 'error' | 'cancelled';

/** The outcome of one file as the page shows it. */
export interface UploadedFileView {
  fileName: string;
  status: UploadStatus;
  /** Shown once the server answered: date, encoding ('UTF-8', 'UTF-8 (BOM)', 'GBK'), counts as displayed. */
  date: string | null;
  encoding: string | null;
  lines: string | null;
  rows: string | null;
  replaced: boolean | null;
  /** Each error as `file:line: message`. */
  errors: string[];
  /** "showing the first 100 of N" note, when the server listed only some. */
  errorsNote: string | null;
  /** A request failure (not a file error), e.g. the server could not be reached. */
  requestError: string | null;
}

const FINAL: UploadStatus[] = ['done', 'failed', 'error', 'cancelled'];

/** 日报上传 (/upload). */
export class UploadPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir?: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/upload');
    await this.page.getByTestId('upload-dragger').waitFor({ state: 'attached' });
  }

  /** Sets (YYYY-MM-DD) or clears (undefined) the date that overrides the file names' dates. */
  async setDate(date: string | undefined): Promise<void> {
    const input = this.page.getByTestId('upload-date');
    if (date === undefined) {
      await input.hover();
      const clear = this.page.locator('.ant-picker-clear').filter({ visible: true });
      if ((await clear.count()) > 0) await clear.click();
      return;
    }
    await input.click();
    await input.fill(date);
    await input.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  /** Adds files to the list without uploading them. */
  async addFiles(paths: string[]): Promise<void> {
    await this.page.getByTestId('upload-dragger').setInputFiles(paths);
    await this.fileItems()
      .nth(paths.length - 1)
      .waitFor();
  }

  /** Adds the files, clicks 开始上传 and waits until every file has a final state; returns each file's outcome. */
  async uploadReports(
    paths: string[],
    options: { date?: string; timeoutMs?: number } = {},
  ): Promise<UploadedFileView[]> {
    if (options.date !== undefined) await this.setDate(options.date);
    await this.addFiles(paths);
    await this.page.getByTestId('upload-start').click();
    await this.waitUntilFinished(options.timeoutMs);
    const names = paths.map((p) => p.split(/[\\/]/).pop() ?? p);
    return Promise.all(names.map((name) => this.fileResult(name)));
  }

  fileItems(): Locator {
    return this.page.getByTestId('upload-file');
  }

  fileItem(fileName: string): Locator {
    return this.page.locator(`[data-testid="upload-file"][data-file-name=${JSON.stringify(fileName)}]`);
  }

  async status(fileName: string): Promise<UploadStatus> {
    return (await this.fileItem(fileName).getAttribute('data-status')) as UploadStatus;
  }

  /** Waits until no file is queued, uploading or processing. */
  async waitUntilFinished(timeoutMs = 120_000): Promise<void> {
    await this.page.waitForFunction(
      (finals: string[]) =>
        [...document.querySelectorAll('[data-testid="upload-file"]')].every((el) =>
          finals.includes(el.getAttribute('data-status') ?? ''),
        ),
      FINAL,
      { timeout: timeoutMs },
    );
  }

  /** The progress bar's text of a file while it uploads ("42%") or is processed ("解析中"/"Processing"). */
  async progressText(fileName: string): Promise<string | null> {
    const progress = this.fileItem(fileName).getByTestId('upload-progress');
    return (await progress.count()) > 0 ? (await progress.innerText()).trim() : null;
  }

  async fileResult(fileName: string): Promise<UploadedFileView> {
    const item = this.fileItem(fileName);
    const fact = async (key: string) => {
      const el = item.getByTestId(`upload-fact-${key}`).locator('.file-fact-value');
      return (await el.count()) > 0 ? (await el.innerText()).trim() : null;
    };
    const replacedTag = item.getByTestId('upload-replaced');
    const note = item.getByTestId('error-details-more');
    const requestError = item.getByTestId('api-error');
    return {
      fileName,
      status: await this.status(fileName),
      date: await fact('date'),
      encoding: await fact('encoding'),
      lines: await fact('lines'),
      rows: await fact('rows'),
      replaced:
        (await replacedTag.count()) > 0 ? (await replacedTag.getAttribute('data-replaced')) === 'true' : null,
      errors: (await item.getByTestId('error-detail').allInnerTexts()).map((e) => e.trim()),
      errorsNote: (await note.count()) > 0 ? (await note.innerText()).trim() : null,
      requestError: (await requestError.count()) > 0 ? (await requestError.innerText()).trim() : null,
    };
  }

  /** The summary shown when every file is finished, e.g. "2 个成功，1 个失败". */
  async summary(): Promise<string> {
    return (await this.page.getByTestId('upload-summary').locator('.ant-alert-title').innerText()).trim();
  }

  /** Follows the summary's link to the report of `date`. */
  async openReport(date: string): Promise<void> {
    await this.page.getByTestId('upload-view-report').filter({ hasText: date }).click();
    await this.page.waitForURL((url) => url.pathname === '/reports');
  }

  async downloadTemplate(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('report-template').click(), this.downloadDir);
  }
}
