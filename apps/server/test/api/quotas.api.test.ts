import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import { multipartBody } from '../helpers/multipart';
import { readSheet, workbookWith } from '../helpers/workbooks';

const HEADER = ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'];

describe.each(testDialects())('project quotas API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/quotas', payload });
  const importSheet = async (
    rows: unknown[][],
    fields: Record<string, string> = {},
    fileName = 'quotas.xlsx',
  ) => {
    const body = multipartBody(
      [{ field: 'file', fileName, content: await workbookWith(rows as never) }],
      fields,
    );
    return t.app.inject({ method: 'POST', url: '/api/quotas/import', ...body });
  };
  const list = async (search?: string) =>
    (
      await t.app.inject({
        url: `/api/quotas${search === undefined ? '' : `?search=${encodeURIComponent(search)}`}`,
      })
    ).json();

  it('adds, edits, lists and deletes a quota', async () => {
    const created = await post({ cloud_id: '1001', project_name: 'alpha', cpu_quota: 8, memory_quota: 16 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      cloud_id: '1001',
      project_name: 'alpha',
      cpu_quota: 8,
      memory_quota: 16,
      source: 'manual',
      clusters: [],
      updated_at: '2026-11-25T08:00:00.000Z',
    });

    const edited = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/1001',
      payload: { memory_quota: 32.5 },
    });
    expect(edited.json()).toMatchObject({ project_name: 'alpha', cpu_quota: 8, memory_quota: 32.5 });

    expect((await list()).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['1001']);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/quotas/1001' })).statusCode).toBe(204);
    expect(await list()).toEqual({ items: [], total: 0 });
    const again = await t.app.inject({ method: 'DELETE', url: '/api/quotas/1001' });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({
      error: 'quota_not_found',
      message: 'no quota with cloud_id "1001"',
    });
  });

  it('changes the 云序号 of a quota, refusing one that is taken', async () => {
    await post({ cloud_id: 'payments', project_name: 'payments', cpu_quota: 8, memory_quota: 16 });
    await post({ cloud_id: 'P-002', project_name: 'search', cpu_quota: 1, memory_quota: 1 });
    const rekeyed = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/payments',
      payload: { cloud_id: 'P-001' },
    });
    expect(rekeyed.json()).toMatchObject({
      cloud_id: 'P-001',
      project_name: 'payments',
      cpu_quota: 8,
      source: 'manual',
    });
    expect((await list()).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['P-001', 'P-002']);
    const taken = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/P-001',
      payload: { cloud_id: 'P-002' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toBe('a quota with cloud_id "P-002" already exists');
  });

  it('refuses a taken cloud_id or project name with 409 and says which', async () => {
    await post({ cloud_id: '1', project_name: 'alpha', cpu_quota: 1, memory_quota: 1 });
    await post({ cloud_id: '2', project_name: 'beta', cpu_quota: 1, memory_quota: 1 });
    const sameId = await post({ cloud_id: '1', project_name: 'gamma', cpu_quota: 1, memory_quota: 1 });
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json().message).toBe('a quota with cloud_id "1" already exists');
    const sameName = await post({ cloud_id: '3', project_name: 'alpha', cpu_quota: 1, memory_quota: 1 });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().message).toBe('project "alpha" already has a quota under cloud_id "1"');
    const rename = await t.app.inject({
      method: 'PUT',
      url: '/api/quotas/2',
      payload: { project_name: 'alpha' },
    });
    expect(rename.statusCode).toBe(409);
  });

  it('validates fields and names them', async () => {
    const res = await post({ cloud_id: ' ', project_name: 'x', cpu_quota: -1, memory_quota: 'lots' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual([
      'cloud_id',
      'cpu_quota',
      'memory_quota',
    ]);
    expect(res.json().details[0].message).toBe('body.cloud_id: cloud_id must not be empty');
  });

  it('searches by project name or cloud_id, case-insensitively, with % taken literally', async () => {
    await post({ cloud_id: 'C-100', project_name: 'Payments', cpu_quota: 1, memory_quota: 1 });
    await post({ cloud_id: 'C-200', project_name: 'search_100%', cpu_quota: 1, memory_quota: 1 });
    await post({ cloud_id: 'C-300', project_name: 'other', cpu_quota: 1, memory_quota: 1 });
    expect((await list('PAY')).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['C-100']);
    expect((await list('c-2')).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['C-200']);
    expect((await list('0%')).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['C-200']);
    expect((await list('100')).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual([
      'C-100',
      'C-200',
    ]);
  });

  it('deletes several quotas at once and reports the unknown ones', async () => {
    for (const id of ['1', '2', '3'])
      await post({ cloud_id: id, project_name: `p${id}`, cpu_quota: 1, memory_quota: 1 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quotas/batch-delete',
      payload: { cloud_ids: ['1', '3', '9'] },
    });
    expect(res.json()).toEqual({ deleted: 2, not_found: ['9'] });
    expect((await list()).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['2']);
  });

  it('imports the template with upsert by cloud_id, reading text numbers and formula results', async () => {
    await post({ cloud_id: '1001', project_name: 'alpha', cpu_quota: 1, memory_quota: 1 });
    await post({ cloud_id: '1003', project_name: 'gamma', cpu_quota: 4, memory_quota: 8 });
    const res = await importSheet([
      HEADER,
      ['1001', 'alpha', '10', '32'],
      [1002, '示例项目', { formula: '2*3', result: 6 }, 12.5],
      ['1003', 'gamma', 4, 8],
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      stored: true,
      total_rows: 3,
      created: 1,
      updated: 1,
      unchanged: 1,
      rejected_rows: 0,
      errors: [],
    });
    const items = (await list()).items.map(
      (q: { cloud_id: string; project_name: string; cpu_quota: number; memory_quota: number }) => [
        q.cloud_id,
        q.project_name,
        q.cpu_quota,
        q.memory_quota,
      ],
    );
    expect(items).toEqual([
      ['1001', 'alpha', 10, 32],
      ['1002', '示例项目', 6, 12.5],
      ['1003', 'gamma', 4, 8],
    ]);
  });

  it('rejects Excel error cells and formulas without a saved value, naming row and column', async () => {
    const res = await importSheet([
      HEADER,
      [{ error: '#REF!' }, 'alpha', 1, 1],
      ['2', { error: '#N/A' }, 1, 1],
      ['3', 'gamma', { formula: '1/0', result: { error: '#DIV/0!' } }, 1],
      ['4', 'delta', 1, { formula: 'C5*2' }],
      ['5', { formula: 'UPPER("e")' }, 1, 1],
      ['6', 'fine', 2, 2],
    ]);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.message).toBe(
      'quotas.xlsx: 5 error(s) in 5 of 6 row(s); nothing was imported. Fix them, or import the valid rows only.',
    );
    const saveAgain = 'open the file in Excel, WPS or LibreOffice and save it again so that it is calculated';
    expect(body.details.map((d: { code: string; message: string }) => [d.code, d.message])).toEqual([
      [
        'excel_error',
        'row 2, column A (云序号): holds the Excel error #REF!; correct the formula or type the value',
      ],
      [
        'excel_error',
        'row 3, column B (项目名称): holds the Excel error #N/A; correct the formula or type the value',
      ],
      [
        'excel_error',
        'row 4, column C (CPU配额(核)): holds the Excel error #DIV/0!; correct the formula or type the value',
      ],
      [
        'formula_without_value',
        `row 5, column D (内存配额(GB)): formula has no saved value (=C5*2); ${saveAgain}`,
      ],
      [
        'formula_without_value',
        `row 6, column B (项目名称): formula has no saved value (=UPPER("e")); ${saveAgain}`,
      ],
    ]);
    expect((await list()).items).toEqual([]);

    const partial = await importSheet([HEADER, [{ error: '#REF!' }, 'alpha', 1, 1], ['6', 'fine', 2, 2]], {
      partial: 'true',
    });
    expect(partial.json()).toMatchObject({ stored: true, created: 1, rejected_rows: 1 });
    expect((await list()).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['6']);
  });

  it('stores nothing when any row is wrong, naming row and column of each error', async () => {
    const res = await importSheet([
      HEADER,
      ['1', 'alpha', 'ten', 1],
      ['', 'beta', 1, 1],
      ['3', 'gamma', 1, -4],
      ['1', 'delta', 1, 1],
      ['5', 'alpha', 1, 1],
      ['6', 'fine', 2, 2],
    ]);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toBe('quota_import_invalid');
    expect(body.message).toBe(
      'quotas.xlsx: 5 error(s) in 5 of 6 row(s); nothing was imported. Fix them, or import the valid rows only.',
    );
    expect(body.details.map((d: { message: string }) => d.message)).toEqual([
      'row 2, column C (CPU配额(核)): "ten" is not a number',
      'row 3, column A (云序号): 云序号 is empty',
      'row 4, column D (内存配额(GB)): -4 is negative',
      'row 5, column A (云序号): cloud_id "1" already appears in row 2',
      'row 6, column B (项目名称): project "alpha" already appears in row 2',
    ]);
    expect(await list()).toEqual({ items: [], total: 0 });
  });

  it('imports the valid rows only when asked', async () => {
    const res = await importSheet([HEADER, ['1', 'alpha', 'ten', 1], ['2', 'beta', 2, 4]], {
      partial: 'true',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stored: true, total_rows: 2, created: 1, rejected_rows: 1 });
    expect(res.json().errors).toHaveLength(1);
    expect((await list()).items.map((q: { cloud_id: string }) => q.cloud_id)).toEqual(['2']);
  });

  it('refuses a project name another cloud_id keeps, but allows two projects to swap names', async () => {
    await post({ cloud_id: '1', project_name: 'alpha', cpu_quota: 1, memory_quota: 1 });
    await post({ cloud_id: '2', project_name: 'beta', cpu_quota: 1, memory_quota: 1 });
    const taken = await importSheet([HEADER, ['3', 'alpha', 1, 1]]);
    expect(taken.statusCode).toBe(422);
    expect(taken.json().details[0].message).toBe(
      'row 2, column B (项目名称): project "alpha" already has a quota under cloud_id "1"',
    );

    const swap = await importSheet([HEADER, ['1', 'beta', 1, 1], ['2', 'alpha', 1, 1]]);
    expect(swap.statusCode).toBe(200);
    const names = (await list()).items.map((q: { cloud_id: string; project_name: string }) => [
      q.cloud_id,
      q.project_name,
    ]);
    expect(names).toEqual([
      ['1', 'beta'],
      ['2', 'alpha'],
    ]);
  });

  it('explains a file that is not an xlsx', async () => {
    const csv = multipartBody([{ field: 'file', fileName: 'quotas.csv', content: '云序号,项目名称\n1,a\n' }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/quotas/import', ...csv });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('not_xlsx');
    expect(res.json().message).toMatch(/^quotas\.csv: /);
    const xls = multipartBody([
      {
        field: 'file',
        fileName: 'old.xls',
        content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      },
    ]);
    const old = await t.app.inject({ method: 'POST', url: '/api/quotas/import', ...xls });
    expect(old.statusCode).toBe(422);
    expect(old.json().message).toMatch(/^old\.xls: .*\.xlsx/);
  });

  it('serves the template, which imports as is, and exports quotas in the same layout', async () => {
    const template = await t.app.inject({ url: '/api/templates/quota' });
    expect(template.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect((await readSheet(template.rawPayload)).rows[0]).toEqual(HEADER);
    const body = multipartBody([
      { field: 'file', fileName: 'quota_template.xlsx', content: template.rawPayload },
    ]);
    const imported = await t.app.inject({ method: 'POST', url: '/api/quotas/import', ...body });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ created: 2, errors: [] });

    const exported = await readSheet((await t.app.inject({ url: '/api/quotas/export' })).rawPayload);
    expect(exported.rows).toEqual([HEADER, ['1001', 'demo-project', 10, 32], ['1002', '示例项目', 4.5, 16]]);
  });
});

describe('quota import limits', () => {
  it('names a workbook larger than the upload limit', async () => {
    const t = await buildTestApp('sqlite', { maxUploadBytes: 1024 * 1024 });
    try {
      const body = multipartBody([
        { field: 'file', fileName: '配额.xlsx', content: Buffer.alloc(2 * 1024 * 1024, 1) },
      ]);
      const res = await t.app.inject({ method: 'POST', url: '/api/quotas/import', ...body });
      expect(res.statusCode).toBe(413);
      expect(res.json().message).toBe('配额.xlsx: larger than the upload limit of 1 MiB (KRA_MAX_UPLOAD_MB)');
    } finally {
      await t.close();
    }
  });
});

describe('web console serving', () => {
  it('serves the console with index.html revalidated, hashed bundles cached, and client routes falling back to it', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    const t = await buildTestApp('sqlite', { webDist: dist });
    try {
      const root = await t.app.inject({ url: '/' });
      expect(root.headers['cache-control']).toBe('no-cache');
      expect(root.body).toContain('id="root"');
      const bundle = await t.app.inject({ url: '/assets/index-abc123.js' });
      expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const route = await t.app.inject({ url: '/reports?date=2026-11-20' });
      expect(route.statusCode).toBe(200);
      expect(route.body).toContain('id="root"');
      const api = await t.app.inject({ url: '/api/nothing-here' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({
        error: 'not_found',
        message: 'no route GET /api/nothing-here',
        details: [],
      });
    } finally {
      await t.close();
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
