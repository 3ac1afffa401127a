import type { Locator, Page } from 'playwright-core';
import { tableRows } from './antd';

/** One cluster's row of a sync result; counts a sync of that kind does not report are null. */
export interface SyncClusterRowView {
  cluster: string;
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Project syncs only: projects with a manual quota. */
  skipped: number | null;
  removed: number;
  /** Namespace syncs only. */
  namespaces: number | null;
  requests: number;
  /** As displayed, e.g. "640 ms", "2.4 s". */
  duration: string;
  /** The cluster's errors as listed under its row. */
  errors: string[];
}

/** What a sync dialog showed once the sync finished. */
export interface SyncResultView {
  /** Every cluster synced. */
  ok: boolean;
  clusters: SyncClusterRowView[];
  /** Projects whose manual quota the project sync left alone. */
  skippedProjects: string[];
  /** The error that stopped the whole sync (e.g. no cluster configured), else null. */
  error: string | null;
}

export interface SyncOptions {
  /** Leave the result dialog open (e.g. for a screenshot); close it with closeSyncDialog(). */
  keepOpen?: boolean;
  timeoutMs?: number;
}

async function count(row: Locator, key: string): Promise<number | null> {
  const cell = row.getByTestId(`sync-${key}`);
  return (await cell.count()) > 0 ? Number((await cell.innerText()).replace(/,/g, '')) : null;
}

/** One cluster's row of a sync result table; `scope` holds the errors listed under the rows. */
export async function readSyncClusterRow(scope: Locator, row: Locator): Promise<SyncClusterRowView> {
  const cluster = (await row.getByTestId('sync-cluster').innerText()).trim();
  const errors = scope.locator(
    `[data-testid="sync-errors"][data-cluster=${JSON.stringify(cluster)}] [data-testid="error-detail"]`,
  );
  return {
    cluster,
    ok: (await row.getByTestId('sync-status').getAttribute('data-ok')) === 'true',
    created: (await count(row, 'created')) ?? 0,
    updated: (await count(row, 'updated')) ?? 0,
    unchanged: (await count(row, 'unchanged')) ?? 0,
    skipped: await count(row, 'skipped'),
    removed: (await count(row, 'removed')) ?? 0,
    namespaces: await count(row, 'namespaces'),
    requests: (await count(row, 'requests')) ?? 0,
    duration: (await row.getByTestId('sync-duration').innerText()).trim(),
    errors: (await errors.allInnerTexts()).map((e) => e.trim()),
  };
}

/**
 * The sync dialog on screen. A page can hold several (closed ones stay hidden in the DOM), and the
 * marked element is antd's zero-size modal root, so the visible wrapper inside it is what counts.
 */
export function openSyncDialog(page: Page): Locator {
  return page.getByTestId('sync-dialog').locator('.ant-modal-wrap').filter({ visible: true });
}

/** Waits until the open sync dialog has an outcome and reads it. */
export async function readSyncDialog(page: Page, timeoutMs = 120_000): Promise<SyncResultView> {
  const dialog = openSyncDialog(page);
  const outcome = dialog.locator('[data-testid="sync-outcome"]:not([data-state="pending"])');
  await outcome.waitFor({ timeout: timeoutMs });
  if ((await outcome.getAttribute('data-state')) === 'error') {
    const error = (await outcome.getByTestId('api-error').innerText()).trim();
    return { ok: false, clusters: [], skippedProjects: [], error };
  }
  const clusters: SyncClusterRowView[] = [];
  for (const row of await tableRows(outcome.getByTestId('sync-result-table')).all()) {
    clusters.push(await readSyncClusterRow(dialog, row));
  }
  return {
    ok: (await outcome.getAttribute('data-ok')) === 'true',
    clusters,
    skippedProjects: (await outcome.getByTestId('sync-skipped-project').allInnerTexts()).map((p) => p.trim()),
    error: null,
  };
}

/** Closes the open sync dialog. */
export async function closeSyncDialog(page: Page): Promise<void> {
  const dialog = openSyncDialog(page);
  await dialog.getByTestId('sync-close').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Reads the open dialog's outcome, then closes it unless `keepOpen`. */
export async function finishSync(page: Page, options: SyncOptions): Promise<SyncResultView> {
  const result = await readSyncDialog(page, options.timeoutMs);
  if (!options.keepOpen) await closeSyncDialog(page);
  return result;
}
