import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../services/app-error';
import type { ReportSource } from '../services/report-ingest.service';

export interface SpooledUpload {
  files: ReportSource[];
  fields: Record<string, string>;
  cleanup(): Promise<void>;
}

const READ_CHUNK_BYTES = 256 * 1024;

const isFileTooLarge = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE';

function tooLarge(fileName: string, maxBytes: number): AppError {
  const limit = `${Math.round(maxBytes / 1024 / 1024)} MiB`;
  return new AppError(
    'too_large',
    'file_too_large',
    `${fileName}: larger than the upload limit of ${limit} (KRA_MAX_UPLOAD_MB)`,
    [{ code: 'file_too_large', file: fileName, message: `${fileName}: larger than ${limit}` }],
  );
}

function displayName(raw: string | undefined, index: number): string {
  const base = path.basename((raw ?? '').replace(/\\/g, '/'));
  return base === '' ? `upload-${index + 1}` : base;
}

/**
 * Writes every file part to a private temp folder as it arrives, so a large upload never sits in
 * memory and each file can be read twice (encoding detection). Fields may come before or after files.
 */
export async function spoolMultipart(
  request: FastifyRequest,
  fileField: string,
  maxBytes: number,
): Promise<SpooledUpload> {
  if (!request.isMultipart())
    throw new AppError('invalid_input', 'not_multipart', 'send the files as multipart/form-data');
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kra-upload-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const files: ReportSource[] = [];
  const fields: Record<string, string> = {};
  // The size limit may surface from the file stream or from the next step of the parts iterator.
  let current = '';
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const fileName = displayName(part.filename, files.length);
      current = fileName;
      if (part.fieldname !== fileField) {
        part.file.resume();
        throw new AppError(
          'invalid_input',
          'unexpected_file_field',
          `file "${fileName}" was sent in field "${part.fieldname}"; use "${fileField}"`,
        );
      }
      const target = path.join(dir, `${files.length}`);
      await pipeline(part.file, fs.createWriteStream(target));
      if (part.file.truncated) throw tooLarge(fileName, maxBytes);
      files.push({ fileName, open: () => fs.createReadStream(target, { highWaterMark: READ_CHUNK_BYTES }) });
    }
  } catch (error) {
    await cleanup();
    throw isFileTooLarge(error) ? tooLarge(current, maxBytes) : error;
  }
  return { files, fields, cleanup };
}

/** One small file (a workbook) in memory, plus the form's fields. */
export async function readSingleFile(
  request: FastifyRequest,
  fileField: string,
  maxBytes: number,
): Promise<{ fileName: string; data: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart())
    throw new AppError('invalid_input', 'not_multipart', 'send the file as multipart/form-data');
  const fields: Record<string, string> = {};
  let file: { fileName: string; data: Buffer } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
    } else if (part.fieldname === fileField && !file) {
      const fileName = displayName(part.filename, 0);
      try {
        file = { fileName, data: await part.toBuffer() };
      } catch (error) {
        if (isFileTooLarge(error)) throw tooLarge(fileName, maxBytes);
        throw error;
      }
    } else {
      part.file.resume();
    }
  }
  if (!file) throw new AppError('invalid_input', 'file_missing', `no file in the form field "${fileField}"`);
  return { ...file, fields };
}
