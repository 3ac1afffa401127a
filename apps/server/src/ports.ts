import type { Writable } from 'node:stream';
import type {
  AuthKind,
  ClusterKind,
  ConnectionTest,
  ErrorDetail,
  ExportFormat,
  Permission,
  PrometheusTest,
  SourceSyncResult,
  UsageSource,
} from '@kra/contracts';
import type { MemoryMetric, UsageStrategy } from './domain/promql';
import type { ProjectClusterQuota, QuotaFigures } from './domain/quota-figures';
import type { Workload, WorkloadUsage } from './domain/replica-dedup';
import type { JobKey, Timing } from './domain/schedule';
import type { ExportRate } from './domain/export-rows';
import type { SheetCell } from './domain/sheet-cell';

/** A project quota in base units (cores, bytes). */
export interface QuotaRecord {
  cloudId: string;
  projectName: string;
  cpuCores: number;
  memoryBytes: number;
  source: string;
  updatedAt: string;
}

export type QuotaInput = Omit<QuotaRecord, 'updatedAt' | 'source'>;

export interface QuotaUpsertOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ProjectQuotaRepository {
  list(search?: string): Promise<QuotaRecord[]>;
  get(cloudId: string): Promise<QuotaRecord | undefined>;
  findByProjectName(projectName: string): Promise<QuotaRecord | undefined>;
  create(input: QuotaInput, source: string): Promise<QuotaRecord>;
  /**
   * Changes a quota; `cloudId` in the patch re-keys it. Changing a figure or the name makes it a
   * manual quota (a sync no longer writes it); re-keying alone keeps its source.
   */
  update(cloudId: string, patch: Partial<QuotaInput>): Promise<QuotaRecord | undefined>;
  deleteMany(cloudIds: string[]): Promise<string[]>;
  /** Upserts by cloud_id in one transaction; all rows or none. */
  upsertMany(inputs: QuotaInput[], source: string): Promise<QuotaUpsertOutcome>;
}

/** One namespace's usage of a date, in base units. */
export interface NamespaceUsageRecord {
  cluster: string | null;
  namespace: string;
  project: string;
  cpuCores: number;
  memoryBytes: number;
}

/** Which earlier batch of its date a batch replaces when it becomes visible. */
export type UsageBatchKey =
  | {
      date: string;
      source: Extract<UsageSource, 'upload'>;
      /** The file name: an upload replaces the date's earlier file of that name. */
      origin: string;
    }
  | {
      date: string;
      source: Extract<UsageSource, 'prometheus'>;
      /** The source's name, as shown; not what is replaced, since a source can be renamed. */
      origin: string;
      /**
       * A sync replaces the date's earlier sync by the same source (whatever its name or cluster
       * then) and by any source of the same cluster (one deleted and added again): one cluster's
       * usage is never counted twice.
       */
      sourceId: number;
      cluster: string;
    };

export interface UsageBatchMeta {
  strategy?: string;
}

/** Per-project totals of one source for a date, summed over its namespaces. */
export interface ProjectUsageTotal {
  project: string;
  source: UsageSource;
  cpuCores: number;
  memoryBytes: number;
  namespaceCount: number;
}

export interface UsageDateSummary {
  date: string;
  recordCount: number;
  projectCount: number;
  sources: UsageSource[];
  files: string[];
  updatedAt: string;
}

export interface NamespaceUsageDetail extends NamespaceUsageRecord {
  source: UsageSource;
  origin: string;
  strategy: string | null;
}

/**
 * A batch is written in chunks while invisible, then made visible in one short transaction that
 * retires the batch it replaces: readers never see a half-written file and are never blocked
 * for the length of an upload.
 */
export interface UsageBatchWriter {
  append(rows: NamespaceUsageRecord[]): Promise<void>;
  /** replica-dedup detail of the batch's namespaces. */
  appendWorkloads(rows: WorkloadUsage[]): Promise<void>;
  /** Makes the batch visible; returns whether an earlier batch of the same key was replaced. */
  commit(meta: { lineCount: number }): Promise<{ replaced: boolean }>;
  abort(): Promise<void>;
}

