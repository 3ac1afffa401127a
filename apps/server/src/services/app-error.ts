import type { ErrorDetail } from '@kra/contracts';

export type AppErrorKind = 'invalid_input' | 'not_found' | 'conflict' | 'unprocessable' | 'too_large';

/** A failure the caller can act on; http maps the kind to a status, the CLI to a one-line reason. */
export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}
