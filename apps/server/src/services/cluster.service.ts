import type {
  ConnectionTest,
  K8sConfig,
  K8sConfigCreate,
  K8sConfigImportResult,
  K8sConfigList,
  K8sConfigUpdate,
} from '@kra/contracts';
import { DEFAULT_PROJECT_LABEL, K8S_CONFIG_TEMPLATE_COLUMNS } from '@kra/contracts';
import type {
  AccessCheck,
  Clock,
  ClusterImportRow,
  ClusterInput,
  ClusterRecord,
  ClusterRepository,
  KubeAccess,
  KubeClient,
  SecretBox,
  SheetWriter,
  WorkbookReader,
} from '../ports';
import { KubeconfigError, KubeError } from '../ports';
import { AppError } from './app-error';
import { NO_WORDS, TemplateSheet, YES_WORDS } from './template-sheet';

/**
 * What the product reads: namespaces and quotas for the quota syncs; every workload kind that
 * replica de-duplication lists (KubeClient.listWorkloads), so a test that passes means it can run.
 */
export const REQUIRED_ACCESS: AccessCheck[] = [
  { verb: 'list', group: '', resource: 'namespaces' },
  { verb: 'list', group: '', resource: 'resourcequotas' },
  { verb: 'list', group: 'apps', resource: 'deployments' },
  { verb: 'list', group: 'apps', resource: 'statefulsets' },
  { verb: 'list', group: 'apps', resource: 'daemonsets' },
  { verb: 'list', group: 'batch', resource: 'jobs' },
  { verb: 'list', group: 'batch', resource: 'cronjobs' },
  { verb: 'list', group: 'auth.alauda.io', resource: 'projectquotas' },
];

