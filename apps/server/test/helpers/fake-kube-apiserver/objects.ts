// Expands the short inputs of types.ts into complete objects, with the defaults a real cluster fills in (the
// namespace name label, quota status, pod templates, workload status). client-node's ObjectSerializer reads only
// the fields its models name, so every field here uses the wire name the V1* model classes map from.
import type {
  ContainerInput,
  Json,
  JsonObject,
  NamespaceInput,
  ObjectMetaInput,
  ProjectQuotaInput,
  ResourceList,
  ResourceQuotaInput,
  WorkloadInput,
  WorkloadResource,
} from './types';
import { PROJECTQUOTA_GROUP } from './resources';

/** What the store decides for an object: identity kept across updates, and the revision of its last change. */
export interface Identity {
  uid: string;
  creationTimestamp: string;
  resourceVersion: string;
}

function metadata(input: ObjectMetaInput, id: Identity, namespace?: string, generation?: number): JsonObject {
  const meta: JsonObject = { name: input.name };
  if (namespace !== undefined) meta.namespace = namespace;
  meta.uid = id.uid;
  meta.resourceVersion = id.resourceVersion;
  if (generation !== undefined) meta.generation = generation;
  meta.creationTimestamp = id.creationTimestamp;
  if (input.labels && Object.keys(input.labels).length > 0) meta.labels = { ...input.labels };
  if (input.annotations && Object.keys(input.annotations).length > 0)
    meta.annotations = { ...input.annotations };
  return meta;
}

export function buildNamespace(input: NamespaceInput, id: Identity): JsonObject {
  const meta = metadata(input, id);
  // Since 1.21 the apiserver stamps every namespace with this immutable label.
  meta.labels = { 'kubernetes.io/metadata.name': input.name, ...(input.labels ?? {}) };
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: meta,
    spec: { finalizers: ['kubernetes'] },
    status: { phase: input.phase ?? 'Active' },
  };
}

/** Quota status as the quota controller writes it: hard mirrors spec.hard, used has a value for each hard key. */
function quotaStatus(hard: ResourceList, given: ResourceQuotaInput['status']): JsonObject {
  const statusHard = given?.hard ?? hard;
  const used: ResourceList = given?.used ?? Object.fromEntries(Object.keys(statusHard).map((k) => [k, '0']));
  return { hard: { ...statusHard }, used: { ...used } };
}

export function buildResourceQuota(input: ResourceQuotaInput, id: Identity): JsonObject {
  const spec: JsonObject = { hard: { ...input.spec.hard } };
  if (input.spec.scopes) spec.scopes = [...input.spec.scopes];
  return {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: metadata(input, id, input.namespace),
    spec,
    status: quotaStatus(input.spec.hard, input.status),
  };
}

export function buildProjectQuota(input: ProjectQuotaInput, id: Identity): JsonObject {
  return {
    apiVersion: `${PROJECTQUOTA_GROUP}/v1`,
    kind: 'ProjectQuota',
    metadata: metadata(input, id, undefined, 1),
    spec: { hard: { ...input.spec.hard } },
    status: quotaStatus(input.spec.hard, input.status),
  };
}