export interface UsageRepository {
  beginBatch(key: UsageBatchKey, meta?: UsageBatchMeta): Promise<UsageBatchWriter>;
  /** What replica-dedup saw and kept per workload of a namespace on a date. */
  workloads(date: string, cluster: string | null, namespace: string): Promise<WorkloadUsage[]>;
  listDates(): Promise<UsageDateSummary[]>;
  projectTotals(date: string): Promise<ProjectUsageTotal[]>;
  namespaces(date: string, project: string): Promise<NamespaceUsageDetail[]>;
  /** Deletes the uploads of a date (all files, or one). */
  deleteUploads(date: string, fileName?: string): Promise<{ files: string[]; rows: number }>;
  /** Dates on which at least one project with a positive quota has usage: what an export can hold. */
  exportableDates(): Promise<string[]>;
  /** Removes rows of retired or abandoned batches; safe to call at any time. */
  purgeRetired(): Promise<number>;
  /** The days from `from` to `to` (inclusive) on which each Prometheus source has a synced batch. */
  prometheusDaysSynced(from: string, to: string): Promise<{ date: string; sourceId: number }[]>;
}

export interface SettingsRecord {
  exportCapAtOne: boolean;
  timezone: string;
  schedulerEnabled: boolean;
  /** Run a slot missed while no instance was up, once, at start-up. */
  catchUpMissed: boolean;
  /** Days the Prometheus sync goes back for days it missed. */
  prometheusCatchUpDays: number;
  keepRunsDays: number;
  /** The time zone the jobs' last slots were reckoned in; a change re-reckons them so no past slot fires. */
  slotsTimezone: string;
}

export interface SettingsRepository {
  get(): Promise<Partial<SettingsRecord>>;
  save(patch: Partial<SettingsRecord>): Promise<void>;
}

/** Increases on every write that can change a report; lets replicas share one cache rule. */
export interface RevisionSource {
  current(): Promise<number>;
}

export interface Clock {
  now(): Date;
}

/** Where background work says what it did; pino's logger (fastify's) fits. */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A sheet row as read, with its 1-based row number; cells keep their raw type. */
export interface SheetRow {
  row: number;
  cells: SheetCell[];
}

export interface SheetContent {
  header: (string | null)[];
  rows: SheetRow[];
}

export class WorkbookFormatError extends Error {
  constructor(
    message: string,
    readonly detail: ErrorDetail,
  ) {
    super(message);
  }
}

/** Reads the first worksheet of an xlsx; throws WorkbookFormatError when the bytes are not one. */
export interface WorkbookReader {
  readFirstSheet(data: Buffer, fileName: string): Promise<SheetContent>;
}

/** One exported line: a matched project's rates of a date as fractions. */
export type ExportRow = ExportRate;

/** Writes the export (xlsx or csv) to a stream as rows arrive, in bounded memory. */
export interface ReportExportWriter {
  write(format: ExportFormat, rows: AsyncIterable<ExportRow[]>, out: Writable): Promise<void>;
}

export interface QuotaWorkbookWriter {
  /** The import template: header 云序号 | 项目名称 | CPU配额(核) | 内存配额(GB) with example rows. */
  template(): Promise<Buffer>;
  /** All quotas in the template's layout, so an export can be edited and imported again. */
  quotas(
    rows: { cloudId: string; projectName: string; cpuCores: number; memoryGiB: number }[],
  ): Promise<Buffer>;
}

/** A stored secret that cannot be opened: its key is not configured, or the value was altered. */
export class SecretUnreadableError extends Error {}

/** Encrypts secrets (kubeconfigs, tokens, passwords) for storage. */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws SecretUnreadableError. */
  open(sealed: string): string;
  /** Whether a sealed value uses the current key (false: re-seal it when rotating). */
  isCurrent(sealed: string): boolean;
}

/** What a stored kubeconfig connects to, without its credentials. */
export interface KubeconfigSummary {
  server: string;
  context: string;
  cluster: string;
  user: string;
  authKind: AuthKind;
  insecure: boolean;
  /** The kubeconfig as YAML text (decoded when it arrived as base64): what is sealed and stored. */
  text: string;
}

/** A kubeconfig that cannot be used; `problems` name fields, never their secret values. */
export class KubeconfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export type KubeErrorKind =
  'unauthorized' | 'forbidden' | 'tls' | 'timeout' | 'unreachable' | 'not_found' | 'server' | 'config';

/** A failed call to an API server, with a message a user can act on and no credentials in it. */
export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface KubeNamespace {
  name: string;
  labels: Record<string, string>;
}

/** A ResourceQuota or ProjectQuota as the server reports it: quantity strings by resource name. */
export interface KubeQuotaObject {
  namespace: string | null;
  name: string;
  hard: Record<string, string>;
  used: Record<string, string>;
  /** spec.scopes or spec.scopeSelector is set: the quota applies to some pods only. */
  scoped: boolean;
}

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
}