export function presentCluster(c: ClusterRecord): K8sConfig {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    server: c.server,
    context: c.context,
    auth_kind: c.authKind,
    insecure_skip_tls_verify: c.insecure,
    use_projectquota: c.useProjectQuota,
    quota_source: c.useProjectQuota ? 'projectquota' : 'resourcequota',
    project_label: c.projectLabel,
    last_test: c.lastTest,
    last_sync_at: c.lastSyncAt,
    last_sync_ok: c.lastSyncOk,
    last_sync_message: c.lastSyncMessage,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export class ClusterService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly access: KubeAccess,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly reader: WorkbookReader,
    private readonly sheets: SheetWriter,
  ) {}

  async list(): Promise<K8sConfigList> {
    return { items: (await this.clusters.list()).map(presentCluster) };
  }

  async get(id: number): Promise<ClusterRecord> {
    const cluster = await this.clusters.get(id);
    if (!cluster) throw new AppError('not_found', 'cluster_not_found', `no cluster with id ${id}`);
    return cluster;
  }

  async create(input: K8sConfigCreate): Promise<K8sConfig> {
    await this.assertNameFree(input.name);
    const connection = this.connection(input.kind, input.kubeconfig);
    const created = await this.clusters.create({
      name: input.name,
      useProjectQuota: input.use_projectquota,
      projectLabel: input.project_label,
      ...connection,
    });
    return presentCluster(created);
  }

  async update(id: number, patch: K8sConfigUpdate): Promise<K8sConfig> {
    const cluster = await this.get(id);
    if (patch.name !== undefined && patch.name !== cluster.name) await this.assertNameFree(patch.name);
    const updated = await this.clusters.update(id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.use_projectquota !== undefined ? { useProjectQuota: patch.use_projectquota } : {}),
      ...(patch.project_label !== undefined ? { projectLabel: patch.project_label } : {}),
      ...(patch.kubeconfig !== undefined ? this.connection(cluster.kind, patch.kubeconfig) : {}),
    });
    return presentCluster(updated!);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.clusters.delete(id)))
      throw new AppError('not_found', 'cluster_not_found', `no cluster with id ${id}`);
  }

  /**
   * Re-encrypts every stored kubeconfig under the current key (after KRA_SECRET_KEY changed and the
   * old key moved to KRA_SECRET_KEY_PREVIOUS); returns how many were re-sealed.
   */
  async resealSecrets(): Promise<{ resealed: number; current: number }> {
    let resealed = 0;
    let current = 0;
    for (const cluster of await this.clusters.list()) {
      if (cluster.sealedKubeconfig === null) continue;
      if (this.secrets.isCurrent(cluster.sealedKubeconfig)) {
        current += 1;
        continue;
      }
      await this.clusters.update(cluster.id, {
        sealedKubeconfig: this.secrets.seal(this.secrets.open(cluster.sealedKubeconfig)),
      });
      resealed += 1;
    }
    return { resealed, current };
  }

  /** A client for the cluster's stored connection. */
  async client(cluster: ClusterRecord): Promise<KubeClient> {
    if (cluster.kind === 'in-cluster') return this.access.connect({ kind: 'in-cluster' });
    if (cluster.sealedKubeconfig === null)
      throw new KubeError('config', `cluster "${cluster.name}" has no kubeconfig`);
    return this.access.connect({
      kind: 'kubeconfig',
      kubeconfig: this.secrets.open(cluster.sealedKubeconfig),
    });
  }

  /**
   * Server version, who the credentials are, and whether they may read what the syncs need. Any
   * failure becomes a test result with a message a user can act on; nothing here throws.
   */
  async test(id: number): Promise<ConnectionTest> {
    const cluster = await this.get(id);
    const started = this.clock.now().getTime();
    const result: ConnectionTest = {
      at: this.clock.now().toISOString(),
      ok: false,
      message: '',
      error_kind: null,
      version: null,
      identity: null,
      groups: [],
      permissions: [],
      projectquota_crd: null,
      duration_ms: 0,
    };
    try {
      const client = await this.client(cluster);
      result.version = await client.version();
      try {
        const who = await client.whoAmI();
        result.identity = who.username;
        result.groups = who.groups;
      } catch (error) {
        // SelfSubjectReview is served from Kubernetes 1.28 (beta from 1.27): older servers answer 404.
        if (!(error instanceof KubeError && error.kind === 'not_found')) throw error;
      }
      result.permissions = await client.reviewAccess(REQUIRED_ACCESS);
      result.projectquota_crd = await client.hasProjectQuotas();
      const denied = result.permissions.filter(
        (p) => !p.allowed && (p.resource !== 'projectquotas' || result.projectquota_crd),
      );
      result.ok = denied.length === 0;
      result.message = result.ok
        ? `connected to ${cluster.server} (${result.version})${result.identity ? ` as ${result.identity}` : ''}`
        : `connected, but may not ${denied.map((p) => `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}`).join(', ')}`;
      if (!result.ok) result.error_kind = 'forbidden';
    } catch (error) {
      const kube =
        error instanceof KubeError
          ? error
          : new KubeError('config', error instanceof Error ? error.message : String(error));
      result.error_kind = kube.kind;
      result.message = kube.message;
    }
    result.duration_ms = this.clock.now().getTime() - started;
    await this.clusters.saveTest(id, result);
    return result;
  }

  /**
   * Creates or updates clusters by name from the seed's template (集群名称 | Kubeconfig | 使用ProjectQuota).
   * Every row is checked first; with any error nothing is stored unless `partial`.
   */
  async importWorkbook(
    data: Buffer,
    fileName: string,
    options: { partial: boolean },
  ): Promise<K8sConfigImportResult> {
    const [NAME, KUBECONFIG, PROJECTQUOTA] = K8S_CONFIG_TEMPLATE_COLUMNS;
    const sheet = await TemplateSheet.read(this.reader, data, fileName, K8S_CONFIG_TEMPLATE_COLUMNS);
    const valid: ClusterImportRow[] = [];
    const firstRowOf = new Map<string, number>();
    for (const row of sheet.rows) {
      const name = sheet.text(row, NAME);
      const kubeconfig = sheet.text(row, KUBECONFIG);
      const flag = sheet.text(row, PROJECTQUOTA).toLowerCase();
      if (name === '') sheet.fail(row, NAME, '集群名称 is empty');
      else if (firstRowOf.has(name))
        sheet.fail(row, NAME, `cluster "${name}" already appears in row ${firstRowOf.get(name)}`);
      else firstRowOf.set(name, row.row);
      let connection: Omit<ClusterInput, 'name' | 'useProjectQuota' | 'projectLabel'> | undefined;
      if (kubeconfig === '') sheet.fail(row, KUBECONFIG, 'Kubeconfig is empty');
      else {
        try {
          connection = this.connection('kubeconfig', kubeconfig);
        } catch (error) {
          sheet.fail(row, KUBECONFIG, error instanceof AppError ? error.message : String(error));
        }
      }
      if (!YES_WORDS.has(flag) && !NO_WORDS.has(flag))
        sheet.fail(row, PROJECTQUOTA, `"${flag}" is not 是/否 (yes/no)`);
      // An empty cell leaves an existing cluster's quota source as it is (a new one reads ProjectQuotas).
      if (!sheet.hasErrors(row) && connection)
        valid.push({ name, ...(flag === '' ? {} : { useProjectQuota: YES_WORDS.has(flag) }), ...connection });
    }
    sheet.assertStorable('k8s_config_import_invalid', valid.length, options.partial);
    // The template has no project-label column: only a cluster it creates gets the default label.
    const outcome =
      valid.length > 0
        ? await this.clusters.upsertMany(valid, {
            useProjectQuota: true,
            projectLabel: DEFAULT_PROJECT_LABEL,
          })
        : { created: 0, updated: 0 };
    return { stored: valid.length > 0, total_rows: sheet.rows.length, ...outcome, errors: sheet.errors };
  }

  template(): Promise<Buffer> {
    return this.sheets.write([
      {
        name: 'K8s集群',
        header: [...K8S_CONFIG_TEMPLATE_COLUMNS],
        rows: [['prod-cluster', '粘贴 kubeconfig 的 YAML 原文，或其 Base64 编码', '是']],
        widths: [20, 80, 18],
      },
    ]);
  }

  /** Checks and seals a kubeconfig; the error lists every problem and never a secret. */
  private connection(
    kind: ClusterRecord['kind'],
    kubeconfig: string | undefined,
  ): Omit<ClusterInput, 'name' | 'useProjectQuota' | 'projectLabel'> {
    if (kind === 'in-cluster') {
      let server: string;
      try {
        server = this.access.inspectInCluster().server;
      } catch (error) {
        if (!(error instanceof KubeError)) throw error;
        throw new AppError('invalid_input', 'in_cluster_unavailable', error.message, [
          { code: 'in_cluster_unavailable', field: 'kind', message: error.message },
        ]);
      }
      return { kind, sealedKubeconfig: null, server, context: null, authKind: 'in-cluster', insecure: false };
    }
    if (kubeconfig === undefined || kubeconfig.trim() === '') {
      throw new AppError(
        'invalid_input',
        'kubeconfig_missing',
        'a kubeconfig is required (YAML or base64), or choose the in-cluster kind',
        [{ code: 'kubeconfig_missing', field: 'kubeconfig', message: 'kubeconfig is empty' }],
      );
    }
    try {
      const summary = this.access.inspect(kubeconfig);
      return {
        kind,
        sealedKubeconfig: this.secrets.seal(summary.text),
        server: summary.server,
        context: summary.context,
        authKind: summary.authKind,
        insecure: summary.insecure,
      };
    } catch (error) {
      if (!(error instanceof KubeconfigError)) throw error;
      throw new AppError(
        'invalid_input',
        'invalid_kubeconfig',
        `kubeconfig: ${error.problems.join('; ')}`,
        error.problems.map((p) => ({ code: 'invalid_kubeconfig', field: 'kubeconfig', message: p })),
      );
    }
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.clusters.findByName(name)) {
      throw new AppError('conflict', 'cluster_exists', `a cluster named "${name}" already exists`, [
        { code: 'cluster_exists', field: 'name', message: `name "${name}" is taken` },
      ]);
    }
  }
}
