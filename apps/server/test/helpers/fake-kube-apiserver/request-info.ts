// Splits a request into the attributes kube-apiserver authorizes on, following
// k8s.io/apiserver/pkg/endpoints/request.RequestInfoFactory: /api/v1/... and /apis/{group}/{version}/... are
// resource requests (verb from the method; a GET without a name is list or watch); everything else, including
// the discovery documents themselves, is a non-resource request with the lower-cased method as verb.

export interface ResourceRequest {
  isResource: true;
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceRequest {
  isResource: false;
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

// /api/v1/namespaces/{name}/status and /finalize are subresources of the namespace, not namespaced resources.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const nonResource: NonResourceRequest = { isResource: false, verb: method.toLowerCase(), path };
  const segments = path.split('/').filter((s) => s.length > 0);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return nonResource;
  }
  const baseVerb = METHOD_VERBS[method];
  if (!version || rest.length === 0 || !baseVerb) return nonResource;

  let namespace: string | undefined;
  let parts = rest;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    const third = rest[2];
    if (third !== undefined && !NAMESPACE_SUBRESOURCES.has(third)) parts = rest.slice(2);
  }
  const [resource = '', name, subresource] = parts;
  let verb = baseVerb;
  if (name === undefined && verb === 'get') verb = query.get('watch') === 'true' ? 'watch' : 'list';
  if (name === undefined && verb === 'delete') verb = 'deletecollection';
  return { isResource: true, verb, group, version, resource, subresource, namespace, name };
}
