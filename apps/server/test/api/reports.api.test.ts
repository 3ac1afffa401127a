import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartBody } from '../helpers/multipart';
import type { FormFile } from '../helpers/multipart';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

const GiB = 1024 ** 3;

/**
 * Quotas and the report of 2026-11-20, with every figure worked out here:
 * alpha: CPU 1.5 + 1.5 + 0.5 = 3.5 of 4 = 87.5 % (high); memory 2 + 4 + 1 = 7 GiB of 8 = 87.5 % (high)
 * beta:  CPU 6 of 10 = 60 % (medium); memory 15 of 20 GiB = 75 % (medium)
 * gamma: CPU 3 of 2 = 150 % (high, over quota); memory 1 of 4 GiB = 25 % (low)
 * delta: CPU 1 of 3 = 33.33… % (low); memory 4 of 16 GiB = 25 % (low)
 * ghost: no quota → unmatched
 */
const QUOTAS = [
  { cloud_id: '1001', project_name: 'alpha', cpu_quota: 4, memory_quota: 8 },
  { cloud_id: '1002', project_name: 'beta', cpu_quota: 10, memory_quota: 20 },
  { cloud_id: '1003', project_name: 'gamma', cpu_quota: 2, memory_quota: 4 },
  { cloud_id: '1004', project_name: 'delta', cpu_quota: 3, memory_quota: 16 },
];
const REPORT_20 = [
  '项目名称;命名空间;CPU(核);内存(bytes)',
  `alpha;alpha-web;1.5;${2 * GiB}`,
  `alpha;alpha-db;1.5;${4 * GiB}`,
  `alpha;alpha-web;0.5;${1 * GiB}`,
  'beta;beta-api;6;1.610612736e10',
  `gamma;gamma-job;3;${1 * GiB}`,
  `delta;delta-app;1;${4 * GiB}`,
  `ghost;ghost-ns;1;${0.5 * GiB}`,
].join('\r\n');

const file = (fileName: string, content: Buffer | string): FormFile => ({
  field: 'files',
  fileName,
  content,
  contentType: 'text/plain',
});