export interface KubeClient {
  version(): Promise<string>;
  whoAmI(): Promise<{ username: string | null; groups: string[] }>;
  reviewAccess(checks: AccessCheck[]): Promise<Permission[]>;
  /** Every namespace, listed cluster-wide in pages; `signal` stops between and during requests. */
  listNamespaces(signal?: AbortSignal): Promise<KubeNamespace[]>;
  /** Every ResourceQuota of every namespace, listed cluster-wide in pages. */
  listResourceQuotas(signal?: AbortSignal): Promise<KubeQuotaObject[]>;
  /** Deployments, StatefulSets, DaemonSets, Jobs and CronJobs, each listed cluster-wide in pages. */
  listWorkloads(signal?: AbortSignal): Promise<Workload[]>;
  /** Whether the ProjectQuota CRD (auth.alauda.io/v1 projectquotas) is served. */
  hasProjectQuotas(): Promise<boolean>;
  listProjectQuotas(signal?: AbortSignal): Promise<KubeQuotaObject[]>;
  /** HTTP requests this client has sent, retries included. */
  readonly requestCount: number;
}

export type ClusterTarget = { kind: 'kubeconfig'; kubeconfig: string } | { kind: 'in-cluster' };

export interface KubeAccess {
  /** Parses and vets a kubeconfig (raw YAML or base64); throws KubeconfigError. */
  inspect(kubeconfig: string): KubeconfigSummary;
  /** Whether this process can connect in-cluster (in a pod, service account mounted); throws KubeError. */
  inspectInCluster(): { server: string };
  connect(target: ClusterTarget): Promise<KubeClient>;
}

