import { toApiError } from './errors';

type Query = Record<string, string | undefined>;

/** `path` with the defined, non-empty values of `query` as its query string. */
export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw toApiError(0, cause instanceof Error ? cause.message : String(cause), undefined);
  }
}

async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; json?: unknown; form?: FormData; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await send(withQuery(path, options.query), {
    method,
    headers,
    body,
    signal: options.signal,
  });
  const parsed = await readBody(response);
  if (!response.ok) throw toApiError(response.status, response.statusText, parsed);
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown, query?: Query) => request<T>('POST', path, { json, query }),
  postForm: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
  put: <T>(path: string, json: unknown) => request<T>('PUT', path, { json }),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};

/** A spreadsheet to import, and whether to store its valid rows when some rows have errors. */
export interface SheetUpload {
  file: File;
  partial: boolean;
}

/** The multipart form every sheet import takes: `file`, and `partial=true` when asked. */
export function sheetForm({ file, partial }: SheetUpload): FormData {
  const form = new FormData();
  if (partial) form.append('partial', 'true');
  form.append('file', file, file.name);
  return form;
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** RFC 6266 file name, preferring the UTF-8 `filename*` form the server uses for Chinese names. */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return fallback;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/** GETs a file; an error answer becomes an ApiError so its body can be shown instead of saved. */
export async function download(path: string, query: Query, fallbackName: string): Promise<DownloadedFile> {
  const response = await send(withQuery(path, query), { method: 'GET' });
  if (!response.ok) throw toApiError(response.status, response.statusText, await readBody(response));
  const blob = await response.blob();
  return {
    blob,
    fileName: fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName),
  };
}
