import type { Locator, Page } from 'playwright-core';
import { confirmPopup, FORM_ERROR, formErrors, saveWasSent, tableRows } from './antd';
import { readJobDays, type JobDayView } from './PrometheusPage';
import { readSyncClusterRow, type SyncClusterRowView } from './sync-dialog';

export type JobKeyChoice = 'namespace-quota-sync' | 'project-quota-sync' | 'prometheus-sync';
export type RunStatusChoice = 'running' | 'succeeded' | 'partly-failed' | 'failed' | 'cancelled' | 'skipped';
export type RunTriggerChoice = 'schedule' | 'manual' | 'cli' | 'retry';

/** The global card's fields; omitted ones are left as they are. */
export interface SchedulerGlobalInput {
  enabled?: boolean;
  catchUp?: boolean;
  /** Days the Prometheus job catches up at most. */
  catchUpDays?: number;
  keepRunsDays?: number;
}

export interface SchedulerGlobalView extends Required<SchedulerGlobalInput> {
  timezone: string;
}

export interface DailyInput {
  hour: number;
  minute?: number;
  intervalHours: number;
}

/** What a job's card shows of its schedule (the form as saved, or as edited and not saved). */
export interface JobScheduleView {
  enabled: boolean;
  mode: 'daily' | 'cron';
  /** HH:mm */
  time: string;
  /** As typed, e.g. "24". */
  interval: string;
  cron: string;
  /** The saved schedule: its cron expression and, for a daily one, its times in words. */
  expression: string;
  scheduleText: string | null;
  /** The job or the whole scheduler is off. */
  paused: boolean;
  retries: number;
  backoffSeconds: number;
  /** E.g. "失败后依次等待 5 分钟、10 分钟再重试". */
  retryText: string;
}

export interface JobStatusView {
  /** The run holding the job, or null. */
  running: number | null;
  lastRun: { id: number; status: RunStatusChoice; time: string; summary: string } | null;
  /** As displayed in the configured zone, or null when it never succeeded. */
  lastSuccess: string | null;
}

/** What “立即运行” answered: the run it started, or why not (409: the job is running). */
export type RunNowOutcome = { runId: number } | { conflict: string };

export interface RunFilterInput {
  job?: JobKeyChoice;
  status?: RunStatusChoice;
  trigger?: RunTriggerChoice;
}

/** One row of the run history as displayed. */
export interface RunRowView {
  id: number;
  job: JobKeyChoice;
  trigger: RunTriggerChoice;
  status: RunStatusChoice;
  started: string;
  /** "—" while it runs. */
  duration: string;
  summary: string;
}

/** A run's detail drawer: its facts as displayed and its results. */
export interface RunDetailView {
  id: number;
  status: RunStatusChoice;
  trigger: string;
  slot: string;
  attempt: string;
  instance: string;
  started: string;
  finished: string;
  summary: string;
  /** The quota jobs' per-cluster results. */
  clusters: SyncClusterRowView[];
  /** The Prometheus job's per-day results. */
  days: JobDayView[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The input of a marked field: antd puts the mark on the input itself or on its wrapper. */
async function inputOf(field: Locator): Promise<Locator> {
  return (await field.evaluate((el) => el.tagName)) === 'INPUT' ? field : field.locator('input');
}

/** 定时任务 (/scheduler). */
export class SchedulerPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/scheduler');
    await this.page.locator('[data-testid="scheduler-page"][data-state="ready"]').waitFor();
  }

  card(job: JobKeyChoice): Locator {
    return this.page.locator(`[data-testid="job-card"][data-job="${job}"]`);
  }

  private global(): Locator {
    return this.page.getByTestId('scheduler-global');
  }

  private async checked(switchEl: Locator): Promise<boolean> {
    return (await switchEl.getAttribute('aria-checked')) === 'true';
  }

  private async setSwitch(switchEl: Locator, on: boolean | undefined): Promise<void> {
    if (on !== undefined && (await this.checked(switchEl)) !== on) await switchEl.click();
  }

  private async fill(field: Locator, value: number | string | undefined): Promise<void> {
    if (value !== undefined) await (await inputOf(field)).fill(String(value));
  }

