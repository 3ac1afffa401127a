import * as k8s from '@kubernetes/client-node';
import { KubeError } from '../../ports';

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_NOT_YET_VALID',
  'EPROTO',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

function statusMessage(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'message' in parsed &&
      typeof parsed.message === 'string'
    )
      return parsed.message;
  } catch {
    return body.trim().slice(0, 200) || undefined;
  }
  return undefined;
}

export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  const header = (error.headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** 429, 5xx and dropped connections are worth another try; everything else is an answer. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof k8s.ApiException)
    return error.code === 429 || (error.code >= 500 && error.code !== 501);
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * client-node errors (ApiException with a raw body, FetchError, AbortError, exec-plugin errors) as a
 * KubeError whose message says what happened and what to check — never the request headers.
 */
export function toKubeError(error: unknown, server: string, what: string, timeoutMs: number): KubeError {
  if (error instanceof KubeError) return error;
  if (error instanceof k8s.ApiException) {
    const detail = statusMessage(error.body);
    switch (error.code) {
      case 401:
        return new KubeError(
          'unauthorized',
          `${server} refused the credentials (401 Unauthorized): the token or certificate is wrong or expired`,
          401,
        );
      case 403:
        return new KubeError(
          'forbidden',
          `${what}: forbidden (403)${detail ? `: ${detail}` : ''}; grant the permission to the kubeconfig's user`,
          403,
        );
      case 404:
        return new KubeError('not_found', `${what}: not found (404) on ${server}`, 404);
      case 410:
        return new KubeError(
          'server',
          `${what}: the list changed too fast to page through (410 Expired)`,
          410,
        );
      case 429:
        return new KubeError(
          'server',
          `${what}: ${server} is throttling requests (429 Too Many Requests)`,
          429,
        );
      default:
        return new KubeError(
          'server',
          `${what}: ${server} answered ${error.code}${detail ? `: ${detail}` : ''}`,
          error.code,
        );
    }
  }
  const e = error as { name?: string; type?: string; code?: string; message?: string };
  if (e.name === 'AbortError' || e.type === 'aborted') {
    return new KubeError(
      'timeout',
      `${what}: ${server} did not answer within ${Math.round(timeoutMs / 1000)} s`,
    );
  }
  if (e.code && TLS_CODES.has(e.code)) {
    return new KubeError(
      'tls',
      `TLS verification of ${server} failed (${e.code}): check certificate-authority-data and that the server name matches its certificate`,
    );
  }
  if (e.code && UNREACHABLE_CODES.has(e.code))
    return new KubeError('unreachable', `${server} is unreachable (${e.code})`);
  if (e.name === 'FetchError') return new KubeError('unreachable', `${what}: request to ${server} failed`);
  return new KubeError(
    'config',
    `${what}: ${e.message ? e.message.split('\n')[0] : 'the credentials could not be obtained'}`,
  );
}
