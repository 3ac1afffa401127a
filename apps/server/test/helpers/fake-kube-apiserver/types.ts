// Public types of the fake kube-apiserver: what tests put in (state, rules, faults) and what they read back
// (request records). Objects are given in a short form and expanded by store.ts into what a real server returns.

/** A JSON value as it travels over the wire; objects the fake returns are built from these. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Quantities stay strings ('4', '500m', '8Gi', '1.5e3'), exactly as given: the fake never normalises them. */
export type ResourceList = Record<string, string>;

/** Metadata every stored object may carry. Omitted uid/creationTimestamp are generated (and kept across updates). */
export interface ObjectMetaInput {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  /** RFC 3339, e.g. '2024-05-01T10:00:00Z'. */
  creationTimestamp?: string;
}

export interface NamespacedMetaInput extends ObjectMetaInput {
  namespace: string;
}

export interface NamespaceInput extends ObjectMetaInput {
  phase?: 'Active' | 'Terminating';
}

export interface QuotaStatusInput {
  /** Defaults to spec.hard, as the quota controller would write it. */
  hard?: ResourceList;
  /** Defaults to '0' for every hard key. */
  used?: ResourceList;
}

export interface ResourceQuotaInput extends NamespacedMetaInput {
  spec: { hard: ResourceList; scopes?: string[] };
  status?: QuotaStatusInput;
}

/** auth.alauda.io/v1 ProjectQuota: cluster-scoped, metadata.name is the project name. */
export interface ProjectQuotaInput extends ObjectMetaInput {
  spec: { hard: ResourceList };
  status?: QuotaStatusInput;
}

export interface ContainerInput {
  name: string;
  image?: string;
  requests?: ResourceList;
  limits?: ResourceList;
}

/**
 * One short form for deployments, statefulsets, daemonsets, replicasets, jobs and cronjobs. The fake derives a
 * plausible spec (selector, pod template, containers) and status; `spec`/`status` are merged over that (shallowly)
 * for anything the short form does not cover.
 */
export interface WorkloadInput extends NamespacedMetaInput {
  /** Default 1. Jobs: parallelism and completions; daemonsets: the number of nodes they run on (status only). */
  replicas?: number;
  /** spec.selector.matchLabels and the pod template's labels. Default { app: name }. */
  selector?: Record<string, string>;
  containers?: ContainerInput[];
  /** CronJob schedule. Default '0 * * * *'. */
  schedule?: string;
  ownerReferences?: JsonObject[];
  spec?: JsonObject;
  status?: JsonObject;
}

export const WORKLOAD_RESOURCES = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
] as const;
export type WorkloadResource = (typeof WORKLOAD_RESOURCES)[number];

/** Everything the fake serves. In setState() a key that is absent leaves that collection as it was. */
export interface FakeClusterState {
  namespaces?: NamespaceInput[];
  resourcequotas?: ResourceQuotaInput[];
  projectquotas?: ProjectQuotaInput[];
  /** false = the ProjectQuota CRD is not installed: 404 on its paths, absent from /apis. Default true. */
  projectQuotaCrd?: boolean;
  deployments?: WorkloadInput[];
  statefulsets?: WorkloadInput[];
  daemonsets?: WorkloadInput[];
  replicasets?: WorkloadInput[];
  jobs?: WorkloadInput[];
  cronjobs?: WorkloadInput[];
}

/** An authorization rule. Omitted group = core (''); omitted namespace = every namespace and the cluster scope. */
export interface DenyRule {
  verb: string;
  group?: string;
  resource: string;
  namespace?: string;
}

export interface FailFault {
  method?: string;
  /** A string matches the whole path (no query); use a RegExp for anything looser. */
  path: string | RegExp;
  /** An HTTP status (answered with the matching Status body), or 'reset' to destroy the socket mid-request. */
  status: number | 'reset';
  /** How many matching requests fail; unlimited when omitted (until reset()). */
  times?: number;
  /** Sets the Retry-After header and details.retryAfterSeconds (429 defaults to 1). */
  retryAfterSeconds?: number;
  message?: string;
  /**
   * 'status' (default) answers a JSON Status. 'text' answers text/plain the way kube-apiserver's own priority and
   * fairness / max-in-flight filters reject with 429 ("Too many requests, please try again later.").
   */
  body?: 'status' | 'text';
}

export interface DelayFault {
  method?: string;
  path: string | RegExp;
  ms: number;
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The authenticated user name, or null when authentication failed. */
  user: string | null;
  /** The status answered; 0 while still in progress, or when no reply was sent (socket reset, client gone). */
  status: number;
}

export interface UserInfo {
  username: string;
  groups: string[];
}

export interface IssuedClientCertificate {
  certPem: string;
  keyPem: string;
}

export interface FakeKubeApiServerOptions {
  /** Initial data; same as calling setState() right after start. */
  state?: FakeClusterState;
  /** Tokens accepted from the start: token → user (and groups). */
  tokens?: Record<string, string | UserInfo>;
  /** Overrides fields of GET /version. */
  version?: Partial<Record<string, string>>;
  /**
   * How paths that nothing serves (an uninstalled CRD's group, a stray prefix) answer 404.
   * 'status' (default): a JSON Status, reason NotFound, "the server could not find the requested resource".
   * 'text': "404 page not found" as text/plain, which is what kube-apiserver up to at least 1.30 really sends there.
   */
  unregisteredPaths?: 'status' | 'text';
  /**
   * false (default) refuses requests without credentials with 401, as --anonymous-auth=false does. true treats
   * them as system:anonymous (group system:unauthenticated), whom the default RBAC lets read /version (and the
   * health paths) only: discovery and every resource request answer 403, like a stock cluster.
   */
  anonymousAuth?: boolean;
}