  async globalSettings(): Promise<SchedulerGlobalView> {
    const card = this.global();
    const number = async (testId: string) =>
      Number(await (await inputOf(card.getByTestId(testId))).inputValue());
    return {
      enabled: await this.checked(card.getByTestId('scheduler-enabled')),
      catchUp: await this.checked(card.getByTestId('scheduler-catch-up')),
      catchUpDays: await number('scheduler-catch-up-days'),
      keepRunsDays: await number('scheduler-keep-days'),
      timezone: (await card.getByTestId('scheduler-timezone').innerText()).trim(),
    };
  }

  /** Changes the global settings and saves. Returns the errors shown, [] once saved. */
  async setGlobal(input: SchedulerGlobalInput): Promise<string[]> {
    const card = this.global();
    await this.setSwitch(card.getByTestId('scheduler-enabled'), input.enabled);
    await this.setSwitch(card.getByTestId('scheduler-catch-up'), input.catchUp);
    await this.fill(card.getByTestId('scheduler-catch-up-days'), input.catchUpDays);
    await this.fill(card.getByTestId('scheduler-keep-days'), input.keepRunsDays);
    return this.save(card, card.getByTestId('scheduler-global-save'));
  }

  /**
   * Clicks `button` and waits for the card's save to finish (a field the form refuses is not sent).
   * Returns [] once saved, else every error shown: the fields' messages and the server's error.
   */
  private async save(card: Locator, button: Locator): Promise<string[]> {
    const state = card.locator('.form-state[data-save-status]');
    const before = (await state.getAttribute('data-saved-at')) ?? '0';
    await button.click();
    const sent = await saveWasSent(card, '.form-state[data-save-status]', before);
    if (sent) {
      await card
        .locator('.form-state:is([data-save-status="success"], [data-save-status="error"])')
        .waitFor({ state: 'attached' });
      if ((await state.getAttribute('data-save-status')) === 'success') return [];
      await card.locator(`${FORM_ERROR}, [data-testid="api-error"]`).first().waitFor();
    }
    const serverErrors = await card.getByTestId('api-error').allInnerTexts();
    return [...serverErrors, ...(await formErrors(card))].map((e) => e.trim());
  }

  private async setMode(card: Locator, mode: 'daily' | 'cron'): Promise<void> {
    await card.getByTestId(`job-mode-${mode}`).click();
  }

  /** Sets a job to run daily from hh:mm every N hours and saves. Returns the errors shown, [] once saved. */
  async setDaily(job: JobKeyChoice, daily: DailyInput): Promise<string[]> {
    const card = this.card(job);
    await this.setMode(card, 'daily');
    await this.fill(card.getByTestId('job-time'), `${pad(daily.hour)}:${pad(daily.minute ?? 0)}`);
    const interval = await inputOf(card.getByTestId('job-interval'));
    await interval.fill(String(daily.intervalHours));
    await interval.press('Escape');
    return this.save(card, card.getByTestId('job-save'));
  }

  /** Sets a job to a cron expression and saves. Returns the errors shown, [] once saved. */
  async setCron(job: JobKeyChoice, expression: string): Promise<string[]> {
    const card = this.card(job);
    await this.setMode(card, 'cron');
    await this.fill(card.getByTestId('job-cron'), expression);
    return this.save(card, card.getByTestId('job-save'));
  }

  /** Switches a job on or off and sets its retries; saves. Returns the errors shown, [] once saved. */
  async setJob(
    job: JobKeyChoice,
    changes: { enabled?: boolean; retries?: number; backoffSeconds?: number },
  ): Promise<string[]> {
    const card = this.card(job);
    await this.setSwitch(card.getByTestId('job-enabled'), changes.enabled);
    await this.fill(card.getByTestId('job-retries'), changes.retries);
    await this.fill(card.getByTestId('job-backoff'), changes.backoffSeconds);
    return this.save(card, card.getByTestId('job-save'));
  }

