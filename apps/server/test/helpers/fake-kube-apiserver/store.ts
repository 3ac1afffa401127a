// A revisioned object store standing in for etcd. Every change gets the next revision, which becomes the
// object's resourceVersion; every revision's complete state is kept as a snapshot, because paged lists are
// served from the snapshot of their first page (a consistent list), until compact() drops the old ones.
import { randomUUID } from 'node:crypto';
import type { FakeClusterState, JsonObject, ObjectMetaInput, WorkloadInput, WorkloadResource } from './types';
import { WORKLOAD_RESOURCES } from './types';
import type { Identity } from './objects';
import { buildNamespace, buildProjectQuota, buildResourceQuota, buildWorkload } from './objects';
import type { StoredResource } from './resources';

export interface StoredObject {
  /** etcd-style key below the resource prefix: "name" or "namespace/name"; lists are sorted by it. */
  key: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** The full object as GET returns it (kind and apiVersion included). */
  object: JsonObject;
  /** The object rendered without its resourceVersion, to tell a real change from a re-statement. */
  fingerprint: string;
}

export interface Snapshot {
  revision: number;
  crdPresent: boolean;
  collections: ReadonlyMap<StoredResource, readonly StoredObject[]>;
}

type Builder = (id: Identity) => JsonObject;
interface Pending {
  meta: ObjectMetaInput;
  namespace?: string;
  build: Builder;
}

/** Like a fresh cluster's etcd, revisions start well above zero so no resourceVersion looks special. */
const FIRST_REVISION = 1000;

export class ObjectStore {
  private revision = FIRST_REVISION;
  private compactedBelow = 0;
  private readonly snapshots = new Map<number, Snapshot>();
  private latest: Snapshot;

  constructor() {
    this.latest = { revision: this.revision, crdPresent: true, collections: new Map() };
    this.snapshots.set(this.revision, this.latest);
  }

  current(): Snapshot {
    return this.latest;
  }

  /** The state as of a revision, or undefined when that revision has been compacted away. */
  at(revision: number): Snapshot | undefined {
    if (revision < this.compactedBelow) return undefined;
    // The newest snapshot at or before the revision is the state at that revision.
    let best: Snapshot | undefined;
    for (const snap of this.snapshots.values()) {
      if (snap.revision <= revision && (!best || snap.revision > best.revision)) best = snap;
    }
    return best;
  }

  /** Replaces the collections present in `state`; others stay. Unchanged objects keep their resourceVersion. */
  apply(state: FakeClusterState): void {
    const collections = new Map(this.latest.collections);
    let crdPresent = this.latest.crdPresent;
    if (state.projectQuotaCrd !== undefined && state.projectQuotaCrd !== crdPresent) {
      crdPresent = state.projectQuotaCrd;
      this.revision++; // creating or deleting the CRD object is itself a write
    }
    for (const [resource, pending] of pendingCollections(state)) {
      collections.set(resource, this.replace(this.latest.collections.get(resource) ?? [], pending));
    }
    this.commit({ revision: this.revision, crdPresent, collections });
  }

  /**
   * Etcd compaction: every revision so far becomes unreadable, so continue tokens issued until now expire. A
   * compaction is preceded by at least one write in practice, so the revision moves on too.
   */
  compact(): void {
    this.revision++;
    this.compactedBelow = this.revision;
    this.snapshots.clear();
    this.commit({ ...this.latest, revision: this.revision });
  }

  private commit(snapshot: Snapshot): void {
    this.latest = snapshot;
    this.snapshots.set(snapshot.revision, snapshot);
  }

  private replace(previous: readonly StoredObject[], pending: Pending[]): StoredObject[] {
    const before = new Map(previous.map((o) => [o.key, o]));
    const next = new Map<string, StoredObject>();
    for (const p of pending) {
      const key = p.namespace === undefined ? p.meta.name : `${p.namespace}/${p.meta.name}`;
      if (next.has(key)) throw new Error(`fake kube-apiserver: duplicate object ${key}`);
      next.set(key, this.render(key, p, before.get(key)));
    }
    // A deletion is a write as well.
    for (const key of before.keys()) if (!next.has(key)) this.revision++;
    // etcd returns keys in byte order; plain string comparison gives the same for ASCII names.
    return [...next.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private render(key: string, p: Pending, old: StoredObject | undefined): StoredObject {
    const oldMeta = old?.object.metadata;
    const oldField = (field: string): string | undefined => {
      if (!oldMeta || typeof oldMeta !== 'object' || Array.isArray(oldMeta)) return undefined;
      const v = oldMeta[field];
      return typeof v === 'string' ? v : undefined;
    };
    const uid = p.meta.uid ?? oldField('uid') ?? randomUUID();
    const creationTimestamp = p.meta.creationTimestamp ?? oldField('creationTimestamp') ?? nowRfc3339();
    const fingerprint = JSON.stringify(p.build({ uid, creationTimestamp, resourceVersion: '' }));
    if (old && old.fingerprint === fingerprint) return old;
    this.revision++;
    const object = p.build({ uid, creationTimestamp, resourceVersion: String(this.revision) });
    const labels = labelsOf(object);
    return { key, name: p.meta.name, namespace: p.namespace, labels, object, fingerprint };
  }
}

/** Real timestamps have second precision: "2024-05-01T10:00:00Z". */
function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function labelsOf(object: JsonObject): Record<string, string> {
  const meta = object.metadata;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return {};
  const labels = meta.labels;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

function pendingCollections(state: FakeClusterState): [StoredResource, Pending[]][] {
  const out: [StoredResource, Pending[]][] = [];
  if (state.namespaces) {
    out.push([
      'namespaces',
      state.namespaces.map((n) => ({ meta: n, build: (id) => buildNamespace(n, id) })),
    ]);
  }
  if (state.resourcequotas) {
    out.push([
      'resourcequotas',
      state.resourcequotas.map((q) => ({
        meta: q,
        namespace: q.namespace,
        build: (id) => buildResourceQuota(q, id),
      })),
    ]);
  }
  if (state.projectquotas) {
    out.push([
      'projectquotas',
      state.projectquotas.map((q) => ({ meta: q, build: (id) => buildProjectQuota(q, id) })),
    ]);
  }
  for (const resource of WORKLOAD_RESOURCES) {
    const items = state[resource];
    if (items) out.push([resource, items.map((w) => workloadPending(resource, w))]);
  }
  return out;
}

function workloadPending(resource: WorkloadResource, w: WorkloadInput): Pending {
  return { meta: w, namespace: w.namespace, build: (id) => buildWorkload(resource, w, id) };
}
