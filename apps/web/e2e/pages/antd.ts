import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Download, Locator, Page } from 'playwright-core';

/** Where page objects save downloads unless told otherwise. */
export const DEFAULT_DOWNLOAD_DIR = path.join(tmpdir(), 'kra-e2e-downloads');

/**
 * Clicks the OK button of the open confirmation (Popconfirm), marked `confirm-ok` by the app, once
 * its opening animation has finished (a click during it can miss), and waits for it to close.
 */
export async function confirmPopup(page: Page): Promise<void> {
  const button = page.getByTestId('confirm-ok').filter({ visible: true });
  await button.waitFor();
  const popover = page.locator('.ant-popover').filter({ has: button });
  await popover.and(page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
  await button.click();
  await popover.waitFor({ state: 'hidden' });
}

/** Texts of the toast messages on screen, oldest first. */
export async function toasts(page: Page): Promise<string[]> {
  return page.locator('.ant-message-notice').allInnerTexts();
}

/** Waits for a toast containing `text` (or any toast) and returns its text. */
export async function waitForToast(page: Page, text?: string | RegExp): Promise<string> {
  const notice = page.locator('.ant-message-notice');
  const match = text === undefined ? notice.last() : notice.filter({ hasText: text }).last();
  await match.waitFor();
  return match.innerText();
}

/** Runs `action`, waits for the download it starts and saves it as `<dir>/<suggested name>`. */
export async function saveDownload(
  page: Page,
  action: () => Promise<unknown>,
  dir = DEFAULT_DOWNLOAD_DIR,
): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), action()]);
  return saveAs(download, dir);
}

/** Saves a download as `<dir>/<suggested name>` and returns that path. */
export async function saveAs(download: Download, dir = DEFAULT_DOWNLOAD_DIR): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

/** The data rows (not the expanded drill-down rows) of an antd table. */
export function tableRows(table: Locator): Locator {
  return table.locator('tbody > tr.ant-table-row');
}

/** Texts of the elements marked `testId` inside `scope`, in order. */
export async function textsOf(scope: Locator, testId: string): Promise<string[]> {
  return (await scope.getByTestId(testId).allInnerTexts()).map((text) => text.trim());
}

/**
 * A validation message under a form field. A message being replaced stays in the page until its
 * leave animation ends (longer on a loaded machine) beside the one replacing it; it is not shown.
 */
export const FORM_ERROR = '.ant-form-item-explain-error:not(.ant-show-help-item-leave)';

/** Validation messages shown under form fields. */
export async function formErrors(scope: Locator): Promise<string[]> {
  return scope.locator(FORM_ERROR).allInnerTexts();
}

/**
 * Whether a save just clicked was sent: the element `stateSelector` in `scope` got a new
 * `data-saved-at`. A save the form's own checks stop is never sent: when errors show two seconds
 * after the click, it was not; otherwise the save may take longer on a loaded machine.
 */
export async function saveWasSent(scope: Locator, stateSelector: string, before: string): Promise<boolean> {
  const changed = scope
    .locator(`${stateSelector}:not([data-saved-at="${before}"])`)
    .waitFor({ state: 'attached', timeout: 15_000 })
    .then(
      () => true,
      () => false,
    );
  const stopped = delay(2_000).then(async () =>
    (await scope.locator(FORM_ERROR).count()) > 0 ? false : changed,
  );
  return Promise.race([changed, stopped]);
}
