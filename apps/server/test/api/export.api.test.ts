import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartBody } from '../helpers/multipart';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import { readSheet } from '../helpers/workbooks';

const GiB = 1024 ** 3;

/**
 * 2026-11-20: 10 → CPU 1 of 3 = 0.3333333333, memory 2 of 8 GiB = 0.25
 *             9  → CPU 3 of 2 = 1.5 (1 when capped), memory 6 of 4 GiB = 1.5 (1 when capped)
 *             @risk → CPU 1 of 4 = 0.25, memory 1 of 1 GiB = 1
 *             nobody (no quota) is not exported
 * 2026-11-21: 10 → CPU 2 of 3 = 0.6666666667, memory 4 of 8 GiB = 0.5
 */
const QUOTAS = [
  { cloud_id: '10', project_name: 'ten', cpu_quota: 3, memory_quota: 8 },
  { cloud_id: '9', project_name: 'nine', cpu_quota: 2, memory_quota: 4 },
  { cloud_id: '@risk', project_name: 'risk', cpu_quota: 4, memory_quota: 1 },
];
const REPORTS = {
  'Day_report_2026-11-20.txt': `ten;t;1;${2 * GiB}\nnine;n;3;${6 * GiB}\nrisk;r;1;${GiB}\nnobody;x;1;1\n`,
  'Day_report_2026-11-21.txt': `ten;t;2;${4 * GiB}\n`,
  'Day_report_2026-11-22.txt': 'nobody;x;1;1\n',
};
const HEADER = ['主键', '周期', 'CPU利用率', '内存利用率'];

describe.each(testDialects())('export API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    for (const q of QUOTAS) await t.app.inject({ method: 'POST', url: '/api/quotas', payload: q });
    const files = Object.entries(REPORTS).map(([fileName, content]) => ({
      field: 'files',
      fileName,
      content,
    }));
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/reports/upload', ...multipartBody(files) }))
        .statusCode,
    ).toBe(200);
  });
  afterEach(async () => {
    await t.close();
  });

  it('exports the downstream sheet exactly: dates as text, fractions with 10 decimals capped at 1, by date then 主键', async () => {
    const res = await t.app.inject({ url: '/api/reports/export?dates=2026-11-21,2026-11-20' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('resource-usage-report_2026-11-20_2026-11-21.xlsx');
    const sheet = await readSheet(res.rawPayload);
    expect(sheet.name).toBe('Resource Usage Report');
    expect(sheet.rows).toEqual([
      HEADER,
      ['9', '2026-11-20', 1, 1],
      ['10', '2026-11-20', 0.3333333333, 0.25],
      ["'@risk", '2026-11-20', 0.25, 1],
      ['10', '2026-11-21', 0.6666666667, 0.5],
    ]);
    expect(sheet.types.slice(1).map((row) => row.slice(0, 2))).toEqual(Array(4).fill(['String', 'String']));
    expect(sheet.types[1]!.slice(2)).toEqual(['Number', 'Number']);
  });

  it('does not cap when the setting is off', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/settings',
      payload: { export_cap_at_one: false },
    });
    expect(put.json()).toEqual({ export_cap_at_one: false, timezone: 'Asia/Shanghai' });
    const sheet = await readSheet(
      (await t.app.inject({ url: '/api/reports/export?dates=2026-11-20' })).rawPayload,
    );
    expect(sheet.rows[1]).toEqual(['9', '2026-11-20', 1.5, 1.5]);
  });

  it('exports csv with a BOM, CRLF lines and the same rows', async () => {
    const res = await t.app.inject({ url: '/api/reports/export?dates=2026-11-20,2026-11-21&format=csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe(
      "\ufeff主键,周期,CPU利用率,内存利用率\r\n9,2026-11-20,1,1\r\n10,2026-11-20,0.3333333333,0.25\r\n'@risk,2026-11-20,0.25,1\r\n10,2026-11-21,0.6666666667,0.5\r\n",
    );
  });

  it('answers 404 with the dates that can be exported when no chosen date has a matched project', async () => {
    const res = await t.app.inject({ url: '/api/reports/export?dates=2026-11-22,2026-11-30' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'report_not_found',
      message:
        'no project with a quota has usage on 2026-11-22, 2026-11-30; upload daily reports for these dates or add quotas whose project names match',
      details: [],
      // 2026-11-22 has data, but only of a project without a quota
      available_dates: ['2026-11-20', '2026-11-21'],
    });
  });

  it('skips chosen dates without matched projects when others have some', async () => {
    const sheet = await readSheet(
      (await t.app.inject({ url: '/api/reports/export?dates=2026-11-22,2026-11-21' })).rawPayload,
    );
    expect(sheet.rows).toEqual([HEADER, ['10', '2026-11-21', 0.6666666667, 0.5]]);
  });

  it('names a malformed date list', async () => {
    const res = await t.app.inject({ url: '/api/reports/export?dates=2026-11-20,yesterday' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('querystring.dates: "yesterday" is not a date as YYYY-MM-DD');
    expect((await t.app.inject({ url: '/api/reports/export?dates=2026-11-20&format=pdf' })).statusCode).toBe(
      400,
    );
  });

  it('validates settings', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/settings',
      payload: { timezone: 'Mars/Olympus' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('body.timezone: not an IANA time zone such as Asia/Shanghai');
    expect((await t.app.inject({ url: '/api/settings' })).json()).toEqual({
      export_cap_at_one: true,
      timezone: 'Asia/Shanghai',
    });
  });
});
