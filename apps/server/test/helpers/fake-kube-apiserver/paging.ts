// Chunked lists the way the etcd3 storage answers them (k8s.io/apiserver/pkg/storage): `limit` cuts the
// list, `continue` is base64url(JSON {v, rv, start}) naming the snapshot revision and the next key, later pages
// come from that same snapshot, and a token whose revision has been compacted answers 410 Expired with a fresh
// token (rv -1) that continues, inconsistently, from the latest state.
import type { JsonObject } from './types';
import type { ObjectStore, Snapshot, StoredObject } from './store';
import type { ResourceDef } from './resources';
import type { StatusError } from './status';
import { badRequest, continueExpired } from './status';
import type { Matcher } from './selectors';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';

const TOKEN_VERSION = 'meta.k8s.io/v1';

interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv, start })).toString('base64url');
}

/** storage.DecodeContinue, with its error texts (the caller prefixes "invalid continue token: "). */
function decodeContinue(token: string): ContinueToken | string {
  const invalid = 'continue key is not valid';
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return `${invalid}: illegal base64 data`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    return `${invalid}: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (typeof parsed !== 'object' || parsed === null) return `${invalid}: not an object`;
  const fields = parsed as Record<string, unknown>;
  if (fields.v !== TOKEN_VERSION) return `${invalid}: server does not recognize this encoded version`;
  const rv = fields.rv;
  const start = fields.start;
  if (typeof rv !== 'number' || rv === 0) {
    return `${invalid}: incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`;
  }
  if (typeof start !== 'string' || start === '')
    return `${invalid}: encoded start key empty (version ${TOKEN_VERSION})`;
  return { rv, start };
}

export interface ListQuery {
  limit?: string;
  continue?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}

export interface ListPage {
  items: StoredObject[];
  metadata: JsonObject;
}

/** Items of one resource, optionally in one namespace; errors come back as the Status to answer. */
export function listPage(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string | undefined,
  query: ListQuery,
): ListPage | StatusError {
  let labelMatch: Matcher | undefined;
  let fieldMatch: Matcher | undefined;
  try {
    labelMatch = parseLabelSelector(query.labelSelector);
    fieldMatch = parseFieldSelector(query.fieldSelector);
  } catch (e) {
    if (e instanceof SelectorError) return badRequest(e.message);
    throw e;
  }

  let limit = 0;
  if (query.limit !== undefined && query.limit !== '') {
    if (!/^-?\d+$/.test(query.limit))
      return badRequest(`invalid limit: strconv.ParseInt: parsing "${query.limit}"`);
    limit = Number(query.limit);
  }
  // resourceVersion=0 is served from the watch cache, which ignores limit and returns everything.
  if (query.resourceVersion === '0' && !query.continue) limit = 0;

  // Keys are relative to the list's prefix: the namespace is part of the key only for all-namespace lists.
  const relKey = (o: StoredObject): string => (namespace === undefined ? o.key : o.name);
  let snapshot: Snapshot = store.current();
  let start = '';
  if (query.continue) {
    const token = decodeContinue(query.continue);
    if (typeof token === 'string') return badRequest(`invalid continue token: ${token}`);
    start = token.start;
    if (token.rv !== -1) {
      const old = store.at(token.rv);
      if (!old) return continueExpired(encodeContinue(-1, token.start));
      snapshot = old;
    }
  }

  const all = snapshot.collections.get(def.resource) ?? [];
  const inRange = all.filter(
    (o) => (namespace === undefined || o.namespace === namespace) && relKey(o) >= start,
  );
  const matches = (o: StoredObject): boolean =>
    (!labelMatch || labelMatch(o)) && (!fieldMatch || fieldMatch(o));
  // Like the etcd3 store: walk keys in order until the page is full. "More" means more keys, matching or not,
  // so a filtered list can hand out a continue token whose next page turns out empty.
  const items: StoredObject[] = [];
  let examined = 0;
  for (const o of inRange) {
    if (limit > 0 && items.length >= limit) break;
    examined++;
    if (matches(o)) items.push(o);
  }
  const metadata: JsonObject = { resourceVersion: String(snapshot.revision) };
  const lastExamined = inRange[examined - 1];
  if (lastExamined && examined < inRange.length) {
    metadata.continue = encodeContinue(snapshot.revision, `${relKey(lastExamined)}\u0000`);
    // The count is only known when nothing is filtered out by a selector, so the real server omits it then.
    if (!labelMatch && !fieldMatch) metadata.remainingItemCount = inRange.length - examined;
  }
  return { items, metadata };
}
