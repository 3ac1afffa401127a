// Answers an authenticated, authorized request: discovery, /version, the two self reviews, and GET/list of the
// stored resources. The fake is read-only: writes answer 405 instead of pretending to succeed.
import type { Authorizer } from './auth';
import type { ObjectStore, StoredObject } from './store';
import type { Json, JsonObject, UserInfo } from './types';
import type { RequestInfo, ResourceRequest } from './request-info';
import type { ResourceDef } from './resources';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersionOf,
  apiVersions,
  findResource,
  isServedGroupVersion,
} from './resources';
import type { StatusError } from './status';
import {
  badRequest,
  methodNotAllowed,
  objectNotFound,
  routeNotFound,
  status,
  unregisteredNotFound,
} from './status';
import { listPage } from './paging';

export type Reply =
  | { code: number; body: JsonObject; headers?: Record<string, string> }
  | { code: number; text: string; headers?: Record<string, string> };

export interface HandlerContext {
  store: ObjectStore;
  authorizer: Authorizer;
  user: UserInfo;
  info: RequestInfo;
  method: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST, or an Error when it was not JSON. */
  body: unknown;
  serverAddress: string;
  version: Record<string, string>;
  unregisteredPaths: 'status' | 'text';
}

export const DEFAULT_VERSION: Record<string, string> = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.4',
  gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596',
  gitTreeState: 'clean',
  buildDate: '2024-08-14T19:02:46Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const ok = (body: JsonObject, code = 200): Reply => ({ code, body });

/** The end of kube-apiserver's handler chain; see FakeKubeApiServerOptions.unregisteredPaths. */
export function unregistered(mode: 'status' | 'text'): Reply {
  return mode === 'text' ? { code: 404, text: '404 page not found\n' } : unregisteredNotFound();
}

export function handle(ctx: HandlerContext): Reply {
  return ctx.info.isResource ? resourceRequest(ctx, ctx.info) : nonResourceRequest(ctx, ctx.info.path);
}

function nonResourceRequest(ctx: HandlerContext, path: string): Reply {
  const found = nonResourceDocument(ctx, path.length > 1 ? path.replace(/\/$/, '') : path);
  if (!found) return unregistered(ctx.unregisteredPaths);
  return ctx.method === 'GET' || ctx.method === 'HEAD' ? found : methodNotAllowed();
}

/** /version, the health checks and the discovery documents; undefined when nothing is served there. */
function nonResourceDocument(ctx: HandlerContext, path: string): Reply | undefined {
  const crd = ctx.store.current().crdPresent;
  switch (path) {
    case '/version':
      return ok({ ...ctx.version });
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { code: 200, text: 'ok' };
    case '/api':
      return ok(apiVersions(ctx.serverAddress));
    case '/api/v1':
      return ok(apiResourceList(''));
    case '/apis':
      return ok(apiGroupList(crd));
  }
  // /apis/{group} and /apis/{group}/{version}
  const [root, group = '', version, extra] = path.split('/').filter(Boolean);
  if (root !== 'apis' || extra !== undefined) return undefined;
  if (version === undefined) {
    return isServedGroupVersion(group, 'v1', crd)
      ? ok({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) })
      : undefined;
  }
  return isServedGroupVersion(group, version, crd) ? ok(apiResourceList(group)) : undefined;
}

function resourceRequest(ctx: HandlerContext, info: ResourceRequest): Reply {
  if (!isServedGroupVersion(info.group, info.version, ctx.store.current().crdPresent)) {
    return unregistered(ctx.unregisteredPaths);
  }
  if (info.group === 'authorization.k8s.io' && info.resource === 'selfsubjectaccessreviews') {
    return info.verb === 'create' && !info.name && !info.namespace ? accessReview(ctx) : methodNotAllowed();
  }
  if (info.group === 'authentication.k8s.io' && info.resource === 'selfsubjectreviews') {
    return info.verb === 'create' && !info.name && !info.namespace
      ? selfReview(ctx.user)
      : methodNotAllowed();
  }
  const def = findResource(info.group, info.version, info.resource);
  // A namespaced path for a cluster-scoped resource (or an unknown subresource) has no route.
  const namespaceFits = !info.namespace || def?.namespaced || (def?.resource === 'namespaces' && info.name);
  if (!def || !namespaceFits || (info.subresource && info.subresource !== 'status')) return routeNotFound();
  switch (info.verb) {
    case 'list':
      return list(ctx, def, def.namespaced ? info.namespace : undefined);
    case 'get':
      return getOne(ctx, def, info);
    case 'watch':
      return status(405, 'MethodNotAllowed', 'fake kube-apiserver: watch is not implemented', {});
    default:
      return methodNotAllowed();
  }
}

