import type { Locator, Page } from 'playwright-core';
import { confirmPopup, FORM_ERROR, formErrors, saveDownload, saveWasSent, tableRows, textsOf } from './antd';
import { importThroughDialog, type ImportOutcome } from './import-dialog';
import { finishSync, type SyncOptions, type SyncResultView } from './sync-dialog';

export type QuotaSourceChoice = 'projectquota' | 'resourcequota';

export interface ClusterInput {
  name: string;
  /** Pasted into the kubeconfig box: YAML or base64. */
  kubeconfig?: string;
  /** A file chosen with “选择文件” instead (read by the browser). */
  kubeconfigFile?: string;
  /** Connect with the service's own ServiceAccount: no kubeconfig. */
  inCluster?: boolean;
  quotaSource?: QuotaSourceChoice;
  /** A label key, or null for "namespace = project"; a preset's key picks that preset, any other is typed. */
  projectLabel?: string | null;
}

/** One cluster row as displayed. */
export interface ClusterRowView {
  name: string;
  server: string;
  /** The auth kind as the API names it: token, client-certificate, exec, … */
  authKind: string;
  quotaSource: QuotaSourceChoice;
  /** The label key, or null when the namespace is the project. */
  projectLabel: string | null;
  tlsWarning: boolean;
  /** The last connection test: none, ok or failed; and the tag's text. */
  lastTest: 'none' | 'ok' | 'failed';
  lastTestText: string;
  /** null when never synced. */
  lastSyncOk: boolean | null;
}

/** A connection test as the drawer shows it. */
export interface ConnectionTestView {
  ok: boolean;
  /** unauthorized, forbidden, tls, timeout, unreachable, not_found, server, config; null when ok. */
  errorKind: string | null;
  /** The alert's title, e.g. "连接正常" / "认证失败". */
  title: string;
  /** The server's message of a failure. */
  message: string | null;
  /** What to check, for a failure. */
  hint: string | null;
  version: string | null;
  identity: string | null;
  groups: string[];
  /**
   * Each required permission: `resource` as the API names it; `needed` is false for projectquotas without the
   * CRD; `purpose` is the text saying what reads it.
   */
  permissions: { resource: string; allowed: boolean; needed: boolean; purpose: string }[];
  projectQuotaCrd: boolean | null;
}

const PRESETS: Record<string, string> = {
  'cpaas.io/project': 'alauda',
  'field.cattle.io/projectId': 'rancher',
  'capsule.clastix.io/tenant': 'capsule',
};

/** K8s接入 (/k8s). */
export class ClustersPage {
  constructor(
    readonly page: Page,
    private readonly downloadDir?: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto('/k8s');
    await this.waitIdle();
  }

  table(): Locator {
    return this.page.getByTestId('cluster-table');
  }

  rowFor(name: string): Locator {
    return tableRows(this.table()).filter({
      has: this.page.locator(`[data-testid="cluster-name"]:text-is(${JSON.stringify(name)})`),
    });
  }

  /** Cluster names in display order. */
  async names(): Promise<string[]> {
    return textsOf(this.table(), 'cluster-name');
  }

  async row(name: string): Promise<ClusterRowView> {
    const row = this.rowFor(name);
    const attr = async (testId: string, attribute: string) =>
      (await row.getByTestId(testId).getAttribute(attribute)) ?? '';
    const lastSync = await attr('cluster-last-sync', 'data-ok');
    return {
      name,
      server: (await row.getByTestId('cluster-server').innerText()).trim(),
      authKind: await attr('cluster-auth', 'data-auth'),
      quotaSource: (await attr('cluster-quota-source', 'data-source')) as QuotaSourceChoice,
      projectLabel: (await attr('cluster-project-label', 'data-label')) || null,
      tlsWarning: (await row.getByTestId('cluster-tls-warning').count()) > 0,
      lastTest: (await attr('cluster-last-test', 'data-state')) as ClusterRowView['lastTest'],
      lastTestText: (await row.getByTestId('cluster-last-test').innerText()).trim(),
      lastSyncOk: lastSync === '' ? null : lastSync === 'true',
    };
  }

  private form(): Locator {
    return this.page.getByTestId('cluster-form');
  }

