import type { UploadResult } from '@kra/contracts';
import { toApiError } from './errors';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface XhrUploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** Called once the last byte is sent: the server is parsing from then on. */
  onSent?: () => void;
  signal?: AbortSignal;
}

export class UploadAbortedError extends Error {
  constructor() {
    super('upload aborted');
    this.name = 'UploadAbortedError';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * POSTs a multipart form with XMLHttpRequest, because fetch reports no upload progress and daily
 * reports can be ~50 MB. Resolves with the JSON body; rejects with ApiError (status 0 when the
 * server could not be reached) or UploadAbortedError.
 */
export function postFormWithProgress<T>(
  url: string,
  form: FormData,
  options: XhrUploadOptions = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress?.({ loaded: event.loaded, total: event.total });
    });
    xhr.upload.addEventListener('load', () => options.onSent?.());
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(toApiError(xhr.status, xhr.statusText, body));
    });
    xhr.addEventListener('error', () => reject(toApiError(0, 'network error', undefined)));
    xhr.addEventListener('abort', () => reject(new UploadAbortedError()));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new UploadAbortedError());
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/** Uploads daily-report files; `date` (YYYY-MM-DD) overrides the date in their names. */
export function uploadReports(
  files: File[],
  date: string | undefined,
  options: XhrUploadOptions = {},
): Promise<UploadResult> {
  const form = new FormData();
  if (date) form.append('date', date);
  for (const file of files) form.append('files', file, file.name);
  return postFormWithProgress<UploadResult>('/api/reports/upload', form, options);
}
