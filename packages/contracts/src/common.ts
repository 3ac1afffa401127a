import { z } from 'zod';

/** One located problem: where (file/line, row/column, field) and what. */
export const ErrorDetail = z
  .object({
    code: z.string().describe('Stable machine code, e.g. `not_a_number`'),
    message: z.string().describe('Human-readable text that names the place and the problem'),
    file: z.string().optional(),
    line: z.number().int().optional(),
    row: z.number().int().optional().describe('1-based spreadsheet row'),
    column: z.string().optional().describe('Spreadsheet column letter and header, e.g. `C (CPU配额(核))`'),
    field: z.string().optional(),
    value: z.string().optional().describe('The offending value, shortened'),
  })
  .meta({ id: 'ErrorDetail' });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.array(ErrorDetail).default([]),
  })
  .loose()
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
});
export type Health = z.infer<typeof Health>;