function container(c: ContainerInput): JsonObject {
  const resources: JsonObject = {};
  if (c.limits) resources.limits = { ...c.limits };
  if (c.requests) resources.requests = { ...c.requests };
  return {
    name: c.name,
    image: c.image ?? `registry.example.com/${c.name}:latest`,
    resources,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function podTemplate(
  input: WorkloadInput,
  labels: Record<string, string>,
  restartPolicy: string,
): JsonObject {
  return {
    // A template's creationTimestamp really is serialised as null.
    metadata: { creationTimestamp: null, labels },
    spec: {
      containers: (input.containers ?? [{ name: input.name }]).map(container),
      restartPolicy,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };
}

const KINDS: Record<WorkloadResource, { kind: string; apiVersion: string }> = {
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
  statefulsets: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  daemonsets: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  jobs: { kind: 'Job', apiVersion: 'batch/v1' },
  cronjobs: { kind: 'CronJob', apiVersion: 'batch/v1' },
};

/** Replica counts in status: a settled workload whose pods are all ready (fields with value 0 are omitted). */
function replicaStatus(fields: string[], n: number): JsonObject {
  const out: JsonObject = { observedGeneration: 1 };
  for (const f of fields) if (n > 0) out[f] = n;
  return out;
}

function specAndStatus(
  resource: WorkloadResource,
  input: WorkloadInput,
  uid: string,
  created: string,
): { spec: JsonObject; status: JsonObject } {
  const n = input.replicas ?? 1;
  const selector = input.selector ?? { app: input.name };
  const matchLabels = { matchLabels: { ...selector } };
  switch (resource) {
    case 'deployments':
      return {
        spec: {
          replicas: n,
          selector: matchLabels,
          template: podTemplate(input, selector, 'Always'),
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        },
        status: replicaStatus(['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'], n),
      };
    case 'statefulsets':
      return {
        spec: {
          replicas: n,
          selector: matchLabels,
          template: podTemplate(input, selector, 'Always'),
          serviceName: input.name,
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          revisionHistoryLimit: 10,
        },
        status: replicaStatus(
          ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
          n,
        ),
      };
    case 'daemonsets':
      // For a DaemonSet `replicas` stands for the number of nodes it runs on.
      return {
        spec: {
          selector: matchLabels,
          template: podTemplate(input, selector, 'Always'),
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
          revisionHistoryLimit: 10,
        },
        status: {
          currentNumberScheduled: n,
          numberMisscheduled: 0,
          desiredNumberScheduled: n,
          numberReady: n,
          observedGeneration: 1,
          updatedNumberScheduled: n,
          numberAvailable: n,
        },
      };
    case 'replicasets':
      return {
        spec: { replicas: n, selector: matchLabels, template: podTemplate(input, selector, 'Always') },
        status: {
          ...replicaStatus(['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'], n),
        },
      };
    case 'jobs': {
      // The job controller selects its pods by the job's own uid.
      const labels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': input.name,
      };
      return {
        spec: {
          parallelism: n,
          completions: n,
          backoffLimit: 6,
          selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
          template: podTemplate(input, { ...labels, ...selector }, 'Never'),
          completionMode: 'NonIndexed',
          suspend: false,
        },
        status: { startTime: created, active: n, ready: n, terminating: 0, uncountedTerminatedPods: {} },
      };
    }
    case 'cronjobs':
      return {
        spec: {
          schedule: input.schedule ?? '0 * * * *',
          concurrencyPolicy: 'Allow',
          suspend: false,
          jobTemplate: {
            metadata: { creationTimestamp: null },
            spec: { parallelism: n, template: podTemplate(input, selector, 'OnFailure') },
          },
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
        },
        status: {},
      };
  }
}

export function buildWorkload(resource: WorkloadResource, input: WorkloadInput, id: Identity): JsonObject {
  const made = specAndStatus(resource, input, id.uid, id.creationTimestamp);
  const meta = metadata(input, id, input.namespace, 1);
  if (input.ownerReferences) meta.ownerReferences = input.ownerReferences.map((o) => ({ ...o }));
  const spec: JsonObject = { ...made.spec, ...(input.spec ?? {}) };
  const status: JsonObject = { ...made.status, ...(input.status ?? {}) };
  return { kind: KINDS[resource].kind, apiVersion: KINDS[resource].apiVersion, metadata: meta, spec, status };
}

/** Reads a string field out of a nested JSON object, for selectors. */
export function stringAt(obj: Json | undefined, ...path: string[]): string | undefined {
  let cur: Json | undefined = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[p];
  }
  return typeof cur === 'string' ? cur : undefined;
}
