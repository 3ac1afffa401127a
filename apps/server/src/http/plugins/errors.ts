import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorDetail } from '@kra/contracts';
import { AppError } from '../../services/app-error';
import type { AppErrorKind } from '../../services/app-error';

const STATUS_OF_KIND: Record<AppErrorKind, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
};

/** Fastify's and its plugins' own errors, in words a user of this API understands. */
const FASTIFY_CODES: Record<string, { error: string; message?: string }> = {
  FST_REQ_FILE_TOO_LARGE: { error: 'file_too_large' },
  FST_PARTS_LIMIT: { error: 'too_many_parts' },
  FST_FILES_LIMIT: { error: 'too_many_files' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    error: 'not_multipart',
    message: 'send the file as multipart/form-data',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { error: 'unsupported_media_type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { error: 'body_too_large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { error: 'invalid_json', message: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { error: 'invalid_json' },
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = {
        error: error.code,
        message: error.message,
        details: error.details,
        ...error.extra,
      };
      return reply.code(STATUS_OF_KIND[error.kind]).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details: ErrorDetail[] = error.validation.map((issue) => {
        const field = issue.instancePath.split('/').filter(Boolean).join('.');
        const where = [error.validationContext, field].filter(Boolean).join('.');
        return { code: 'invalid_value', ...(field ? { field } : {}), message: `${where}: ${issue.message}` };
      });
      return reply.code(400).send({
        error: 'invalid_request',
        message: details.map((d) => d.message).join('; '),
        details,
      } satisfies ErrorBody);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.code(500).send({
        error: 'internal',
        message: `internal error (request ${request.id})`,
        details: [],
      } satisfies ErrorBody);
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known || (error.statusCode && error.statusCode < 500)) {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
      return reply.code(status).send({
        error: known?.error ?? 'bad_request',
        message: known?.message ?? error.message,
        details: [],
      } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      error: 'internal',
      message: `internal error; the server log has the cause (request ${request.id})`,
      details: [],
    } satisfies ErrorBody);
  });
}