  async schedule(job: JobKeyChoice): Promise<JobScheduleView> {
    const card = this.card(job);
    const value = async (testId: string) => {
      const field = card.getByTestId(testId);
      return (await field.count()) > 0 ? (await inputOf(field)).inputValue() : '';
    };
    const text = card.getByTestId('job-schedule-text');
    return {
      enabled: await this.checked(card.getByTestId('job-enabled')),
      mode: (await card.getByTestId('job-form').getAttribute('data-mode')) === 'cron' ? 'cron' : 'daily',
      time: await value('job-time'),
      interval: await value('job-interval'),
      cron: await value('job-cron'),
      expression: (await card.getByTestId('job-expression').innerText()).trim(),
      scheduleText: (await text.count()) > 0 ? (await text.innerText()).trim() : null,
      paused: (await card.getByTestId('job-paused').count()) > 0,
      retries: Number(await value('job-retries')),
      backoffSeconds: Number(await value('job-backoff')),
      retryText: (await card.getByTestId('job-retry-delays').innerText()).trim(),
    };
  }

  /** The next three run times as displayed ("YYYY-MM-DD HH:mm" in the configured zone). */
  async nextRuns(job: JobKeyChoice): Promise<string[]> {
    const times = await this.card(job).getByTestId('job-next-run-time').allInnerTexts();
    return times.map((time) => time.trim());
  }

  async status(job: JobKeyChoice): Promise<JobStatusView> {
    const card = this.card(job);
    const running = (await card.getAttribute('data-running')) ?? '';
    const lastRun = card.getByTestId('job-last-run');
    const lastId = (await lastRun.getAttribute('data-id')) ?? '';
    const success = card.getByTestId('job-last-success');
    return {
      running: running === '' ? null : Number(running),
      lastRun:
        lastId === ''
          ? null
          : {
              id: Number(lastId),
              status: (await lastRun
                .getByTestId('job-last-status')
                .getAttribute('data-status')) as RunStatusChoice,
              time: (await lastRun.getByTestId('job-last-time').innerText()).trim(),
              summary: (await lastRun.getByTestId('job-last-summary').innerText()).trim(),
            },
      lastSuccess: (await success.getAttribute('data-at')) ? (await success.innerText()).trim() : null,
    };
  }

  /** Waits until the job's card shows a run holding it, and returns that run's id. */
  async runningRun(job: JobKeyChoice): Promise<number> {
    const card = this.page.locator(`[data-testid="job-card"][data-job="${job}"]:not([data-running=""])`);
    await card.waitFor();
    return Number(await card.getAttribute('data-running'));
  }

  /** The 运行规则 card's explanations: exactly once, catch-up, retries. */
  async rules(): Promise<{ exactlyOnce: string; changes: string; catchUp: string; retries: string }> {
    const rule = async (key: string) =>
      (await this.page.getByTestId(`scheduler-rule-${key}`).innerText()).trim();
    return {
      exactlyOnce: await rule('exactlyOnce'),
      changes: await rule('changes'),
      catchUp: await rule('catchUp'),
      retries: await rule('retries'),
    };
  }

  /** Clicks “立即运行”: the run it started, or the server's refusal shown on the card. */
  async runNow(job: JobKeyChoice): Promise<RunNowOutcome> {
    const card = this.card(job);
    const state = card.getByTestId('job-run-state');
    const before = (await state.getAttribute('data-at')) ?? '0';
    await card.getByTestId('job-run-now').click();
    const done = card.locator(
      `[data-testid="job-run-state"]:not([data-at="${before}"]):is([data-status="success"], [data-status="error"])`,
    );
    await done.waitFor({ state: 'attached' });
    if ((await state.getAttribute('data-status')) === 'success')
      return { runId: Number(await state.getAttribute('data-run-id')) };
    const refusal = card.locator('[data-testid="job-run-conflict"], [data-testid="api-error"]').first();
    await refusal.waitFor();
    return { conflict: (await refusal.locator('.ant-alert-title').innerText()).trim() };
  }

  private history(): Locator {
    return this.page.getByTestId('run-history');
  }

  private async choose(testId: string, value: string | undefined): Promise<void> {
    const select = this.history().getByTestId(testId);
    if (value === undefined) {
      if ((await select.locator('.ant-select-content-has-value').count()) > 0) {
        await select.hover();
        await select.locator('.ant-select-clear').click();
      }
      return;
    }
    await select.click();
    await this.page
      .locator(`.ant-select-dropdown [data-testid="runs-filter-option"][data-value="${value}"]`)
      .filter({ visible: true })
      .click();
  }

