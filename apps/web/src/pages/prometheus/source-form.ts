import {
  PrometheusConfigCreate,
  type PrometheusConfig,
  type PrometheusConfigUpdate,
  type UsageStrategy,
} from '@kra/contracts';

export type MemoryMetric = PrometheusConfig['memory_metric'];
type AuthKind = PrometheusConfig['auth_kind'];

export const STRATEGIES: readonly UsageStrategy[] = [
  'pod-peak',
  'replica-dedup',
  'concurrent-peak',
  'average',
];
export const MEMORY_METRICS: readonly MemoryMetric[] = ['usage_bytes', 'working_set_bytes'];
export const AUTH_KINDS: readonly AuthKind[] = ['none', 'bearer', 'basic'];

interface HeaderRow {
  name: string;
  value: string;
}

export interface SourceFormValues {
  name: string;
  url: string;
  cluster_name: string;
  /** Label matchers; empty = every series. */
  selector: string;
  strategy: UsageStrategy;
  tolerance: number;
  memory_metric: MemoryMetric;
  step: string;
  timeout_seconds: number;
  auth_kind: AuthKind;
  username: string;
  /** The bearer token or the password; empty when editing keeps the stored one. */
  secret: string;
  /** New headers; when editing, none keeps the stored ones and any replace them all. */
  headers: HeaderRow[];
  clear_headers: boolean;
  /** Empty when editing keeps the stored CA. */
  ca_pem: string;
  clear_ca: boolean;
  insecure_skip_tls_verify: boolean;
}

/** The server's defaults for a new source. */
const DEFAULTS = {
  strategy: 'pod-peak',
  memory_metric: 'usage_bytes',
  step: '1m',
  timeout: 60,
  tolerance: 1.5,
} as const;

export function initialSourceValues(source?: PrometheusConfig): SourceFormValues {
  return {
    name: source?.name ?? '',
    url: source?.url ?? '',
    cluster_name: source?.cluster_name ?? '',
    selector: source?.selector ?? '',
    strategy: source?.strategy ?? DEFAULTS.strategy,
    tolerance: source?.tolerance ?? DEFAULTS.tolerance,
    memory_metric: source?.memory_metric ?? DEFAULTS.memory_metric,
    step: source?.step ?? DEFAULTS.step,
    timeout_seconds: source?.timeout_seconds ?? DEFAULTS.timeout,
    auth_kind: source?.auth_kind ?? 'none',
    username: source?.username ?? '',
    secret: '',
    headers: [],
    clear_headers: false,
    ca_pem: '',
    clear_ca: false,
    insecure_skip_tls_verify: source?.insecure_skip_tls_verify ?? false,
  };
}

/** Whether the server takes `url` (http or https), by the same rule it checks. */
export function isSourceUrl(url: string): boolean {
  return PrometheusConfigCreate.shape.url.safeParse(url).success;
}

/** An HTTP header name (RFC 9110 token). */
export const isHeaderName = (name: string): boolean => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name);

/** A secret must be typed when none of this kind is stored: a new source, or another auth kind. */
export function secretRequired(
  values: Pick<SourceFormValues, 'auth_kind'>,
  source?: PrometheusConfig,
): boolean {
  return values.auth_kind !== 'none' && source?.auth_kind !== values.auth_kind;
}

function headerRecord(rows: HeaderRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.filter((row) => row.name.trim() !== '').map((row) => [row.name.trim(), row.value]),
  );
}

export function createPayload(values: SourceFormValues): PrometheusConfigCreate {
  const headers = headerRecord(values.headers);
  return {
    name: values.name.trim(),
    url: values.url.trim(),
    cluster_name: values.cluster_name.trim(),
    selector: values.selector.trim() || null,
    strategy: values.strategy,
    tolerance: values.tolerance,
    memory_metric: values.memory_metric,
    step: values.step.trim(),
    timeout_seconds: values.timeout_seconds,
    auth_kind: values.auth_kind,
    username: values.auth_kind === 'basic' ? values.username.trim() : null,
    ...(values.auth_kind !== 'none' ? { secret: values.secret } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ca_pem: values.ca_pem.trim() || null,
    insecure_skip_tls_verify: values.insecure_skip_tls_verify,
  };
}

/** Only what changed; an empty secret, no header rows and an empty CA keep what is stored. */
export function updatePatch(source: PrometheusConfig, values: SourceFormValues): PrometheusConfigUpdate {
  const patch: PrometheusConfigUpdate = {};
  const next = createPayload(values);
  if (next.name !== source.name) patch.name = next.name;
  if (next.url !== source.url) patch.url = next.url;
  if (next.cluster_name !== source.cluster_name) patch.cluster_name = next.cluster_name;
  if (next.selector !== source.selector) patch.selector = next.selector;
  if (next.strategy !== source.strategy) patch.strategy = next.strategy;
  if (next.tolerance !== source.tolerance) patch.tolerance = next.tolerance;
  if (next.memory_metric !== source.memory_metric) patch.memory_metric = next.memory_metric;
  if (next.step !== source.step) patch.step = next.step;
  if (next.timeout_seconds !== source.timeout_seconds) patch.timeout_seconds = next.timeout_seconds;
  if (next.auth_kind !== source.auth_kind) patch.auth_kind = next.auth_kind;
  if (next.auth_kind === 'basic' && next.username !== source.username) patch.username = next.username;
  if (next.auth_kind !== 'none' && values.secret !== '') patch.secret = values.secret;
  if (next.headers) patch.headers = next.headers;
  else if (values.clear_headers) patch.headers = {};
  if (next.ca_pem !== null) patch.ca_pem = next.ca_pem;
  else if (values.clear_ca) patch.ca_pem = null;
  if (next.insecure_skip_tls_verify !== source.insecure_skip_tls_verify)
    patch.insecure_skip_tls_verify = next.insecure_skip_tls_verify;
  return patch;
}