function list(ctx: HandlerContext, def: ResourceDef, namespace: string | undefined): Reply {
  const page = listPage(ctx.store, def, namespace, {
    limit: ctx.query.get('limit') ?? undefined,
    continue: ctx.query.get('continue') ?? undefined,
    labelSelector: ctx.query.get('labelSelector') ?? undefined,
    fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
    resourceVersion: ctx.query.get('resourceVersion') ?? undefined,
  });
  if ('code' in page) return page;
  const apiVersion = apiVersionOf(def);
  const kind = `${def.kind}List`;
  if (def.custom) {
    // Unstructured lists (CRDs) keep apiVersion/kind on items and always carry metadata.continue, even empty.
    const { continue: token = '', ...rest } = page.metadata;
    return ok({
      apiVersion,
      items: page.items.map((o) => o.object),
      kind,
      metadata: { continue: token, ...rest },
    });
  }
  // Typed lists drop apiVersion/kind from their items: code must not rely on item.kind.
  return ok({ kind, apiVersion, metadata: page.metadata, items: page.items.map(withoutTypeMeta) });
}

function withoutTypeMeta(o: StoredObject): JsonObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o.object;
  return rest;
}

function getOne(ctx: HandlerContext, def: ResourceDef, info: ResourceRequest): Reply {
  const name = info.name ?? '';
  const key = def.namespaced ? `${info.namespace ?? ''}/${name}` : name;
  const found = ctx.store
    .current()
    .collections.get(def.resource)
    ?.find((o) => o.key === key);
  return found ? ok(found.object) : objectNotFound(def.group, def.resource, name);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function invalidBody(kind: string, error: unknown): StatusError {
  const why = error instanceof Error ? error.message : 'body is not a JSON object';
  return badRequest(`the object provided is unrecognized (must be of type ${kind}): ${why}`);
}

function accessReview(ctx: HandlerContext): Reply {
  const body = asObject(ctx.body);
  if (!body) return invalidBody('SelfSubjectAccessReview', ctx.body);
  const spec = asObject(body.spec) ?? {};
  const ra = asObject(spec.resourceAttributes);
  const nra = asObject(spec.nonResourceAttributes);
  if (!ra === !nra) {
    const message =
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: ' +
      '"null": exactly one of nonResourceAttributes or resourceAttributes must be specified';
    return status(422, 'Invalid', message, {
      group: 'authorization.k8s.io',
      kind: 'SelfSubjectAccessReview',
    });
  }
  const info: RequestInfo = ra
    ? {
        isResource: true,
        verb: str(ra.verb),
        group: str(ra.group),
        version: str(ra.version),
        resource: str(ra.resource),
        subresource: str(ra.subresource) || undefined,
        namespace: str(ra.namespace) || undefined,
        name: str(ra.name) || undefined,
      }
    : { isResource: false, verb: str(nra?.verb), path: str(nra?.path) };
  const allowed = ctx.authorizer.allows(ctx.user, info);
  const reviewStatus: JsonObject = allowed
    ? {
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "fake-cluster-admin" of ClusterRole "cluster-admin" to Group "system:authenticated"',
      }
    : { allowed: false };
  return ok(
    {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: spec as JsonObject,
      status: reviewStatus,
    },
    201,
  );
}

function selfReview(user: UserInfo): Reply {
  const userInfo: { [key: string]: Json } = { username: user.username, groups: [...user.groups] };
  return ok(
    {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo },
    },
    201,
  );
}