  private async fillForm(input: Partial<ClusterInput>): Promise<void> {
    const form = this.form();
    if (input.name !== undefined) await form.getByTestId('cluster-form-name').fill(input.name);
    if (input.inCluster !== undefined) {
      await form.getByTestId(`cluster-form-kind-${input.inCluster ? 'in-cluster' : 'kubeconfig'}`).click();
    }
    if (input.kubeconfig !== undefined)
      await form.getByTestId('cluster-form-kubeconfig').fill(input.kubeconfig);
    if (input.kubeconfigFile !== undefined) {
      const before = await form.getByTestId('cluster-form-kubeconfig').inputValue();
      await form
        .getByTestId('cluster-form-kubeconfig-file')
        .locator('input[type=file]')
        .setInputFiles(input.kubeconfigFile);
      // The browser reads the file asynchronously into the box.
      await this.page.waitForFunction((previous) => {
        const box = document.querySelector<HTMLTextAreaElement>('[data-testid="cluster-form-kubeconfig"]');
        return box !== null && box.value !== previous;
      }, before);
    }
    if (input.quotaSource !== undefined)
      await form.getByTestId(`cluster-form-source-${input.quotaSource}`).click();
    if (input.projectLabel !== undefined) await this.setProjectLabel(input.projectLabel);
  }

  private async setProjectLabel(label: string | null): Promise<void> {
    const form = this.form();
    const preset = label === null ? 'namespace' : PRESETS[label];
    if (preset) {
      await form.getByTestId(`cluster-form-label-${preset}`).click();
      return;
    }
    await form.getByTestId('cluster-form-label-custom').click();
    await form.getByTestId('cluster-form-label-input').fill(label ?? '');
  }

  /**
   * Saves the open drawer. Returns [] once saved (the drawer closes), else every error it shows: the
   * fields' messages (each kubeconfig problem on its own) and the server's error.
   */
  private async saveForm(): Promise<string[]> {
    const state = this.form().locator('.form-state');
    const before = (await state.getAttribute('data-saved-at')) ?? '0';
    await this.form().getByTestId('cluster-form-save').click();
    const sent = await saveWasSent(this.form(), '.form-state', before);
    if (sent) {
      await this.form()
        .locator('.form-state:is([data-save-status="success"], [data-save-status="error"])')
        .waitFor({ state: 'attached' });
      if ((await state.getAttribute('data-save-status')) === 'success') {
        await this.form().getByTestId('cluster-form-save').waitFor({ state: 'hidden' });
        await this.waitIdle();
        return [];
      }
      await this.form().locator(`${FORM_ERROR}, [data-testid="api-error"]`).first().waitFor();
    }
    const serverErrors = await this.form().getByTestId('api-error').allInnerTexts();
    return [...serverErrors, ...(await formErrors(this.form()))].map((e) => e.trim());
  }

  /** Adds a cluster through “添加集群”. Returns the errors shown, [] once saved (the drawer stays open otherwise). */
  async addCluster(input: ClusterInput): Promise<string[]> {
    await this.page.getByTestId('cluster-add').click();
    await this.form().getByTestId('cluster-form-name').waitFor();
    await this.fillForm(input);
    return this.saveForm();
  }

  /** Edits a cluster; an omitted kubeconfig keeps the stored one. Returns the errors shown, [] once saved. */
  async editCluster(name: string, patch: Partial<Omit<ClusterInput, 'inCluster'>>): Promise<string[]> {
    await this.rowFor(name).getByTestId('cluster-edit').click();
    await this.form().getByTestId('cluster-form-name').waitFor();
    await this.fillForm(patch);
    return this.saveForm();
  }

  /** Closes the add/edit drawer without saving. */
  async cancelForm(): Promise<void> {
    await this.form().getByTestId('cluster-form-cancel').click();
    await this.form().waitFor({ state: 'hidden' });
  }