  /** Narrows the history to `filter` (what it omits is cleared) and reads every row, newest first. */
  async runs(filter: RunFilterInput = {}): Promise<RunRowView[]> {
    await this.choose('runs-filter-job', filter.job);
    await this.choose('runs-filter-status', filter.status);
    await this.choose('runs-filter-trigger', filter.trigger);
    const key = `${filter.job ?? ''}|${filter.status ?? ''}|${filter.trigger ?? ''}`;
    const table = this.history().locator(`[data-testid="run-table"][data-filter="${key}"]`);
    await table.and(this.page.locator('[data-busy="false"]')).waitFor();
    const rows: RunRowView[] = [];
    for (const row of await tableRows(table).all()) rows.push(await this.readRun(row));
    return rows;
  }

  private rowFor(id: number): Locator {
    return tableRows(this.history().getByTestId('run-table')).filter({
      has: this.page.locator(`[data-testid="run-id"][data-id="${id}"]`),
    });
  }

  private async readRun(row: Locator): Promise<RunRowView> {
    const text = async (testId: string) => (await row.getByTestId(testId).innerText()).trim();
    const attr = async (testId: string, name: string) =>
      (await row.getByTestId(testId).getAttribute(name)) ?? '';
    return {
      id: Number(await attr('run-id', 'data-id')),
      job: (await attr('run-job', 'data-job')) as JobKeyChoice,
      trigger: (await attr('run-trigger', 'data-trigger')) as RunTriggerChoice,
      status: (await attr('run-status', 'data-status')) as RunStatusChoice,
      started: await text('run-started'),
      duration: await text('run-duration'),
      summary: await text('run-summary'),
    };
  }

  /** Waits (with every filter cleared) until run `id` has finished, and returns its row. */
  async waitForRun(id: number, timeoutMs = 60_000): Promise<RunRowView> {
    await this.runs();
    const row = this.rowFor(id);
    await row
      .filter({ has: this.page.locator('[data-testid="run-status"]:not([data-status="running"])') })
      .waitFor({ timeout: timeoutMs });
    return this.readRun(row);
  }

  /** Cancels run `id` from the history and returns its row once it has stopped. */
  async cancel(runId: number, timeoutMs = 60_000): Promise<RunRowView> {
    await this.runs();
    await this.rowFor(runId).getByTestId('run-cancel').click();
    await confirmPopup(this.page);
    return this.waitForRun(runId, timeoutMs);
  }

  private drawer(): Locator {
    return this.page.getByTestId('run-detail');
  }

  /** Opens run `id` from the history and reads its drawer; closed again unless `keepOpen`. */
  async runDetail(id: number, options: { keepOpen?: boolean } = {}): Promise<RunDetailView> {
    await this.runs();
    await this.rowFor(id).getByTestId('run-open').click();
    const drawer = this.page.locator(`[data-testid="run-detail"][data-id="${id}"]`);
    await drawer.waitFor();
    // Read (and let callers screenshot) the drawer only once its opening slide has finished.
    await drawer.and(this.page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
    const fact = async (key: string) => (await drawer.getByTestId(`run-detail-${key}`).innerText()).trim();
    const clusters: SyncClusterRowView[] = [];
    for (const row of await tableRows(drawer.getByTestId('sync-result-table')).all()) {
      clusters.push(await readSyncClusterRow(drawer, row));
    }
    const dayTable = drawer.getByTestId('job-days');
    const view: RunDetailView = {
      id,
      status: ((await drawer.getAttribute('data-status')) ?? '') as RunStatusChoice,
      trigger: await fact('trigger'),
      slot: await fact('slot'),
      attempt: await fact('attempt'),
      instance: await fact('instance'),
      started: await fact('started'),
      finished: await fact('finished'),
      summary: await fact('summary'),
      clusters,
      days: (await dayTable.count()) > 0 ? await readJobDays(dayTable) : [],
    };
    if (!options.keepOpen) await this.closeRunDetail();
    return view;
  }

  async closeRunDetail(): Promise<void> {
    await this.drawer().locator('.ant-drawer-close').click();
    await this.drawer().waitFor({ state: 'hidden' });
  }
}
