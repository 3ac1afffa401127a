import type { Locator, Page } from 'playwright-core';
import { confirmPopup, tableRows, textsOf } from './antd';

export interface ReportSummaryView {
  projects: number;
  matched: number;
  unmatched: number;
  overQuota: number;
  high: number;
  medium: number;
  low: number;
}

/** A matched project's row as displayed: numbers formatted (cores ≤3 decimals, GiB 2, rates "130.00%"). */
export interface ReportRowView {
  cloudId: string;
  projectName: string;
  cpuUsage: string;
  cpuQuota: string;
  cpuRate: string;
  memoryUsage: string;
  memoryQuota: string;
  memoryRate: string;
  /** high | medium | low, or null. */
  level: string | null;
  overQuota: boolean;
  source: string;
}

export interface NamespaceRowView {
  namespace: string;
  /** The cluster of Prometheus data; null for uploaded rows ("—"). */
  cluster: string | null;
  cpu: string;
  memory: string;
  /** The source tag's text: 日报上传 / Prometheus. */
  source: string;
  counted: boolean;
  /** Whether the row opens a workload detail (replica-dedup data). */
  hasWorkloads: boolean;
}

/** One workload of a namespace's replica-dedup detail, as displayed (cores ≤3 decimals, GiB 2). */
export interface WorkloadRowView {
  /** Deployment, StatefulSet, …; null for a pod of no workload. */
  kind: string | null;
  name: string;
  replicas: string;
  podsSeen: number;
  podsKept: number;
  cpu: string;
  memory: string;
}

/** A scheduled job in the 自动同步 strip: how its last run went and when it last succeeded. */
export interface JobFreshnessView {
  job: string;
  /** The last run's status; null when it never ran. */
  status: string | null;
  /** As displayed ("最近成功 11-26 02:00"), or null when it never succeeded. */
  lastSuccess: string | null;
}

type PageState = 'loading' | 'ready' | 'empty' | 'not-found' | 'error';

/** 报表查看 (/reports). */
export class ReportsPage {
  constructor(readonly page: Page) {}

  private root(): Locator {
    return this.page.getByTestId('reports-page');
  }

  /** Opens the page (the newest date, or `date`) and waits until it settled. */
  async goto(date?: string): Promise<PageState> {
    await this.page.goto(date ? `/reports?date=${date}` : '/reports');
    return this.waitSettled();
  }

  async waitSettled(): Promise<PageState> {
    const settled = this.page.locator('[data-testid="reports-page"]:not([data-state="loading"])');
    await settled.waitFor();
    return (await settled.getAttribute('data-state')) as PageState;
  }

  /** The 自动同步 strip above the report, one entry per scheduled job. */
  async jobFreshness(): Promise<JobFreshnessView[]> {
    await this.page.getByTestId('job-freshness').waitFor();
    const views: JobFreshnessView[] = [];
    for (const item of await this.page.getByTestId('job-freshness-item').all()) {
      const status = (await item.getAttribute('data-status')) ?? '';
      const success = (await item.getAttribute('data-success')) ?? '';
      views.push({
        job: (await item.getAttribute('data-job')) ?? '',
        status: status || null,
        lastSuccess: success ? (await item.getByTestId('job-freshness-success').innerText()).trim() : null,
      });
    }
    return views;
  }

  /** Follows the strip's link to 定时任务. */
  async openScheduler(): Promise<void> {
    await this.page.getByTestId('job-freshness-open').click();
    await this.page.waitForURL((url) => url.pathname === '/scheduler');
  }

  /** The date shown. */
  async currentDate(): Promise<string | null> {
    return this.root().getAttribute('data-date');
  }

  /** Picks `date` in the date selector and waits for its report. */
  async openDate(date: string): Promise<void> {
    const select = this.page.getByTestId('report-date-select');
    await select.click();
    await this.page.getByTestId(`date-option-${date}`).filter({ visible: true }).click();
    await this.page
      .locator(`[data-testid="reports-page"][data-date="${date}"]:not([data-state="loading"])`)
      .waitFor();
  }

  /** Dates listed in the 数据日期 card, newest first. */
  async availableDates(): Promise<string[]> {
    return textsOf(this.page.getByTestId('report-dates'), 'report-date');
  }

  async summary(): Promise<ReportSummaryView> {
    const value = async (id: string) =>
      Number((await this.page.getByTestId(`summary-${id}-value`).innerText()).replace(/,/g, ''));
    return {
      projects: await value('projects'),
      matched: await value('matched'),
      unmatched: await value('unmatched'),
      overQuota: await value('over-quota'),
      high: await value('high'),
      medium: await value('medium'),
      low: await value('low'),
    };
  }

  /** Clicks a summary count: over-quota and level counts filter the matched table (click again to clear). */
  async clickSummary(item: 'unmatched' | 'over-quota' | 'high' | 'medium' | 'low'): Promise<void> {
    await this.page.getByTestId(`summary-${item}`).click();
  }

  matchedTable(): Locator {
    return this.page.getByTestId('matched-table');
  }

  unmatchedTable(): Locator {
    return this.page.getByTestId('unmatched-table');
  }

  private rowIn(table: Locator, project: string): Locator {
    return tableRows(table).filter({
      has: this.page.locator(`[data-testid="project-name"]:text-is(${JSON.stringify(project)})`),
    });
  }

  /** The matched-projects row of `project` (exact name). */
  rowFor(project: string): Locator {
    return this.rowIn(this.matchedTable(), project);
  }

