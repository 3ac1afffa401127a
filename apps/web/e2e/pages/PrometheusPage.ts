import type { Locator, Page } from 'playwright-core';
import { confirmPopup, FORM_ERROR, formErrors, saveDownload, saveWasSent, tableRows, textsOf } from './antd';
import { importThroughDialog, type ImportOutcome } from './import-dialog';

export type UsageStrategyChoice = 'pod-peak' | 'replica-dedup' | 'concurrent-peak' | 'average';
export type SourceAuthChoice = 'none' | 'bearer' | 'basic';

export interface SourceInput {
  name: string;
  url: string;
  /** Picked from the connected clusters when listed, else typed. */
  cluster: string;
  /** Label matchers such as cluster="prod"; '' or null clears. */
  selector?: string | null;
  strategy?: UsageStrategyChoice;
  /** Replica dedup only (the field shows for that strategy alone). */
  tolerance?: number;
  memoryMetric?: 'usage_bytes' | 'working_set_bytes';
  step?: string;
  timeoutSeconds?: number;
  auth?: SourceAuthChoice;
  /** The bearer token or the basic-auth password. */
  secret?: string;
  username?: string;
  /** Added as new rows (when editing they replace the stored headers). */
  headers?: Record<string, string>;
  caPem?: string;
  insecure?: boolean;
}

/** One source row as displayed. */
export interface SourceRowView {
  name: string;
  url: string;
  cluster: string;
  /** null when every series is used. */
  selector: string | null;
  strategy: UsageStrategyChoice;
  /** The strategy tag's text, e.g. "副本去重（精确同步）". */
  strategyText: string;
  auth: SourceAuthChoice;
  hasCa: boolean;
  tlsWarning: boolean;
  lastTest: 'none' | 'ok' | 'failed';
  lastTestText: string;
  /** null when never synced. */
  lastSyncOk: boolean | null;
}

/** A connection test as the drawer shows it. */
export interface SourceTestView {
  ok: boolean;
  /** unreachable, tls, unauthorized, timeout, no_metrics, …; null when ok. */
  errorKind: string | null;
  /** The alert's title, e.g. "连接正常" / "无法连接". */
  title: string;
  message: string | null;
  hint: string | null;
  version: string | null;
  /** Series of `up` the selector sees. */
  targets: number | null;
  metrics: { name: string; series: number }[];
}

/** One source's row of a day's sync; `pods` is null for the namespace strategies. */
export interface SourceSyncRowView {
  source: string;
  ok: boolean;
  namespaces: number;
  pods: number | null;
  unassigned: number;
  queries: number;
  retries: number;
  batches: number;
  /** As displayed, e.g. "640 ms". */
  duration: string;
  errors: string[];
}

/** What a day's sync showed once it finished. */
export interface DaySyncView {
  /** Every source synced. */
  ok: boolean;
  /** The day synced (the server's yesterday when none was given). */
  date: string | null;
  summary: string;
  sources: SourceSyncRowView[];
  /** The error that stopped the whole sync (e.g. a day not over yet), else null. */
  error: string | null;
}

export interface JobDayView {
  date: string;
  ok: boolean;
  namespaces: number;
  pods: number | null;
  unassigned: number;
  queries: number;
  errors: number;
}

/** A range sync as its view shows it. */
export interface SyncJobView {
  id: string;
  status: 'running' | 'succeeded' | 'partly-failed' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** The progress bar's text, e.g. "2 / 2 天". */
  progressText: string;
  /** The finished days, as listed. */
  days: JobDayView[];
}

/** A range sync of the recent-jobs list. */
export interface RecentJobView {
  range: string;
  status: SyncJobView['status'];
  progress: string;
}

const count = async (row: Locator, testId: string): Promise<number | null> => {
  const text = (await row.getByTestId(testId).innerText()).trim().replace(/,/g, '');
  return text === '—' ? null : Number(text);
};