describe.each(testDialects())('daily reports API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    for (const q of QUOTAS)
      expect((await t.app.inject({ method: 'POST', url: '/api/quotas', payload: q })).statusCode).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  const upload = (files: FormFile[], fields: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/reports/upload', ...multipartBody(files, fields) });
  const report = async (date: string) => (await t.app.inject({ url: `/api/reports/${date}` })).json();
  const rates = async (date: string) =>
    (await report(date)).rows.map(
      (r: { project_name: string; cpu_rate: number | null; memory_rate: number | null }) => [
        r.project_name,
        r.cpu_rate,
        r.memory_rate,
      ],
    );

  it('uploads a report and shows utilization per project, unmatched last', async () => {
    const res = await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      files: [
        {
          file_name: 'Day_report_2026-11-20.txt',
          ok: true,
          date: '2026-11-20',
          encoding: 'utf-8',
          line_count: 8,
          row_count: 7,
          replaced: false,
          errors: [],
          error_count: 0,
        },
      ],
    });
    const body = await report('2026-11-20');
    expect(body.summary).toEqual({
      project_count: 5,
      matched_count: 4,
      unmatched_count: 1,
      over_quota_count: 1,
      high_count: 2,
      medium_count: 1,
      low_count: 1,
    });
    expect(body.rows[0]).toEqual({
      cloud_id: '1001',
      project_name: 'alpha',
      cpu_usage: 3.5,
      cpu_quota: 4,
      cpu_rate: 87.5,
      memory_usage: 7,
      memory_quota: 8,
      memory_rate: 87.5,
      cpu_level: 'high',
      memory_level: 'high',
      level: 'high',
      over_quota: false,
      matched: true,
      source: 'upload',
      namespace_count: 2,
    });
    expect(
      body.rows.map((r: Record<string, unknown>) => [r.cloud_id, r.project_name, r.level, r.over_quota]),
    ).toEqual([
      ['1001', 'alpha', 'high', false],
      ['1002', 'beta', 'medium', false],
      ['1003', 'gamma', 'high', true],
      ['1004', 'delta', 'low', false],
      [null, 'ghost', null, false],
    ]);
    expect(body.rows[2]).toMatchObject({
      cpu_rate: 150,
      memory_rate: 25,
      cpu_level: 'high',
      memory_level: 'low',
    });
    expect(body.rows[3].cpu_rate).toBeCloseTo(100 / 3, 10);
    expect(body.rows[4]).toMatchObject({
      cloud_id: null,
      cpu_usage: 1,
      memory_usage: 0.5,
      cpu_quota: null,
      cpu_rate: null,
      memory_rate: null,
      matched: false,
    });
  });

  it('lists a project whose quota is 0 CPU and 0 memory as unmatched, with cloud_id null, and does not export it', async () => {
    const zero = { cloud_id: '1009', project_name: 'ghost', cpu_quota: 0, memory_quota: 0 };
    expect((await t.app.inject({ method: 'POST', url: '/api/quotas', payload: zero })).statusCode).toBe(201);
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    const body = await report('2026-11-20');
    expect(body.summary).toMatchObject({ matched_count: 4, unmatched_count: 1 });
    expect(body.rows[4]).toEqual({
      cloud_id: null,
      project_name: 'ghost',
      cpu_usage: 1,
      cpu_quota: 0,
      cpu_rate: null,
      memory_usage: 0.5,
      memory_quota: 0,
      memory_rate: null,
      cpu_level: null,
      memory_level: null,
      level: null,
      over_quota: false,
      matched: false,
      source: 'upload',
      namespace_count: 1,
    });
    const csv = await t.app.inject({ url: '/api/reports/export?dates=2026-11-20&format=csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('1009');
  });

  it('sends the report gzipped to clients that accept it, the same JSON once decoded', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    const plain = await t.app.inject({ url: '/api/reports/2026-11-20' });
    const zipped = await t.app.inject({
      url: '/api/reports/2026-11-20',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
    const refused = await t.app.inject({
      url: '/api/reports/2026-11-20',
      headers: { 'accept-encoding': 'gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('lists dates with their counts and files', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    await upload([file('Day_report_2026-11-21.txt', 'alpha;a;1;1\n')]);
    const list = (await t.app.inject({ url: '/api/reports' })).json();
    expect(
      list.items.map((d: Record<string, unknown>) => [
        d.date,
        d.record_count,
        d.project_count,
        d.sources,
        d.files,
      ]),
    ).toEqual([
      ['2026-11-21', 1, 1, ['upload'], ['Day_report_2026-11-21.txt']],
      ['2026-11-20', 7, 5, ['upload'], ['Day_report_2026-11-20.txt']],
    ]);
  });

  it('drills down to the namespaces of a project, duplicates summed', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    const res = await t.app.inject({ url: '/api/reports/2026-11-20/namespaces?project=alpha' });
    expect(res.json()).toEqual({
      date: '2026-11-20',
      project_name: 'alpha',
      items: [
        {
          namespace: 'alpha-db',
          cluster: null,
          cpu_usage: 1.5,
          memory_usage: 4,
          source: 'upload',
          origin: 'Day_report_2026-11-20.txt',
          strategy: null,
          counted: true,
        },
        {
          namespace: 'alpha-web',
          cluster: null,
          cpu_usage: 2,
          memory_usage: 3,
          source: 'upload',
          origin: 'Day_report_2026-11-20.txt',
          strategy: null,
          counted: true,
        },
      ],
    });
    expect(
      (await t.app.inject({ url: '/api/reports/2026-11-20/namespaces?project=nobody' })).statusCode,
    ).toBe(404);
  });

  it('replaces a re-uploaded file and adds files of other names', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    const extra = await upload([file('Day_report_2026-11-20_batch.txt', `alpha;alpha-batch;0.5;${1 * GiB}`)]);
    expect(extra.json().files[0]).toMatchObject({ date: '2026-11-20', replaced: false });
    // alpha: 3.5 + 0.5 = 4 of 4 cores = 100 %, 7 + 1 = 8 of 8 GiB = 100 %: high, not over
    expect((await report('2026-11-20')).rows[0]).toMatchObject({
      project_name: 'alpha',
      cpu_rate: 100,
      memory_rate: 100,
      over_quota: false,
      namespace_count: 3,
    });

    const again = await upload([file('Day_report_2026-11-20.txt', `alpha;alpha-web;1;${1 * GiB}`)]);
    expect(again.json().files[0]).toMatchObject({ replaced: true, row_count: 1 });
    // alpha: 1 + 0.5 = 1.5 of 4 = 37.5 %; 1 + 1 = 2 of 8 GiB = 25 %; the other projects left with the replaced file
    expect(await rates('2026-11-20')).toEqual([['alpha', 37.5, 25]]);
    await t.runtime.services.reports.listDates();
    expect((await t.app.inject({ url: '/api/reports' })).json().items[0]).toMatchObject({
      record_count: 2,
      project_count: 1,
    });
  });

  it('reads GBK, UTF-8 with BOM, CRLF and exponent numbers', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/quotas',
      payload: { cloud_id: '2001', project_name: '支付平台', cpu_quota: 8, memory_quota: 16 },
    });
    const gbk = iconv.encode(
      `项目名称;命名空间;CPU(核);内存(bytes)\r\n支付平台;支付-网关;2;${4 * GiB}\r\n`,
      'gbk',
    );
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`支付平台;pay-db;2e0;4.294967296E9\n`),
    ]);
    const res = await upload([
      file('Day_report_2026-11-21.txt', gbk),
      file('Day_report_2026-11-21_b.txt', bom),
    ]);
    expect(res.statusCode).toBe(200);
    expect(
      res.json().files.map((f: { encoding: string; row_count: number }) => [f.encoding, f.row_count]),
    ).toEqual([
      ['gbk', 1],
      ['utf-8-bom', 1],
    ]);
    // 2 + 2 = 4 of 8 cores = 50 %; 4 + 4 = 8 of 16 GiB = 50 %
    expect(await rates('2026-11-21')).toEqual([['支付平台', 50, 50]]);
    const ns = (
      await t.app.inject({
        url: `/api/reports/2026-11-21/namespaces?project=${encodeURIComponent('支付平台')}`,
      })
    ).json();
    expect(ns.items.map((i: { namespace: string }) => i.namespace)).toEqual(['pay-db', '支付-网关']);
  });

  it('rejects a bad file whole, lists every error as file:line: reason, and keeps the earlier upload', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    const bad = [
      'alpha;alpha-web;1;1',
      'alpha;alpha-db;one;1',
      'beta;;1;1',
      '',
      'beta;beta-api;1',
      'gamma;g;1;-3',
    ].join('\n');
    const res = await upload([
      file('Day_report_2026-11-20.txt', bad),
      file('Day_report_2026-11-22.txt', 'alpha;a;1;1'),
    ]);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toBe('report_invalid');
    expect(body.message).toBe(
      '1 of 2 file(s) rejected, nothing of them stored: Day_report_2026-11-20.txt (4 error(s))',
    );
    expect(body.details.map((d: { message: string }) => d.message)).toEqual([
      'Day_report_2026-11-20.txt:2: cpu_cores "one" is not a number',
      'Day_report_2026-11-20.txt:3: namespace is empty',
      "Day_report_2026-11-20.txt:5: expected 4 fields separated by ';' (project;namespace;cpu_cores;memory_bytes), found 3",
      'Day_report_2026-11-20.txt:6: memory_bytes "-3" is negative',
    ]);
    expect(body.files.map((f: { file_name: string; ok: boolean }) => [f.file_name, f.ok])).toEqual([
      ['Day_report_2026-11-20.txt', false],
      ['Day_report_2026-11-22.txt', true],
    ]);
    expect((await report('2026-11-20')).summary.project_count).toBe(5);
    // 1 core of 4 = 25 %; 1 byte of 8 GiB = 1.164…e-8 %, rounded to 10 decimals: 0.0000000116 %
    expect(await rates('2026-11-22')).toEqual([['alpha', 25, 0.0000000116]]);
  });

  it('takes the date from a field when the file name has none, and says so when neither has one', async () => {
    const named = await upload([file('usage.txt', 'alpha;a;2;0')], { date: '2026-11-23' });
    expect(named.json().files[0]).toMatchObject({ ok: true, date: '2026-11-23' });
    const unnamed = await upload([file('usage.txt', 'alpha;a;2;0')]);
    expect(unnamed.statusCode).toBe(422);
    expect(unnamed.json().details[0].message).toBe(
      'usage.txt: no date YYYY-MM-DD in the file name; name it Day_report_YYYY-MM-DD.txt or give the date',
    );
    const badDate = await upload([file('usage.txt', 'alpha;a;2;0')], { date: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().message).toBe('date "2026-02-30" is not a date as YYYY-MM-DD');
  });

  it('refuses an empty file and a request without files', async () => {
    const empty = await upload([
      file('Day_report_2026-11-20.txt', '项目名称;命名空间;CPU(核);内存(bytes)\r\n\r\n'),
    ]);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().details[0].message).toBe(
      'Day_report_2026-11-20.txt: no data lines (project;namespace;cpu_cores;memory_bytes)',
    );
    const none = await upload([], { date: '2026-11-20' });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toBe('no file in the form field "files"');
    const json = await t.app.inject({ method: 'POST', url: '/api/reports/upload', payload: { files: [] } });
    expect(json.statusCode).toBe(400);
  });

  it("deletes one file or all of a date's uploads", async () => {
    await upload([
      file('Day_report_2026-11-20.txt', REPORT_20),
      file('Day_report_2026-11-20_batch.txt', 'alpha;b;1;1\nbeta;b;1;1'),
    ]);
    const one = await t.app.inject({
      method: 'DELETE',
      url: '/api/reports/2026-11-20?file=Day_report_2026-11-20_batch.txt',
    });
    expect(one.json()).toEqual({ deleted_files: ['Day_report_2026-11-20_batch.txt'], deleted_rows: 2 });
    expect((await report('2026-11-20')).rows[0]).toMatchObject({ project_name: 'alpha', cpu_usage: 3.5 });
    const all = await t.app.inject({ method: 'DELETE', url: '/api/reports/2026-11-20' });
    expect(all.json()).toEqual({ deleted_files: ['Day_report_2026-11-20.txt'], deleted_rows: 7 });
    const gone = await t.app.inject({ url: '/api/reports/2026-11-20' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().message).toBe(
      'no usage data for 2026-11-20: upload a daily report or sync Prometheus for that date',
    );
    expect((await t.app.inject({ url: '/api/reports' })).json()).toEqual({ items: [] });
    expect((await t.app.inject({ method: 'DELETE', url: '/api/reports/2026-11-20' })).statusCode).toBe(404);
  });

  it('follows quota changes in the next report it serves', async () => {
    await upload([file('Day_report_2026-11-20.txt', REPORT_20)]);
    expect((await report('2026-11-20')).rows[0].cpu_rate).toBe(87.5);
    await t.app.inject({ method: 'PUT', url: '/api/quotas/1001', payload: { cpu_quota: 7 } });
    // 3.5 of 7 = 50 %
    expect((await report('2026-11-20')).rows[0].cpu_rate).toBe(50);
    await t.app.inject({
      method: 'POST',
      url: '/api/quotas',
      payload: { cloud_id: '1005', project_name: 'ghost', cpu_quota: 4, memory_quota: 1 },
    });
    expect((await report('2026-11-20')).summary.unmatched_count).toBe(0);
  });

  it('serves the daily-report template, which uploads as it is', async () => {
    const template = await t.app.inject({ url: '/api/templates/report' });
    expect(template.headers['content-disposition']).toContain('Day_report_YYYY-MM-DD.txt');
    expect(template.body.split('\r\n')[0]).toBe('项目名称;命名空间;CPU(核);内存(bytes)');
    const res = await upload([file('Day_report_2026-11-24.txt', template.body)]);
    expect(res.json().files[0]).toMatchObject({ ok: true, row_count: 3 });
  });
});

describe('upload limits', () => {
  it('names the file that is larger than the limit and stores nothing', async () => {
    const t = await buildTestApp('sqlite', { maxUploadBytes: 1024 * 1024 });
    try {
      const big = 'alpha;ns;1;1\n'.repeat(100_000);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/reports/upload',
        ...multipartBody([file('Day_report_2026-11-20.txt', big)]),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().message).toBe(
        'Day_report_2026-11-20.txt: larger than the upload limit of 1 MiB (KRA_MAX_UPLOAD_MB)',
      );
      expect((await t.app.inject({ url: '/api/reports' })).json()).toEqual({ items: [] });
    } finally {
      await t.close();
    }
  });
});
