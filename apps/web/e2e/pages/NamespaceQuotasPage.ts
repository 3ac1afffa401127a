import type { Locator, Page } from 'playwright-core';
import { confirmPopup, saveDownload, tableRows, textsOf } from './antd';
import { importThroughDialog, type ImportOutcome } from './import-dialog';
import { finishSync, type SyncOptions, type SyncResultView } from './sync-dialog';

export interface NamespaceQuotaFilter {
  cluster?: string;
  project?: string;
  /** Substring of namespace or project. */
  search?: string;
}

/**
 * One namespace row as displayed: cores up to 3 decimals, GiB with 2, pods as integers, rates as
 * "37.50%"; "—" where there is no limit.
 */
export interface NamespaceQuotaRowView {
  cluster: string;
  namespace: string;
  /** null when the namespace has no project label. */
  project: string | null;
  cpuUsed: string;
  cpuLimit: string;
  cpuRate: string;
  memoryUsed: string;
  memoryLimit: string;
  memoryRate: string;
  podsUsed: string;
  podsLimit: string;
  podsRate: string;
  storageUsed: string;
  storageLimit: string;
  storageRate: string;
  quotaCount: number;
  source: 'k8s' | 'import';
  syncedAt: string;
}

const RESOURCES = ['cpu', 'memory', 'pods', 'storage'] as const;

/** 命名空间配额 (/namespace-quotas). */
export class NamespaceQuotasPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir?: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/namespace-quotas');
    await this.waitIdle();
  }

  table(): Locator {
    return this.page.getByTestId('ns-table');
  }

  /** Shows only the rows matching `filter`; what it omits is cleared. */
  async filter(filter: NamespaceQuotaFilter): Promise<void> {
    await this.choose('ns-filter-cluster', filter.cluster);
    await this.choose('ns-filter-project', filter.project);
    const search = filter.search ?? '';
    await this.page.getByTestId('ns-search').locator('input').fill(search);
    const key = `${filter.cluster ?? ''}|${filter.project ?? ''}|${search.trim()}`;
    await this.page
      .locator(`[data-testid="ns-table"][data-filter=${JSON.stringify(key)}][data-busy="false"]`)
      .waitFor();
  }

  private async choose(testId: string, value: string | undefined): Promise<void> {
    const select = this.page.getByTestId(testId);
    if (value === undefined) {
      const clear = select.locator('.ant-select-clear');
      if ((await select.locator('.ant-select-content-has-value').count()) > 0) {
        await select.hover();
        await clear.click();
      }
      return;
    }
    await select.click();
    await this.page
      .locator(`.ant-select-dropdown .ant-select-item-option[title=${JSON.stringify(value)}]`)
      .filter({ visible: true })
      .click();
    await select.locator(`.ant-select-content[title=${JSON.stringify(value)}]`).waitFor();
  }

  /** The row of `namespace` in `cluster`. */
  rowFor(cluster: string, namespace: string): Locator {
    return tableRows(this.table())
      .filter({ has: this.page.locator(`[data-testid="ns-cluster"]:text-is(${JSON.stringify(cluster)})`) })
      .filter({
        has: this.page.locator(`[data-testid="ns-namespace"]:text-is(${JSON.stringify(namespace)})`),
      });
  }

  async row(cluster: string, namespace: string): Promise<NamespaceQuotaRowView> {
    return this.readRow(this.rowFor(cluster, namespace));
  }

  /** Every row on the current page (20 unless changed), in display order. */
  async rows(): Promise<NamespaceQuotaRowView[]> {
    const views: NamespaceQuotaRowView[] = [];
    for (const row of await tableRows(this.table()).all()) views.push(await this.readRow(row));
    return views;
  }

  /** Namespaces on the current page, in display order. */
  async namespaces(): Promise<string[]> {
    return textsOf(this.table(), 'ns-namespace');
  }

  private async readRow(row: Locator): Promise<NamespaceQuotaRowView> {
    const text = async (testId: string) => (await row.getByTestId(testId).innerText()).trim();
    const project = row.getByTestId('ns-project');
    const usage: Record<string, string> = {};
    for (const resource of RESOURCES) {
      for (const part of ['used', 'limit', 'rate'] as const) {
        usage[`${resource}-${part}`] = await text(`ns-${resource}-${part}`);
      }
    }
    const at = (resource: string, part: string) => usage[`${resource}-${part}`] ?? '';
    return {
      cluster: await text('ns-cluster'),
      namespace: await text('ns-namespace'),
      project:
        (await project.getAttribute('data-none')) === 'true' ? null : (await project.innerText()).trim(),
      cpuUsed: at('cpu', 'used'),
      cpuLimit: at('cpu', 'limit'),
      cpuRate: at('cpu', 'rate'),
      memoryUsed: at('memory', 'used'),
      memoryLimit: at('memory', 'limit'),
      memoryRate: at('memory', 'rate'),
      podsUsed: at('pods', 'used'),
      podsLimit: at('pods', 'limit'),
      podsRate: at('pods', 'rate'),
      storageUsed: at('storage', 'used'),
      storageLimit: at('storage', 'limit'),
      storageRate: at('storage', 'rate'),
      quotaCount: Number(await text('ns-quota-count')),
      source: (await row.getByTestId('ns-source').getAttribute('data-source')) as 'k8s' | 'import',
      syncedAt: await text('ns-synced-at'),
    };
  }

  /** Whether the page shows its empty state (no namespace quota at all), which links to K8s接入. */
  async isEmpty(): Promise<boolean> {
    await this.waitIdle();
    return this.page.getByTestId('ns-empty').isVisible();
  }

  async deleteNamespaceQuota(cluster: string, namespace: string): Promise<void> {
    const row = this.rowFor(cluster, namespace);
    await row.getByTestId('ns-delete').click();
    await confirmPopup(this.page);
    await row.waitFor({ state: 'detached' });
  }

  /** “同步命名空间配额” of every cluster; the per-cluster results. */
  async syncAll(options: SyncOptions = {}): Promise<SyncResultView> {
    await this.page.getByTestId('ns-sync').click();
    const result = await finishSync(this.page, options);
    await this.waitIdle();
    return result;
  }

  async importNamespaceQuotas(file: string, options: { partial?: boolean } = {}): Promise<ImportOutcome> {
    const outcome = await importThroughDialog(this.page, this.page.getByTestId('ns-import'), file, options, [
      'total_rows',
      'created',
      'updated',
      'unchanged',
      'rejected_rows',
    ] as const);
    await this.waitIdle();
    return outcome;
  }

  /** Downloads the rows of the current filter as Excel; returns the saved file's path. */
  async exportNamespaceQuotas(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('ns-export').click(), this.downloadDir);
  }

  async downloadTemplate(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('ns-template').click(), this.downloadDir);
  }

  async waitIdle(): Promise<void> {
    await this.page.locator('[data-testid="ns-table"][data-busy="false"]').waitFor();
  }
}
