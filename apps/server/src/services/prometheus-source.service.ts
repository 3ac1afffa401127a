import { PROMETHEUS_TEMPLATE_COLUMNS } from '@kra/contracts';
import type {
  PrometheusConfig,
  PrometheusConfigCreate,
  PrometheusConfigList,
  PrometheusConfigUpdate,
  PrometheusImportResult,
  PrometheusTest,
} from '@kra/contracts';
import { selectorProblem, stepProblem } from '../domain/promql';
import type { MemoryMetric, UsageStrategy } from '../domain/promql';
import type {
  Clock,
  PrometheusAccess,
  PrometheusClient,
  PrometheusConnection,
  PrometheusSourceInput,
  PrometheusSourceRecord,
  PrometheusSourceRepository,
  SecretBox,
  SheetWriter,
  WorkbookReader,
} from '../ports';
import { PromError, SecretUnreadableError } from '../ports';
import { AppError } from './app-error';
import { NO_WORDS, TemplateSheet, YES_WORDS } from './template-sheet';

const DEFAULTS = {
  memoryMetric: 'usage_bytes' as MemoryMetric,
  step: '1m',
  timeoutSeconds: 60,
  tolerance: 1.5,
};

/** What a row of the source template sets (精确同步 decides the strategy). */
const TEMPLATE_FIELDS = ['url', 'clusterName', 'strategy'] as const;

export function presentSource(s: PrometheusSourceRecord): PrometheusConfig {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    cluster_name: s.clusterName,
    selector: s.selector,
    strategy: s.strategy,
    use_accurate_sync: s.strategy === 'replica-dedup',
    memory_metric: s.memoryMetric,
    step: s.step,
    timeout_seconds: s.timeoutSeconds,
    tolerance: s.tolerance,
    auth_kind: s.authKind,
    username: s.username,
    header_names: s.headerNames,
    has_ca: s.caPem !== null,
    insecure_skip_tls_verify: s.insecure,
    last_test: s.lastTest,
    last_sync_at: s.lastSyncAt,
    last_sync_ok: s.lastSyncOk,
    last_sync_message: s.lastSyncMessage,
    last_sync: s.lastSync,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_input', 'invalid_value', `${field}: ${message}`, [
    { code: 'invalid_value', field, message: `${field}: ${message}` },
  ]);
}

export class PrometheusSourceService {
  constructor(
    private readonly sources: PrometheusSourceRepository,
    private readonly access: PrometheusAccess,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly reader: WorkbookReader,
    private readonly sheets: SheetWriter,
  ) {}

  async list(): Promise<PrometheusConfigList> {
    return { items: (await this.sources.list()).map(presentSource) };
  }

  async get(id: number): Promise<PrometheusSourceRecord> {
    const source = await this.sources.get(id);
    if (!source)
      throw new AppError('not_found', 'prometheus_not_found', `no Prometheus source with id ${id}`);
    return source;
  }

  async create(input: PrometheusConfigCreate): Promise<PrometheusConfig> {
    if (await this.sources.findByName(input.name)) {
      throw new AppError(
        'conflict',
        'prometheus_exists',
        `a Prometheus source named "${input.name}" already exists`,
        [{ code: 'prometheus_exists', field: 'name', message: `name "${input.name}" is taken` }],
      );
    }
    const fields = this.fields(input, undefined);
    await this.assertClusterFree(fields.clusterName, undefined);
    return presentSource(await this.sources.create(fields));
  }

