import { describe, expect, it } from 'vitest';
import { detailReason, fieldErrors, formatErrorDetail } from './error-detail';

const labels = { cell: (row: number, column: string | undefined) => `行 ${row}, 列 ${column ?? '?'}` };

describe('formatErrorDetail', () => {
  it('writes file errors as file:line: message, once', () => {
    const prefixed = {
      code: 'x',
      file: 'Day_report_2026-11-20.txt',
      line: 3,
      message: 'Day_report_2026-11-20.txt:3: cpu_cores "-2" is negative',
    };
    const bare = { code: 'x', file: 'a.txt', line: 7, message: 'namespace is empty' };
    expect(formatErrorDetail(prefixed, labels)).toBe(
      'Day_report_2026-11-20.txt:3: cpu_cores "-2" is negative',
    );
    expect(formatErrorDetail(bare, labels)).toBe('a.txt:7: namespace is empty');
  });

  it('writes sheet errors with the localized row and column, without the server’s own place', () => {
    const detail = {
      code: 'x',
      file: 'q.xlsx',
      row: 2,
      column: 'C (CPU配额(核))',
      message: 'row 2, column C (CPU配额(核)): "abc" is not a number',
    };
    expect(formatErrorDetail(detail, labels)).toBe('行 2, 列 C (CPU配额(核)): "abc" is not a number');
    expect(detailReason(detail)).toBe('"abc" is not a number');
  });

  it('names the field when the message does not', () => {
    expect(formatErrorDetail({ code: 'x', field: 'timezone', message: 'unknown zone' }, labels)).toBe(
      'timezone: unknown zone',
    );
    expect(
      formatErrorDetail({ code: 'x', field: 'cloud_id', message: 'cloud_id "A" is taken' }, labels),
    ).toBe('cloud_id "A" is taken');
  });
});

describe('fieldErrors', () => {
  it('maps details to form fields, dropping the request prefix', () => {
    const details = [
      { code: 'invalid_value', field: 'body.timezone', message: 'body.timezone: not an IANA time zone' },
      { code: 'taken', field: 'cloud_id', message: 'cloud_id "A" is taken' },
      { code: 'invalid', field: 'project_label', message: 'body.project_label: not a label key' },
      { code: 'other', message: 'no field' },
    ];
    expect(fieldErrors(details, ['timezone', 'cloud_id', 'project_label'] as const)).toEqual([
      { name: 'timezone', errors: ['not an IANA time zone'] },
      { name: 'cloud_id', errors: ['cloud_id "A" is taken'] },
      { name: 'project_label', errors: ['not a label key'] },
    ]);
  });
});
