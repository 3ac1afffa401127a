// metav1.Status bodies exactly as kube-apiserver writes them (k8s.io/apimachinery/pkg/api/errors), so that code
// which reads `reason`, `message` or `details` from a real cluster sees the same thing here. Empty fields are left
// out because the real encoder has `omitempty` on them.
import type { JsonObject } from './types';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  retryAfterSeconds?: number;
  causes?: { reason?: string; message: string }[];
}

export interface StatusError {
  code: number;
  body: JsonObject;
  /** Extra response headers (Retry-After). */
  headers?: Record<string, string>;
}

export function status(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
  metadata: JsonObject = {},
): StatusError {
  const body: JsonObject = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
  };
  if (reason) body.reason = reason;
  if (details) body.details = compactDetails(details);
  body.code = code;
  return { code, body };
}

function compactDetails(details: StatusDetails): JsonObject {
  const out: JsonObject = {};
  if (details.name) out.name = details.name;
  if (details.group) out.group = details.group;
  if (details.kind) out.kind = details.kind;
  if (details.causes) out.causes = details.causes.map((c) => ({ ...c }));
  if (details.retryAfterSeconds) out.retryAfterSeconds = details.retryAfterSeconds;
  return out;
}

/** "deployments.apps" for a group, "namespaces" for core: schema.GroupResource.String(). */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const unauthorized = (): StatusError => status(401, 'Unauthorized', 'Unauthorized');

export interface ForbiddenAttributes {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** errors.NewForbidden wrapping the authorizer's forbiddenMessage(). */
export function forbidden(a: ForbiddenAttributes): StatusError {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const reason = `User "${a.user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const subject = qualifiedResource(a.group, a.resource);
  const message = a.name
    ? `${subject} "${a.name}" is forbidden: ${reason}`
    : `${subject} is forbidden: ${reason}`;
  return status(403, 'Forbidden', message, { name: a.name, group: a.group, kind: a.resource });
}

/** Forbidden for a non-resource URL such as /api when the user may not read discovery. */
export function forbiddenPath(user: string, verb: string, path: string): StatusError {
  return status(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${path}"`, {});
}

/** errors.NewNotFound: a named object that does not exist. */
export function objectNotFound(group: string, resource: string, name: string): StatusError {
  return status(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

const NOT_FOUND_MESSAGE = 'the server could not find the requested resource';

/** go-restful's 404 inside a served group version (/api/v1/nonsense): details is present but empty. */
export const routeNotFound = (): StatusError => status(404, 'NotFound', NOT_FOUND_MESSAGE, {});

/** The end of the delegation chain (an uninstalled CRD's group): newer apiservers answer this Status. */
export const unregisteredNotFound = (): StatusError => status(404, 'NotFound', NOT_FOUND_MESSAGE);

export const badRequest = (message: string): StatusError => status(400, 'BadRequest', message);

export const methodNotAllowed = (): StatusError =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

/** What the etcd3 store answers for a continue token older than the last compaction. */
export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** 410 Expired; metadata.continue carries a token (rv -1) that continues inconsistently from the latest state. */
export function continueExpired(inconsistentContinue: string): StatusError {
  return status(410, 'Expired', CONTINUE_EXPIRED_MESSAGE, undefined, { continue: inconsistentContinue });
}

/** A Status for an injected fault, shaped like what the real server sends for that code. */
export function faultStatus(code: number, message?: string, retryAfterSeconds?: number): StatusError {
  const retry = retryAfterSeconds ?? (code === 429 ? 1 : undefined);
  const made = faultBody(code, message, retry);
  if (retry !== undefined) made.headers = { 'Retry-After': String(retry) };
  return made;
}

function faultBody(code: number, message: string | undefined, retry: number | undefined): StatusError {
  switch (code) {
    case 500: {
      // errors.NewInternalError: the cause is repeated in details.causes.
      const cause = message ?? 'fake fault injected by the test';
      return status(500, 'InternalError', `Internal error occurred: ${cause}`, {
        causes: [{ message: cause }],
      });
    }
    case 429:
      return status(429, 'TooManyRequests', message ?? 'Too many requests, please try again later.', {
        retryAfterSeconds: retry,
      });
    case 503:
      return status(
        503,
        'ServiceUnavailable',
        message ?? 'the server is currently unable to handle the request',
        retry ? { retryAfterSeconds: retry } : undefined,
      );
    case 504:
      return status(
        504,
        'Timeout',
        message ?? 'Timeout: request did not complete within requested timeout - context deadline exceeded',
        {},
      );
    case 401:
      return unauthorized();
    case 400:
      return badRequest(message ?? 'the server rejected our request for an unknown reason');
    case 404:
      return status(404, 'NotFound', message ?? NOT_FOUND_MESSAGE, {});
    case 409:
      return status(409, 'Conflict', message ?? 'the server reported a conflict', {});
    default:
      return status(code, '', message ?? `the server responded with the status code ${code}`);
  }
}
