// The API resources the fake serves and the discovery documents describing them (/api, /apis, /apis/{g}/{v}).
// Only what the product reads is served, but with the shapes, verbs and short names of a real 1.30 cluster.
import type { Json, JsonObject } from './types';

export type StoredResource =
  | 'namespaces'
  | 'resourcequotas'
  | 'projectquotas'
  | 'deployments'
  | 'statefulsets'
  | 'daemonsets'
  | 'replicasets'
  | 'jobs'
  | 'cronjobs';

export interface ResourceDef {
  resource: StoredResource;
  group: string;
  version: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Custom resources are served by apiextensions: list items keep apiVersion/kind, metadata.continue is always set. */
  custom?: boolean;
  subresources?: string[];
}

const RW_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const PROJECTQUOTA_GROUP = 'auth.alauda.io';

// One line per resource reads as a table.
// prettier-ignore
export const RESOURCES: readonly ResourceDef[] = [
  { resource: 'namespaces', group: '', version: 'v1', kind: 'Namespace', singular: 'namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'] },
  { resource: 'resourcequotas', group: '', version: 'v1', kind: 'ResourceQuota', singular: 'resourcequota', namespaced: true, shortNames: ['quota'], subresources: ['status'] },
  { resource: 'deployments', group: 'apps', version: 'v1', kind: 'Deployment', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['scale', 'status'] },
  { resource: 'statefulsets', group: 'apps', version: 'v1', kind: 'StatefulSet', singular: 'statefulset', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['scale', 'status'] },
  { resource: 'daemonsets', group: 'apps', version: 'v1', kind: 'DaemonSet', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'] },
  { resource: 'replicasets', group: 'apps', version: 'v1', kind: 'ReplicaSet', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['scale', 'status'] },
  { resource: 'jobs', group: 'batch', version: 'v1', kind: 'Job', singular: 'job', namespaced: true, categories: ['all'], subresources: ['status'] },
  { resource: 'cronjobs', group: 'batch', version: 'v1', kind: 'CronJob', singular: 'cronjob', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: ['status'] },
  { resource: 'projectquotas', group: PROJECTQUOTA_GROUP, version: 'v1', kind: 'ProjectQuota', singular: 'projectquota', namespaced: false, custom: true },
];

/** Review resources: create-only, answered by handlers rather than the store. */
const REVIEWS: Record<string, { kind: string; singular: string; resource: string }> = {
  'authentication.k8s.io': {
    kind: 'SelfSubjectReview',
    singular: 'selfsubjectreview',
    resource: 'selfsubjectreviews',
  },
  'authorization.k8s.io': {
    kind: 'SelfSubjectAccessReview',
    singular: 'selfsubjectaccessreview',
    resource: 'selfsubjectaccessreviews',
  },
};

export function apiVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function findResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** Group names in the order a real server lists them (core first is implicit: it lives under /api). */
export function servedGroups(crdPresent: boolean): string[] {
  const groups = ['apps', 'authentication.k8s.io', 'authorization.k8s.io', 'batch'];
  return crdPresent ? [...groups, PROJECTQUOTA_GROUP] : groups;
}

export function isServedGroupVersion(group: string, version: string, crdPresent: boolean): boolean {
  return version === 'v1' && (group === '' || servedGroups(crdPresent).includes(group));
}

function groupVersion(group: string): JsonObject {
  return { groupVersion: `${group}/v1`, version: 'v1' };
}

export function apiGroup(group: string): JsonObject {
  return { name: group, versions: [groupVersion(group)], preferredVersion: groupVersion(group) };
}

export function apiGroupList(crdPresent: boolean): JsonObject {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(crdPresent).map(apiGroup) };
}

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** APIResourceList for /api/v1 or /apis/{group}/v1. */
export function apiResourceList(group: string): JsonObject {
  const resources: Json[] = [];
  const review = REVIEWS[group];
  if (review) {
    resources.push({
      name: review.resource,
      singularName: review.singular,
      namespaced: false,
      kind: review.kind,
      verbs: ['create'],
    });
  }
  for (const def of RESOURCES.filter((r) => r.group === group)) {
    const entry: JsonObject = {
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.resource === 'namespaces' ? RW_VERBS.filter((v) => v !== 'deletecollection') : RW_VERBS,
    };
    if (def.shortNames) entry.shortNames = def.shortNames;
    if (def.categories) entry.categories = def.categories;
    resources.push(entry);
    for (const sub of def.subresources ?? []) {
      resources.push({
        name: `${def.resource}/${sub}`,
        singularName: '',
        namespaced: def.namespaced,
        kind: sub === 'scale' ? 'Scale' : def.kind,
        ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/v1` : 'v1', resources };
}