/** The days of a range sync's (or a scheduled Prometheus run's) day table, as listed. */
export async function readJobDays(table: Locator): Promise<JobDayView[]> {
  const days: JobDayView[] = [];
  for (const row of await tableRows(table).all()) {
    days.push({
      date: (await row.getByTestId('job-day-date').innerText()).trim(),
      ok: (await row.getByTestId('sync-status').getAttribute('data-ok')) === 'true',
      namespaces: (await count(row, 'job-day-namespaces')) ?? 0,
      pods: await count(row, 'job-day-pods'),
      unassigned: (await count(row, 'job-day-unassigned')) ?? 0,
      queries: (await count(row, 'job-day-queries')) ?? 0,
      errors: (await count(row, 'job-day-errors')) ?? 0,
    });
  }
  return days;
}

/** Prometheus接入 (/prometheus). */
export class PrometheusPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir?: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/prometheus');
    await this.waitIdle();
  }

  table(): Locator {
    return this.page.getByTestId('source-table');
  }

  rowFor(name: string): Locator {
    return tableRows(this.table()).filter({
      has: this.page.locator(`[data-testid="source-name"]:text-is(${JSON.stringify(name)})`),
    });
  }

  /** Source names in display order. */
  async names(): Promise<string[]> {
    return textsOf(this.table(), 'source-name');
  }

  async row(name: string): Promise<SourceRowView> {
    const row = this.rowFor(name);
    const attr = async (testId: string, attribute: string) =>
      (await row.getByTestId(testId).getAttribute(attribute)) ?? '';
    const lastSync = await attr('source-last-sync', 'data-ok');
    return {
      name,
      url: (await row.getByTestId('source-url').innerText()).trim(),
      cluster: (await row.getByTestId('source-cluster').innerText()).trim(),
      selector: (await attr('source-selector', 'data-selector')) || null,
      strategy: (await attr('source-strategy', 'data-strategy')) as UsageStrategyChoice,
      strategyText: (await row.getByTestId('source-strategy').innerText()).trim(),
      auth: (await attr('source-auth', 'data-auth')) as SourceAuthChoice,
      hasCa: (await row.getByTestId('source-ca').count()) > 0,
      tlsWarning: (await row.getByTestId('source-tls-warning').count()) > 0,
      lastTest: (await attr('source-last-test', 'data-state')) as SourceRowView['lastTest'],
      lastTestText: (await row.getByTestId('source-last-test').innerText()).trim(),
      lastSyncOk: lastSync === '' ? null : lastSync === 'true',
    };
  }

  private form(): Locator {
    return this.page.getByTestId('source-form');
  }

  private async fillForm(input: Partial<SourceInput>): Promise<void> {
    const form = this.form();
    if (input.name !== undefined) await form.getByTestId('source-form-name').fill(input.name);
    if (input.url !== undefined) await form.getByTestId('source-form-url').fill(input.url);
    if (input.cluster !== undefined) {
      await form.getByTestId('source-form-cluster').locator('input').fill(input.cluster);
      await form.getByTestId('source-form-name').click();
    }
    if (input.selector !== undefined)
      await form.getByTestId('source-form-selector').fill(input.selector ?? '');
    if (input.strategy !== undefined)
      await form.getByTestId(`source-form-strategy-${input.strategy}`).click();
    if (input.tolerance !== undefined)
      await form.getByTestId('source-form-tolerance').fill(String(input.tolerance));
    if (input.memoryMetric !== undefined)
      await form.getByTestId(`source-form-memory-${input.memoryMetric}`).click();
    if (input.step !== undefined) await form.getByTestId('source-form-step').fill(input.step);
    if (input.timeoutSeconds !== undefined)
      await form.getByTestId('source-form-timeout').fill(String(input.timeoutSeconds));
    if (input.auth !== undefined) await form.getByTestId(`source-form-auth-${input.auth}`).click();
    if (input.username !== undefined) await form.getByTestId('source-form-username').fill(input.username);
    if (input.secret !== undefined) await form.getByTestId('source-form-secret').fill(input.secret);
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      await form.getByTestId('source-form-header-add').click();
      await form.getByTestId('source-form-header-name').last().fill(name);
      await form.getByTestId('source-form-header-value').last().fill(value);
    }
    if (input.caPem !== undefined) await form.getByTestId('source-form-ca').fill(input.caPem);
    if (input.insecure !== undefined)
      await form.getByTestId('source-form-insecure').setChecked(input.insecure);
  }

  /**
   * Saves the open drawer. Returns [] once saved (the drawer closes), else every error it shows: the
   * fields' messages and the server's error.
   */
  private async saveForm(): Promise<string[]> {
    const state = this.form().locator('.form-state');
    const before = (await state.getAttribute('data-saved-at')) ?? '0';
    await this.form().getByTestId('source-form-save').click();
    const sent = await saveWasSent(this.form(), '.form-state', before);
    if (sent) {
      await this.form()
        .locator('.form-state:is([data-save-status="success"], [data-save-status="error"])')
        .waitFor({ state: 'attached' });
      if ((await state.getAttribute('data-save-status')) === 'success') {
        await this.form().getByTestId('source-form-save').waitFor({ state: 'hidden' });
        await this.waitIdle();
        return [];
      }
      await this.form().locator(`${FORM_ERROR}, [data-testid="api-error"]`).first().waitFor();
    }
    const serverErrors = await this.form().getByTestId('api-error').allInnerTexts();
    return [...serverErrors, ...(await formErrors(this.form()))].map((e) => e.trim());
  }

  /** Adds a source through “添加数据源”. Returns the errors shown, [] once saved (the drawer stays open otherwise). */
  async addSource(input: SourceInput): Promise<string[]> {
    await this.page.getByTestId('source-add').click();
    await this.form().getByTestId('source-form-name').waitFor();
    await this.fillForm(input);
    return this.saveForm();
  }

  /** Edits a source; an omitted secret, no headers and no CA keep the stored ones. Returns the errors shown. */
  async editSource(name: string, patch: Partial<SourceInput>): Promise<string[]> {
    await this.rowFor(name).getByTestId('source-edit').click();
    await this.form().getByTestId('source-form-name').waitFor();
    await this.fillForm(patch);
    return this.saveForm();
  }

  /** The open drawer's note on stored headers, or null when none are stored. */
  async keptHeadersNote(): Promise<string | null> {
    const note = this.form().getByTestId('source-form-kept-headers');
    return (await note.count()) > 0 ? (await note.innerText()).trim() : null;
  }

  /** Closes the add/edit drawer without saving. */
  async cancelForm(): Promise<void> {
    await this.form().getByTestId('source-form-cancel').click();
    await this.form().waitFor({ state: 'hidden' });
  }

  /** Runs “测试连接” on a source and reads the result; the drawer is closed unless `keepOpen`. */
  async testSource(name: string, options: { keepOpen?: boolean } = {}): Promise<SourceTestView> {
    await this.rowFor(name).getByTestId('source-test').click();
    const drawer = this.page.locator(
      '[data-testid="prometheus-test"]:is([data-state="done"], [data-state="error"])',
    );
    await drawer.waitFor({ timeout: 60_000 });
    // Read (and let callers screenshot) the drawer only once its opening slide has finished.
    await drawer.and(this.page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
    const view = await this.readTest(drawer);
    if (!options.keepOpen) await this.closeTest();
    return view;
  }

  private async readTest(drawer: Locator): Promise<SourceTestView> {
    const result = drawer.getByTestId('prometheus-test-result');
    const optional = async (testId: string) => {
      const el = drawer.getByTestId(testId);
      return (await el.count()) > 0 ? (await el.innerText()).trim() : null;
    };
    const metrics: SourceTestView['metrics'] = [];
    for (const item of await drawer.getByTestId('test-metric').all()) {
      metrics.push({
        name: (await item.getAttribute('data-name')) ?? '',
        series: Number(await item.getAttribute('data-series')),
      });
    }
    const targets = drawer.getByTestId('test-targets');
    const targetCount = (await targets.count()) > 0 ? await targets.getAttribute('data-count') : '';
    return {
      ok: (await result.getAttribute('data-ok')) === 'true',
      errorKind: (await result.getAttribute('data-error-kind')) || null,
      title: (await result.locator('.ant-alert-title').first().innerText()).trim(),
      message: await optional('test-message'),
      hint: await optional('test-hint'),
      version: await optional('test-version'),
      targets: targetCount ? Number(targetCount) : null,
      metrics,
    };
  }

  async closeTest(): Promise<void> {
    const drawer = this.page.getByTestId('prometheus-test');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  }

  /**
   * Opens a source's last sync from its row: the figures line under the time, then what the drawer
   * shows (namespaces, pods, queries, retries, duration, errors).
   */
  async lastSync(
    name: string,
    options: { keepOpen?: boolean } = {},
  ): Promise<{ figures: string; result: SourceSyncRowView }> {
    const cell = this.rowFor(name).getByTestId('source-last-sync');
    const figures = (await cell.getByTestId('source-last-sync-figures').innerText()).trim();
    await cell.click();
    const drawer = this.page.locator('[data-testid="prometheus-last-sync"][data-state="done"]');
    await drawer.waitFor();
    await drawer.and(this.page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
    const result = await this.readSourceRow(drawer, drawer);
    if (!options.keepOpen) await this.closeLastSync();
    return { figures, result };
  }

  async closeLastSync(): Promise<void> {
    const drawer = this.page.getByTestId('prometheus-last-sync');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  }

  /** Ticks exactly the rows of `names` (none: a sync then covers every source). */
  async selectSources(names: string[]): Promise<void> {
    for (const listed of await this.names()) {
      const box = this.rowFor(listed).locator('.ant-table-selection-column input');
      if ((await box.isChecked()) !== names.includes(listed)) await box.click();
    }
  }

  private sync(): Locator {
    return this.page.getByTestId('usage-sync');
  }

  private async setMode(mode: 'day' | 'range'): Promise<void> {
    await this.sync().getByTestId(`usage-sync-mode-${mode}`).click();
  }

  /**
   * Syncs `date` (the server's yesterday when undefined) for `names` (all sources when omitted) and
   * reads the per-source results once the sync has finished.
   */
  async syncDate(names: string[] | undefined, date?: string): Promise<DaySyncView> {
    await this.selectSources(names ?? []);
    await this.setMode('day');
    const input = this.sync().getByTestId('usage-sync-date');
    if (date !== undefined) {
      await input.click();
      await input.fill(date);
      await input.press('Enter');
      await this.page.keyboard.press('Escape');
    }
    const outcomes = this.sync().getByTestId('usage-sync-outcome');
    const previous = (await outcomes.count()) > 0 ? await outcomes.getAttribute('data-run') : null;
    await this.sync().getByTestId('usage-sync-start').click();
    const outcome = this.sync().locator(
      `[data-testid="usage-sync-outcome"]:not([data-state="pending"]):not([data-run="${previous ?? ''}"])`,
    );
    await outcome.waitFor({ timeout: 120_000 });
    await this.waitIdle();
    if ((await outcome.getAttribute('data-state')) === 'error') {
      const error = (await outcome.getByTestId('api-error').innerText()).trim();
      return { ok: false, date: null, summary: '', sources: [], error };
    }
    const summary = outcome.getByTestId('usage-sync-summary');
    const sources: SourceSyncRowView[] = [];
    for (const row of await tableRows(outcome.getByTestId('source-sync-table')).all()) {
      sources.push(await this.readSourceRow(outcome, row));
    }
    return {
      ok: (await outcome.getAttribute('data-ok')) === 'true',
      date: await summary.getAttribute('data-date'),
      summary: (await summary.locator('.ant-alert-title').innerText()).trim(),
      sources,
      error: null,
    };
  }

  private async readSourceRow(scope: Locator, row: Locator): Promise<SourceSyncRowView> {
    const source = (await row.getByTestId('sync-source').innerText()).trim();
    const errors = scope.locator(
      `[data-testid="sync-errors"][data-source=${JSON.stringify(source)}] [data-testid="error-detail"]`,
    );
    return {
      source,
      ok: (await row.getByTestId('sync-status').getAttribute('data-ok')) === 'true',
      namespaces: (await count(row, 'sync-namespaces')) ?? 0,
      pods: await count(row, 'sync-pods'),
      unassigned: (await count(row, 'sync-unassigned')) ?? 0,
      queries: (await count(row, 'sync-queries')) ?? 0,
      retries: (await count(row, 'sync-retries')) ?? 0,
      batches: (await count(row, 'sync-batches')) ?? 0,
      duration: (await row.getByTestId('sync-duration').innerText()).trim(),
      errors: (await errors.allInnerTexts()).map((e) => e.trim()),
    };
  }

  /** The range sync shown (the newest unless another was opened). */
  job(): Locator {
    return this.sync().getByTestId('sync-job');
  }

  /**
   * Starts a background sync of `from`…`to` for `names` (all sources when omitted) and returns its view
   * as soon as it is shown, usually still running; the server's refusal (e.g. a day not over) throws.
   */
  async startRange(names: string[] | undefined, from: string, to: string): Promise<SyncJobView> {
    await this.selectSources(names ?? []);
    await this.setMode('range');
    // The picker marks both of its inputs.
    const inputs = this.sync().getByTestId('usage-sync-range');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(from);
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill(to);
    await inputs.nth(1).press('Enter');
    await this.page.keyboard.press('Escape');
    const before = (await this.job().count()) > 0 ? await this.job().getAttribute('data-id') : '';
    await this.sync().getByTestId('usage-sync-start').click();
    const shown = this.sync().locator(
      `[data-testid="sync-job"]:not([data-id="${before}"]), [data-testid="api-error"]`,
    );
    await shown.first().waitFor();
    const error = this.sync().getByTestId('api-error');
    if ((await error.count()) > 0) throw new Error((await error.innerText()).trim());
    return this.readJob();
  }

  /** A range sync run to its end (polled by the page every second): the finished view. */
  async syncRange(names: string[] | undefined, from: string, to: string): Promise<SyncJobView> {
    await this.startRange(names, from, to);
    return this.waitJobFinished();
  }

  /** Cancels the range sync shown and returns its view once it has stopped. */
  async cancelRange(): Promise<SyncJobView> {
    await this.job().getByTestId('sync-job-cancel').click();
    return this.waitJobFinished();
  }

  async waitJobFinished(timeoutMs = 120_000): Promise<SyncJobView> {
    await this.sync()
      .locator('[data-testid="sync-job"]:not([data-status="running"])')
      .waitFor({ timeout: timeoutMs });
    await this.waitIdle();
    return this.readJob();
  }

  async readJob(): Promise<SyncJobView> {
    const job = this.job();
    const days = await readJobDays(job.getByTestId('job-days'));
    return {
      id: (await job.getAttribute('data-id')) ?? '',
      status: (await job.getAttribute('data-status')) as SyncJobView['status'],
      done: Number(await job.getAttribute('data-done')),
      total: Number(await job.getAttribute('data-total')),
      progressText: (
        await job.locator('.ant-progress-indicator, .ant-progress-text').first().innerText()
      ).trim(),
      days,
    };
  }

  /** The range syncs listed under “最近的后台同步”, newest first. */
  async recentJobs(): Promise<RecentJobView[]> {
    const jobs: RecentJobView[] = [];
    for (const row of await tableRows(this.sync().getByTestId('sync-jobs')).all()) {
      const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
      jobs.push({
        range: cells[0] ?? '',
        status: (await row
          .getByTestId('sync-job-status')
          .getAttribute('data-status')) as SyncJobView['status'],
        progress: cells[2] ?? '',
      });
    }
    return jobs;
  }

  async deleteSource(name: string): Promise<void> {
    const row = this.rowFor(name);
    await row.getByTestId('source-delete').click();
    await confirmPopup(this.page);
    await row.waitFor({ state: 'detached' });
  }

  /** Imports the source template through “批量导入”. Rejected rows = data rows neither created nor updated. */
  async importSources(
    file: string,
    options: { partial?: boolean } = {},
  ): Promise<ImportOutcome<'total_rows' | 'created' | 'updated' | 'rejected_rows'>> {
    const outcome = await importThroughDialog(
      this.page,
      this.page.getByTestId('source-import'),
      file,
      options,
      ['total_rows', 'created', 'updated', 'rejected_rows'] as const,
    );
    await this.waitIdle();
    return outcome;
  }

  async downloadTemplate(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('source-template').click(), this.downloadDir);
  }

  /** Opens “策略说明” (when closed) and returns its text: each strategy, its PromQL and the why. */
  async strategyHelpText(): Promise<string> {
    const body = this.page.getByTestId('strategy-help-body');
    if (!(await body.isVisible())) await this.page.getByTestId('strategy-help-toggle').click();
    await body.waitFor();
    return (await body.innerText()).trim();
  }

  async waitIdle(): Promise<void> {
    await this.page.locator('[data-testid="source-table"][data-busy="false"]').waitFor();
  }
}
