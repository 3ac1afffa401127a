import type { ErrorBody, ErrorDetail, UploadedFile } from '@kra/contracts';

/** An error answer of the API (or a failure to reach it), with every field of its body kept. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Fields beyond `error`, `message` and `details`, e.g. `available_dates` or `files`. */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error;
    this.details = body.details;
    const { error: _error, message: _message, details: _details, ...extra } = body;
    this.extra = extra;
  }

  /** Dates that do have data, sent with `report_not_found` on export. */
  get availableDates(): string[] {
    const dates = this.extra.available_dates;
    return Array.isArray(dates) ? dates.filter((d): d is string => typeof d === 'string') : [];
  }

  /** The run that holds the job, sent with `job_running` (409) to a second "run now". */
  get runningRunId(): number | null {
    const id = this.extra.running_run_id;
    return typeof id === 'number' ? id : null;
  }

  /** Per-file results sent with a 422 answer to a daily-report upload. */
  get files(): UploadedFile[] {
    const files = this.extra.files;
    return Array.isArray(files) ? (files as UploadedFile[]) : [];
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads an error body; answers that are not the API's JSON (a proxy's HTML page, say) get a generic one. */
export function toApiError(status: number, statusText: string, body: unknown): ApiError {
  if (isRecord(body) && typeof body.error === 'string' && typeof body.message === 'string') {
    const details = Array.isArray(body.details) ? (body.details as ErrorDetail[]) : [];
    return new ApiError(status, { ...body, error: body.error, message: body.message, details });
  }
  const message = status === 0 ? statusText : `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  return new ApiError(status, {
    error: status === 0 ? 'network_error' : `http_${status}`,
    message,
    details: [],
  });
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