  async update(id: number, patch: PrometheusConfigUpdate): Promise<PrometheusConfig> {
    const current = await this.get(id);
    if (
      patch.name !== undefined &&
      patch.name !== current.name &&
      (await this.sources.findByName(patch.name))
    ) {
      throw new AppError(
        'conflict',
        'prometheus_exists',
        `a Prometheus source named "${patch.name}" already exists`,
      );
    }
    const fields = this.fields(patch, current);
    if (fields.clusterName !== current.clusterName) await this.assertClusterFree(fields.clusterName, id);
    return presentSource((await this.sources.update(id, fields))!);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.sources.delete(id)))
      throw new AppError('not_found', 'prometheus_not_found', `no Prometheus source with id ${id}`);
  }

  /**
   * Re-encrypts every stored token, password and header set under the current key (after
   * KRA_SECRET_KEY changed and the old key moved to KRA_SECRET_KEY_PREVIOUS); counts the values.
   */
  async resealSecrets(): Promise<{ resealed: number; current: number }> {
    let resealed = 0;
    let current = 0;
    for (const source of await this.sources.list()) {
      const patch: Pick<Partial<PrometheusSourceInput>, 'sealedSecret' | 'sealedHeaders'> = {};
      for (const field of ['sealedSecret', 'sealedHeaders'] as const) {
        const sealed = source[field];
        if (sealed === null) continue;
        if (this.secrets.isCurrent(sealed)) {
          current += 1;
          continue;
        }
        patch[field] = this.secrets.seal(this.secrets.open(sealed));
        resealed += 1;
      }
      if (Object.keys(patch).length > 0) await this.sources.update(source.id, patch);
    }
    return { resealed, current };
  }

  connection(source: PrometheusSourceRecord): PrometheusConnection {
    const secret = source.sealedSecret === null ? '' : this.secrets.open(source.sealedSecret);
    return {
      url: source.url,
      auth:
        source.authKind === 'bearer'
          ? { kind: 'bearer', token: secret }
          : source.authKind === 'basic'
            ? { kind: 'basic', username: source.username ?? '', password: secret }
            : { kind: 'none' },
      headers:
        source.sealedHeaders === null
          ? {}
          : (JSON.parse(this.secrets.open(source.sealedHeaders)) as Record<string, string>),
      caPem: source.caPem,
      insecure: source.insecure,
      timeoutMs: source.timeoutSeconds * 1000,
    };
  }

  client(source: PrometheusSourceRecord): PrometheusClient {
    return this.access.connect(this.connection(source));
  }

  /** Version and build info, the scrape targets the selector sees, and whether the needed metrics exist. */
  async test(id: number): Promise<PrometheusTest> {
    const source = await this.get(id);
    const started = this.clock.now().getTime();
    const result: PrometheusTest = {
      at: this.clock.now().toISOString(),
      ok: false,
      message: '',
      error_kind: null,
      version: null,
      up_series: null,
      metrics: [],
      duration_ms: 0,
    };
    const sel = source.selector ? `{${source.selector}}` : '';
    const now = Math.floor(this.clock.now().getTime() / 1000);
    try {
      const client = this.client(source);
      result.version = (await client.buildInfo()).version;
      result.up_series = (await client.query(`count(up${sel})`, now))[0]?.value ?? 0;
      for (const name of ['container_cpu_usage_seconds_total', `container_memory_${source.memoryMetric}`]) {
        result.metrics.push({
          name,
          series: (await client.query(`count(${name}${sel})`, now))[0]?.value ?? 0,
        });
      }
      const missing = result.metrics.filter((m) => m.series === 0).map((m) => m.name);
      result.ok = missing.length === 0;
      result.message = result.ok
        ? `Prometheus ${result.version}: ${result.metrics.map((m) => `${m.series} ${m.name} series`).join(', ')}`
        : `connected to Prometheus ${result.version}, but ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} no series${source.selector ? ` for ${source.selector}` : ''} right now`;
      if (!result.ok) result.error_kind = 'no_metrics';
    } catch (error) {
      if (error instanceof SecretUnreadableError) {
        result.error_kind = 'secret_unreadable';
        result.message = `${source.name}: ${error.message}`;
      } else if (error instanceof PromError) {
        result.error_kind = error.kind;
        result.message = error.message;
      } else throw error;
    }
    result.duration_ms = this.clock.now().getTime() - started;
    await this.sources.saveTest(id, result);
    return result;
  }

  /** Creates or updates by name from the seed's template (配置名称 | Prometheus URL | 集群名称 | 精确同步). */
  async importWorkbook(
    data: Buffer,
    fileName: string,
    options: { partial: boolean },
  ): Promise<PrometheusImportResult> {
    const [NAME, URL_COLUMN, CLUSTER, ACCURATE] = PROMETHEUS_TEMPLATE_COLUMNS;
    const sheet = await TemplateSheet.read(this.reader, data, fileName, PROMETHEUS_TEMPLATE_COLUMNS);
    const valid: PrometheusSourceInput[] = [];
    const firstRow = new Map<string, number>();
    const imported = new Set(sheet.rows.map((r) => sheet.text(r, NAME)));
    const stored = await this.sources.list();
    const existing = new Map(stored.map((s) => [s.name, s]));
    const clusterHolders = new Map(
      stored.filter((s) => !imported.has(s.name)).map((s) => [s.clusterName, s.name]),
    );
    for (const row of sheet.rows) {
      const name = sheet.text(row, NAME);
      if (name === '') sheet.fail(row, NAME, '配置名称 is empty');
      else if (firstRow.has(name))
        sheet.fail(row, NAME, `"${name}" already appears in row ${firstRow.get(name)}`);
      else firstRow.set(name, row.row);
      const accurate = sheet.text(row, ACCURATE).toLowerCase();
      if (!YES_WORDS.has(accurate) && !NO_WORDS.has(accurate))
        sheet.fail(row, ACCURATE, `"${accurate}" is not 是/否 (yes/no)`);
      let fields: PrometheusSourceInput | undefined;
      try {
        fields = this.fields(
          {
            name,
            url: sheet.text(row, URL_COLUMN),
            cluster_name: sheet.text(row, CLUSTER),
            use_accurate_sync: YES_WORDS.has(accurate),
          },
          existing.get(name),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const field = error.details[0]?.field;
        sheet.fail(
          row,
          field === 'url' ? URL_COLUMN : field === 'cluster_name' ? CLUSTER : NAME,
          error.message.replace(/^\w+: /, ''),
        );
      }
      if (fields && !sheet.hasErrors(row)) {
        const holder = clusterHolders.get(fields.clusterName);
        if (holder !== undefined && holder !== fields.name)
          sheet.fail(
            row,
            CLUSTER,
            `cluster "${fields.clusterName}" is already measured by source "${holder}"`,
          );
        else clusterHolders.set(fields.clusterName, fields.name);
      }
      if (!sheet.hasErrors(row) && fields) valid.push(fields);
    }
    sheet.assertStorable('prometheus_import_invalid', valid.length, options.partial);
    // A source already there keeps what the template does not say: auth, TLS, selector, step…
    const outcome =
      valid.length > 0 ? await this.sources.upsertMany(valid, TEMPLATE_FIELDS) : { created: 0, updated: 0 };
    return { stored: valid.length > 0, total_rows: sheet.rows.length, ...outcome, errors: sheet.errors };
  }

  template(): Promise<Buffer> {
    return this.sheets.write([
      {
        name: 'Prometheus',
        header: [...PROMETHEUS_TEMPLATE_COLUMNS],
        rows: [['prod-prometheus', 'https://prometheus.example.internal:9090', 'prod-cluster', '是']],
        widths: [22, 44, 20, 12],
      },
    ]);
  }

  /**
   * One source per cluster: every source's rows add to the day's usage, so two sources measuring
   * the same cluster would count each namespace twice.
   */
  private async assertClusterFree(clusterName: string, exceptId: number | undefined): Promise<void> {
    const other = (await this.sources.list()).find((s) => s.clusterName === clusterName && s.id !== exceptId);
    if (other) {
      throw new AppError(
        'conflict',
        'cluster_measured',
        `cluster "${clusterName}" is already measured by Prometheus source "${other.name}"; one source per cluster, or its usage would be counted twice`,
        [
          {
            code: 'cluster_measured',
            field: 'cluster_name',
            message: `cluster "${clusterName}" already has a source`,
          },
        ],
      );
    }
  }

  /** Validated fields of a create (no `current`) or an update; omitted secret and headers are kept. */
  private fields(
    input: PrometheusConfigUpdate,
    current: PrometheusSourceRecord | undefined,
  ): PrometheusSourceInput {
    const url = input.url ?? current?.url;
    const clusterName = input.cluster_name ?? current?.clusterName;
    if (!url) throw invalid('url', 'is required');
    try {
      if (!['http:', 'https:'].includes(new URL(url).protocol)) throw new Error();
    } catch {
      throw invalid('url', `"${url}" is not an http:// or https:// URL`);
    }
    if (!clusterName) throw invalid('cluster_name', 'is required');
    const selector = input.selector !== undefined ? input.selector || null : (current?.selector ?? null);
    if (selector) {
      const problem = selectorProblem(selector);
      if (problem) throw invalid('selector', problem);
    }
    const step = input.step ?? current?.step ?? DEFAULTS.step;
    const stepIssue = stepProblem(step);
    if (stepIssue) throw invalid('step', stepIssue);
    const currentStrategy = current?.strategy ?? 'pod-peak';
    // 精确同步 = 否 only says "not replica-dedup": concurrent-peak and average stay what they are.
    const strategy: UsageStrategy =
      input.strategy ??
      (input.use_accurate_sync === true
        ? 'replica-dedup'
        : input.use_accurate_sync === false && currentStrategy === 'replica-dedup'
          ? 'pod-peak'
          : currentStrategy);
    const authKind = input.auth_kind ?? current?.authKind ?? 'none';
    if (current && authKind !== current.authKind && authKind !== 'none' && input.secret === undefined) {
      // A token is not a password: switching bearer ↔ basic without a new secret would reuse the old one.
      throw invalid(
        'secret',
        `give the ${authKind === 'bearer' ? 'token' : 'password'} for ${authKind} authentication`,
      );
    }
    const username = input.username !== undefined ? input.username : (current?.username ?? null);
    const sealedSecret =
      input.secret !== undefined
        ? input.secret === ''
          ? null
          : this.secrets.seal(input.secret)
        : (current?.sealedSecret ?? null);
    if (authKind !== 'none' && sealedSecret === null)
      throw invalid(
        'secret',
        authKind === 'bearer' ? 'a bearer token is required' : 'a password is required',
      );
    if (authKind === 'basic' && !username) throw invalid('username', 'is required for basic auth');
    const headers = input.headers;
    return {
      name: input.name ?? current!.name,
      url: url.replace(/\/+$/, ''),
      clusterName,
      selector,
      strategy,
      memoryMetric: input.memory_metric ?? current?.memoryMetric ?? DEFAULTS.memoryMetric,
      step,
      timeoutSeconds: input.timeout_seconds ?? current?.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
      tolerance: input.tolerance ?? current?.tolerance ?? DEFAULTS.tolerance,
      authKind,
      username: authKind === 'basic' ? username : null,
      sealedSecret: authKind === 'none' ? null : sealedSecret,
      sealedHeaders:
        headers !== undefined
          ? Object.keys(headers).length > 0
            ? this.secrets.seal(JSON.stringify(headers))
            : null
          : (current?.sealedHeaders ?? null),
      headerNames: headers !== undefined ? Object.keys(headers).sort() : (current?.headerNames ?? []),
      caPem: input.ca_pem !== undefined ? input.ca_pem || null : (current?.caPem ?? null),
      insecure: input.insecure_skip_tls_verify ?? current?.insecure ?? false,
    };
  }
}