  /** The unmatched-projects row of `project`. */
  unmatchedRowFor(project: string): Locator {
    return this.rowIn(this.unmatchedTable(), project);
  }

  async row(project: string): Promise<ReportRowView> {
    const row = this.rowFor(project);
    const text = async (testId: string) => (await row.getByTestId(testId).first().innerText()).trim();
    const level = row.getByTestId('level-tag');
    return {
      cloudId: await text('cloud-id'),
      projectName: await text('project-name'),
      cpuUsage: await text('cpu_usage'),
      cpuQuota: await text('cpu_quota'),
      cpuRate: await text('cpu_rate'),
      memoryUsage: await text('memory_usage'),
      memoryQuota: await text('memory_quota'),
      memoryRate: await text('memory_rate'),
      level: (await level.count()) > 0 ? await level.getAttribute('data-level') : null,
      overQuota: (await row.getByTestId('over-quota').count()) > 0,
      source: await text('usage-source'),
    };
  }

  /** Project names on the matched table's current page (20 rows unless changed), in display order. */
  async matchedProjectNames(): Promise<string[]> {
    return textsOf(this.matchedTable(), 'project-name');
  }

  /** Project names on the unmatched table's current page (20 rows unless changed). */
  async unmatchedProjectNames(): Promise<string[]> {
    return textsOf(this.unmatchedTable(), 'project-name');
  }

  /** Filters the matched table by project name or cloud ID. */
  async searchMatched(text: string): Promise<void> {
    await this.page.getByTestId('matched-search').fill(text);
  }

  /** Expands a project (matched or unmatched) and returns its namespaces. */
  async expandNamespaces(project: string): Promise<NamespaceRowView[]> {
    const matched = this.rowFor(project);
    const row = (await matched.count()) > 0 ? matched : this.unmatchedRowFor(project);
    const toggle = row.getByTestId('expand-namespaces');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const panel = this.namespacePanel(project);
    await panel.locator('tbody > tr.ant-table-row, .ant-empty').first().waitFor();
    const views: NamespaceRowView[] = [];
    for (const nsRow of await tableRows(panel).all()) {
      const cluster = (await nsRow.getByTestId('namespace-cluster').innerText()).trim();
      views.push({
        namespace: (await nsRow.getByTestId('namespace-name').innerText()).trim(),
        cluster: cluster === '—' ? null : cluster,
        cpu: (await nsRow.getByTestId('namespace-cpu').innerText()).trim(),
        memory: (await nsRow.getByTestId('namespace-memory').innerText()).trim(),
        source: (await nsRow.getByTestId('usage-source').innerText()).trim(),
        counted: (await nsRow.getByTestId('namespace-counted').count()) > 0,
        hasWorkloads: (await nsRow.getByTestId('namespace-workloads').count()) > 0,
      });
    }
    return views;
  }

  private namespacePanel(project: string): Locator {
    return this.page.locator(`[data-testid="namespace-table"][data-project=${JSON.stringify(project)}]`);
  }

  /**
   * Expands `project`, opens the workload detail of its `namespace` (replica-dedup data) and reads it;
   * the drawer stays open (closeWorkloadDetail()).
   */
  async workloadDetail(project: string, namespace: string): Promise<WorkloadRowView[]> {
    await this.expandNamespaces(project);
    const nsRow = tableRows(this.namespacePanel(project)).filter({
      has: this.page.locator(`[data-testid="namespace-name"]:text-is(${JSON.stringify(namespace)})`),
    });
    await nsRow.getByTestId('namespace-workloads').click();
    const drawer = this.workloadDrawer().and(this.page.locator('[data-state="ready"]'));
    await drawer.waitFor();
    await drawer.and(this.page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
    const rows: WorkloadRowView[] = [];
    for (const row of await tableRows(drawer.getByTestId('workload-table')).all()) {
      const kind = row.getByTestId('workload-kind');
      const text = async (testId: string) => (await row.getByTestId(testId).innerText()).trim();
      rows.push({
        kind: (await kind.getAttribute('data-bare')) === 'true' ? null : (await kind.innerText()).trim(),
        name: await text('workload-name'),
        replicas: await text('workload-replicas'),
        podsSeen: Number(await text('workload-pods-seen')),
        podsKept: Number(await text('workload-pods-kept')),
        cpu: await text('workload-cpu'),
        memory: await text('workload-memory'),
      });
    }
    return rows;
  }

  /** The open workload drawer: each expanded project has its own, and closed ones stay hidden in the DOM. */
  private workloadDrawer(): Locator {
    return this.page.getByTestId('workload-detail').filter({ visible: true });
  }

  async closeWorkloadDetail(): Promise<void> {
    const drawer = this.workloadDrawer();
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  }

  /** Follows an unmatched project's “add quota” link to the prefilled quota form. */
  async addQuotaFor(project: string): Promise<void> {
    await this.unmatchedRowFor(project).getByTestId('unmatched-add-quota').click();
    await this.page.waitForURL((url) => url.pathname === '/quotas');
  }

  /** Deletes the shown date's uploaded data (删除该日上传数据) and waits for the page to settle. */
  async deleteDate(): Promise<void> {
    await this.page.getByTestId('report-delete-day').click();
    await confirmPopup(this.page);
    await this.page.locator('.ant-message-notice').last().waitFor();
    await this.waitSettled();
  }
}