  /** Runs “测试连接” on a cluster and reads the result; the drawer is closed unless `keepOpen`. */
  async testConnection(name: string, options: { keepOpen?: boolean } = {}): Promise<ConnectionTestView> {
    await this.rowFor(name).getByTestId('cluster-test').click();
    const drawer = this.page.locator(
      '[data-testid="connection-test"]:is([data-state="done"], [data-state="error"])',
    );
    await drawer.waitFor({ timeout: 60_000 });
    // Read (and let callers screenshot) the drawer only once its opening slide has finished.
    await drawer.and(this.page.locator(':not([class*="-enter"]):not([class*="-appear"])')).waitFor();
    const view = await this.readTest(drawer);
    if (!options.keepOpen) await this.closeTest();
    return view;
  }

  private async readTest(drawer: Locator): Promise<ConnectionTestView> {
    const result = drawer.getByTestId('connection-test-result');
    const optional = async (testId: string) => {
      const el = drawer.getByTestId(testId);
      return (await el.count()) > 0 ? (await el.innerText()).trim() : null;
    };
    const permissions: ConnectionTestView['permissions'] = [];
    for (const item of await drawer.getByTestId('test-permission').all()) {
      permissions.push({
        resource: (await item.getAttribute('data-resource')) ?? '',
        allowed: (await item.getAttribute('data-allowed')) === 'true',
        needed: (await item.getAttribute('data-needed')) === 'true',
        purpose: (await item.getByTestId('test-permission-purpose').innerText()).trim(),
      });
    }
    const crd = await result.getAttribute('data-crd');
    return {
      ok: (await result.getAttribute('data-ok')) === 'true',
      errorKind: (await result.getAttribute('data-error-kind')) || null,
      title: (await result.locator('.ant-alert-title').first().innerText()).trim(),
      message: await optional('test-message'),
      hint: await optional('test-hint'),
      version: await optional('test-version'),
      identity: await optional('test-identity'),
      groups: await textsOf(drawer, 'test-group'),
      permissions,
      projectQuotaCrd: crd === 'true' ? true : crd === 'false' ? false : null,
    };
  }

  /** Closes the connection-test drawer. */
  async closeTest(): Promise<void> {
    const drawer = this.page.getByTestId('connection-test');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  }

  /** Ticks exactly the rows of `names` (none: the syncs then cover every cluster). */
  async selectClusters(names: string[]): Promise<void> {
    for (const listed of await this.names()) {
      const box = this.rowFor(listed).locator('.ant-table-selection-column input');
      if ((await box.isChecked()) !== names.includes(listed)) await box.click();
    }
  }

  private async sync(
    button: string,
    names: string[] | undefined,
    options: SyncOptions,
  ): Promise<SyncResultView> {
    await this.selectClusters(names ?? []);
    await this.page.getByTestId(button).click();
    const result = await finishSync(this.page, options);
    await this.waitIdle();
    return result;
  }

  /** “同步命名空间配额” for `names` (all clusters when omitted); the per-cluster results. */
  async syncNamespaces(names?: string[], options: SyncOptions = {}): Promise<SyncResultView> {
    return this.sync('cluster-sync-namespaces', names, options);
  }

  /** “同步项目配额” for `names` (all clusters when omitted); the per-cluster results and skipped manual projects. */
  async syncProjectQuotas(names?: string[], options: SyncOptions = {}): Promise<SyncResultView> {
    return this.sync('cluster-sync-projects', names, options);
  }

  async deleteCluster(name: string): Promise<void> {
    const row = this.rowFor(name);
    await row.getByTestId('cluster-delete').click();
    await confirmPopup(this.page);
    await row.waitFor({ state: 'detached' });
  }

  /** Imports the cluster template through “批量导入”. Rejected rows = data rows neither created nor updated. */
  async importClusters(
    file: string,
    options: { partial?: boolean } = {},
  ): Promise<ImportOutcome<'total_rows' | 'created' | 'updated' | 'rejected_rows'>> {
    const outcome = await importThroughDialog(
      this.page,
      this.page.getByTestId('cluster-import'),
      file,
      options,
      ['total_rows', 'created', 'updated', 'rejected_rows'] as const,
    );
    await this.waitIdle();
    return outcome;
  }

  async downloadTemplate(): Promise<string> {
    return saveDownload(this.page, () => this.page.getByTestId('cluster-template').click(), this.downloadDir);
  }

  async waitIdle(): Promise<void> {
    await this.page.locator('[data-testid="cluster-table"][data-busy="false"]').waitFor();
  }
}