export interface ClusterRecord {
  id: number;
  name: string;
  kind: ClusterKind;
  sealedKubeconfig: string | null;
  server: string;
  context: string | null;
  authKind: AuthKind;
  insecure: boolean;
  useProjectQuota: boolean;
  projectLabel: string | null;
  lastTest: ConnectionTest | null;
  lastSyncAt: string | null;
  lastSyncOk: boolean | null;
  lastSyncMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ClusterInput = Pick<
  ClusterRecord,
  | 'name'
  | 'kind'
  | 'sealedKubeconfig'
  | 'server'
  | 'context'
  | 'authKind'
  | 'insecure'
  | 'useProjectQuota'
  | 'projectLabel'
>;

/** A cluster as a row of the import template gives it: a connection, and the quota source when the row says. */
export type ClusterImportRow = Omit<ClusterInput, 'useProjectQuota' | 'projectLabel'> &
  Partial<Pick<ClusterInput, 'useProjectQuota'>>;

export interface ClusterRepository {
  list(): Promise<ClusterRecord[]>;
  get(id: number): Promise<ClusterRecord | undefined>;
  findByName(name: string): Promise<ClusterRecord | undefined>;
  create(input: ClusterInput): Promise<ClusterRecord>;
  update(id: number, patch: Partial<ClusterInput>): Promise<ClusterRecord | undefined>;
  /**
   * Deletes the cluster, every namespace quota under its name (synced or imported), and its shares of
   * the synced project quotas, in one transaction: each project quota it had a share in becomes the
   * sum of the shares left, or is removed when none are left; manual quotas stay as they are.
   */
  delete(id: number): Promise<boolean>;
  /**
   * Creates or updates by name, all rows or none. An existing cluster changes only in what the row
   * gives; a new one takes `defaults` for what the row leaves out.
   */
  upsertMany(
    rows: ClusterImportRow[],
    defaults: Pick<ClusterInput, 'useProjectQuota' | 'projectLabel'>,
  ): Promise<{ created: number; updated: number }>;
  saveTest(id: number, test: ConnectionTest): Promise<void>;
  saveSync(id: number, outcome: { at: string; ok: boolean; message: string }): Promise<void>;
}

export interface NamespaceQuotaRecord extends QuotaFigures {
  clusterName: string;
  namespace: string;
  projectName: string | null;
  quotaCount: number;
  source: 'k8s' | 'import';
  syncedAt: string;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface NamespaceQuotaRepository {
  list(filter: { cluster?: string; project?: string; search?: string }): Promise<NamespaceQuotaRecord[]>;
  /**
   * Makes the stored namespaces of a cluster exactly `rows` (imported rows included) in one
   * transaction, except the `unreadable` namespaces, whose stored rows stay as they are; fails,
   * storing nothing, when the cluster no longer exists.
   */
  replaceCluster(
    clusterName: string,
    rows: NamespaceQuotaRecord[],
    unreadable: string[],
  ): Promise<SyncCounts>;
  /** Creates or updates by (cluster, namespace), all rows or none. */
  upsertMany(rows: NamespaceQuotaRecord[]): Promise<Omit<SyncCounts, 'removed'>>;
  delete(clusterName: string, namespace: string): Promise<boolean>;
}

export interface ProjectQuotaSyncOutcome extends SyncCounts {
  /** Projects whose quota was entered by hand: left as they are. */
  skipped: string[];
  errors: string[];
}

export interface ProjectQuotaSyncRepository {
  /**
   * Replaces one cluster's part of the synced project quotas and recomputes the totals of the
   * projects it touches, in one transaction; manual quotas are never written. The `unreadable`
   * projects (the cluster's figures for them could not be read) keep their share of it as it was.
   * Fails, storing nothing, when the cluster no longer exists.
   */
  applyCluster(
    clusterName: string,
    quotas: ProjectClusterQuota[],
    origin: 'projectquota' | 'resourcequota',
    unreadable: string[],
  ): Promise<ProjectQuotaSyncOutcome>;
  breakdown(projectNames?: string[]): Promise<ProjectQuotaShare[]>;
}

export interface ProjectQuotaShare {
  projectName: string;
  clusterName: string;
  cpuCores: number;
  memoryBytes: number;
  origin: string;
}

export interface SheetSpec {
  name: string;
  header: string[];
  rows: (string | number | null)[][];
  widths?: number[];
}

/** Small workbooks: templates and table exports, held in memory. */
export interface SheetWriter {
  write(sheets: SheetSpec[]): Promise<Buffer>;
}

export type PrometheusAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string };

export interface PrometheusConnection {
  url: string;
  auth: PrometheusAuth;
  /** Extra headers, e.g. X-Scope-OrgID for a Mimir/Cortex tenant. */
  headers: Record<string, string>;
  caPem: string | null;
  insecure: boolean;
  timeoutMs: number;
}

export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

export type PromErrorKind =
  | 'unreachable'
  | 'tls'
  | 'unauthorized'
  | 'timeout'
  | 'too_expensive'
  | 'too_large'
  /** 503 without a timeout: a smaller query may get through. */
  | 'overloaded'
  | 'bad_query'
  | 'server'
  /** The caller's signal stopped the request (a cancelled range sync). */
  | 'cancelled';

/** A failed Prometheus query, classified so a sync knows whether splitting it could help. */
export class PromError extends Error {
  constructor(
    readonly kind: PromErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface PrometheusClient {
  /** An instant query; vector results only. `signal` stops it, in flight too. */
  query(promql: string, timeUnix: number, signal?: AbortSignal): Promise<PromSample[]>;
  /** The values of a label on the series `match` selects between two instants, from the index. */
  labelValues(
    label: string,
    match: string,
    range: { startUnix: number; endUnix: number },
    signal?: AbortSignal,
  ): Promise<string[]>;
  buildInfo(): Promise<{ version: string; revision: string | null }>;
  readonly queryCount: number;
}

export interface PrometheusAccess {
  connect(connection: PrometheusConnection): PrometheusClient;
}

export interface PrometheusSourceRecord {
  id: number;
  name: string;
  url: string;
  clusterName: string;
  selector: string | null;
  strategy: UsageStrategy;
  memoryMetric: MemoryMetric;
  step: string;
  timeoutSeconds: number;
  tolerance: number;
  authKind: PrometheusAuth['kind'];
  username: string | null;
  sealedSecret: string | null;
  sealedHeaders: string | null;
  headerNames: string[];
  caPem: string | null;
  insecure: boolean;
  lastTest: PrometheusTest | null;
  lastSyncAt: string | null;
  lastSyncOk: boolean | null;
  lastSyncMessage: string | null;
  lastSync: SourceSyncResult | null;
  createdAt: string;
  updatedAt: string;
}

export type PrometheusSourceInput = Omit<
  PrometheusSourceRecord,
  'id' | 'lastTest' | 'lastSyncAt' | 'lastSyncOk' | 'lastSyncMessage' | 'lastSync' | 'createdAt' | 'updatedAt'
>;

export interface PrometheusSourceRepository {
  list(): Promise<PrometheusSourceRecord[]>;
  get(id: number): Promise<PrometheusSourceRecord | undefined>;
  findByName(name: string): Promise<PrometheusSourceRecord | undefined>;
  create(input: PrometheusSourceInput): Promise<PrometheusSourceRecord>;
  update(id: number, patch: Partial<PrometheusSourceInput>): Promise<PrometheusSourceRecord | undefined>;
  delete(id: number): Promise<boolean>;
  /** Creates or updates by name, all rows or none; a source already there gets only `updated` fields. */
  upsertMany(
    inputs: PrometheusSourceInput[],
    updated: readonly (keyof PrometheusSourceInput)[],
  ): Promise<{ created: number; updated: number }>;
  saveTest(id: number, test: PrometheusTest): Promise<void>;
  /** Keeps the last sync's result, its time and a one-line message. */
  saveSync(id: number, outcome: { at: string; message: string; result: SourceSyncResult }): Promise<void>;
}

export interface ScheduleRecord {
  job: JobKey;
  enabled: boolean;
  timing: Timing;
  retries: number;
  retryBackoffSeconds: number;
  lastSlotAt: string | null;
  updatedAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'partly-failed' | 'failed' | 'cancelled' | 'skipped';
export type RunTrigger = 'schedule' | 'manual' | 'cli' | 'retry';

export interface JobRunRecord {
  id: number;
  job: JobKey;
  trigger: RunTrigger;
  scheduledFor: string | null;
  attempt: number;
  status: RunStatus;
  instance: string;
  startedAt: string;
  finishedAt: string | null;
  summary: string;
  result: unknown;
  nextRetryAt: string | null;
  cancelRequested: boolean;
}

export interface NewRun {
  job: JobKey;
  trigger: RunTrigger;
  scheduledFor: string | null;
  attempt: number;
  instance: string;
  startedAt: string;
}

export type SchedulePatch = Partial<
  Pick<ScheduleRecord, 'enabled' | 'timing' | 'retries' | 'retryBackoffSeconds' | 'lastSlotAt'>
>;

export interface SchedulerRepository {
  schedules(): Promise<ScheduleRecord[]>;
  /** Changes several jobs' schedules, all or none. */
  saveSchedules(changes: { job: JobKey; patch: SchedulePatch }[]): Promise<void>;
  /**
   * Inserts a run, running or — given `skipped` — already finished as skipped for that reason;
   * undefined when its (job, slot, attempt) was already claimed, by any replica.
   */
  claimRun(run: NewRun, skipped?: string): Promise<JobRunRecord | undefined>;
  /**
   * claimRun for a scheduled slot, then moves the job's last slot to it (forward only), also when
   * another replica recorded the run: a slot is never passed over without its run recorded.
   */
  claimSlot(run: NewRun & { scheduledFor: string }, skipped?: string): Promise<JobRunRecord | undefined>;
  /** The first attempt recorded for a job's slot, by whichever replica claimed it. */
  slotRun(job: JobKey, slot: string): Promise<JobRunRecord | undefined>;
  /** Takes the job's lease when it is free or expired; false while another run holds it. */
  acquireLock(job: JobKey, holder: string, runId: number, now: string, expiresAt: string): Promise<boolean>;
  renewLock(job: JobKey, holder: string, expiresAt: string): Promise<void>;
  releaseLock(job: JobKey, holder: string): Promise<void>;
  lockHolder(job: JobKey, now: string): Promise<{ holder: string; runId: number | null } | undefined>;
  finishRun(
    id: number,
    fields: {
      status: RunStatus;
      finishedAt: string;
      summary: string;
      result: unknown;
      nextRetryAt: string | null;
    },
  ): Promise<void>;
  /** Records that the run is alive; tells whether someone asked to cancel it. */
  heartbeat(id: number, at: string): Promise<{ cancelRequested: boolean }>;
  requestCancel(id: number): Promise<JobRunRecord | undefined>;
  /** Runs whose retry is due, taken so that exactly one caller (replica) retries each. */
  takeDueRetries(now: string): Promise<JobRunRecord[]>;
  listRuns(filter: {
    job?: JobKey;
    status?: RunStatus;
    trigger?: RunTrigger;
    limit: number;
  }): Promise<JobRunRecord[]>;
  getRun(id: number): Promise<JobRunRecord | undefined>;
  lastSuccess(): Promise<Map<JobKey, string>>;
  lastRun(job: JobKey): Promise<JobRunRecord | undefined>;
  /**
   * Fails the runs still "running" whose instance stopped renewing them, so they do not block
   * forever, each with the retry `nextRetryAt` gives it; returns them (each to one replica only).
   */
  failAbandoned(
    staleBefore: string,
    now: string,
    nextRetryAt: (run: JobRunRecord) => string | null,
  ): Promise<JobRunRecord[]>;
  pruneRuns(finishedBefore: string): Promise<number>;
}
