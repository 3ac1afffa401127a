import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartBody } from '../helpers/multipart';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';
import { readSheet, workbookWith } from '../helpers/workbooks';

const HEADER = [
  '集群名称',
  '命名空间',
  '项目名称',
  'CPU限制(核)',
  '内存限制(GB)',
  'CPU已用(核)',
  '内存已用(GB)',
  'Pod限制',
  'Pod已用',
  '存储限制(GB)',
  '存储已用(GB)',
];

describe.each(testDialects())('namespace quotas on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const importSheet = async (rows: unknown[][], fields: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/k8s/quotas/import',
      ...multipartBody(
        [{ field: 'file', fileName: 'ns.xlsx', content: await workbookWith(rows as never) }],
        fields,
      ),
    });

  it('imports the template (numbers as text too), lists with rates, exports in the same layout, deletes', async () => {
    const res = await importSheet([
      HEADER,
      ['legacy', 'pay-api', 'payments', 8, '16', 2, 4, 50, 10, 100, 25],
      ['legacy', 'batch', null, 4, null, 1, null, null, null, null, null],
    ]);
    expect(res.json()).toEqual({
      stored: true,
      total_rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected_rows: 0,
      errors: [],
    });
    const list = (await t.app.inject({ url: '/api/k8s/quotas?cluster=legacy' })).json();
    // pay-api: CPU 2 of 8 = 25 %, memory 4 of 16 GiB = 25 %, pods 10 of 50 = 20 %, storage 25 of 100 GiB = 25 %
    expect(list.items).toEqual([
      expect.objectContaining({
        namespace: 'batch',
        project_name: null,
        cpu_limit: 4,
        cpu_used: 1,
        cpu_rate: 25,
        memory_limit: null,
        memory_rate: null,
        source: 'import',
      }),
      expect.objectContaining({
        namespace: 'pay-api',
        project_name: 'payments',
        cpu_rate: 25,
        memory_limit: 16,
        memory_rate: 25,
        pods_rate: 20,
        storage_limit: 100,
        storage_rate: 25,
      }),
    ]);
    expect(
      (await importSheet([HEADER, ['legacy', 'pay-api', 'payments', 8, 16, 2, 4, 50, 10, 100, 25]])).json(),
    ).toMatchObject({ unchanged: 1, created: 0 });

    const exported = await readSheet(
      (await t.app.inject({ url: '/api/k8s/quotas/export?cluster=legacy' })).rawPayload,
    );
    expect(exported.rows).toEqual([
      HEADER,
      ['legacy', 'batch', null, 4, null, 1, null, null, null, null, null],
      ['legacy', 'pay-api', 'payments', 8, 16, 2, 4, 50, 10, 100, 25],
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: '/api/k8s/quotas/legacy/batch' })).statusCode).toBe(
      204,
    );
    const again = await t.app.inject({ method: 'DELETE', url: '/api/k8s/quotas/legacy/batch' });
    expect(again.statusCode).toBe(404);
    expect(again.json().message).toBe('no quota for namespace "batch" of cluster "legacy"');
  });

  it('names row and column of each error and stores nothing', async () => {
    const res = await importSheet([
      HEADER,
      ['legacy', '', 'p', 1, 1, 1, 1, 1, 1, 1, 1],
      ['legacy', 'a', 'p', 'lots', 1, -1, 1, 1, 1, 1, 1],
      ['legacy', 'a', 'p', 1, 1, 1, 1, 1, 1, 1, 1],
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().details.map((d: { message: string }) => d.message)).toEqual([
      'row 2, column B (命名空间): 命名空间 is empty',
      'row 3, column D (CPU限制(核)): "lots" is not a number',
      'row 3, column F (CPU已用(核)): -1 is negative',
      'row 4, column B (命名空间): legacy/a already appears in row 3',
    ]);
    expect((await t.app.inject({ url: '/api/k8s/quotas' })).json()).toEqual({ items: [], total: 0 });
    const template = await t.app.inject({ url: '/api/templates/namespace-quota' });
    expect((await readSheet(template.rawPayload)).rows[0]).toEqual(HEADER);
  });

  it('names an Excel error or a formula without a saved value once, not also as empty', async () => {
    const res = await importSheet([
      HEADER,
      ['legacy', { error: '#REF!' }, 'p', 1, 1, 1, 1, 1, 1, 1, 1],
      ['legacy', 'b', { formula: 'A1' }, 1, { error: '#N/A' }, 1, 1, 1, 1, 1, 1],
      ['legacy', 'c', 'p', 1, 1, 1, 1, 1, 1, 1, 1],
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toBe('ns.xlsx: 3 error(s) in 2 of 3 row(s); nothing was imported');
    expect(res.json().details.map((d: { message: string }) => d.message)).toEqual([
      'row 2, column B (命名空间): holds the Excel error #REF!; correct the formula or type the value',
      'row 3, column C (项目名称): formula has no saved value (=A1); open the file in Excel, WPS or LibreOffice and save it again so that it is calculated',
      'row 3, column E (内存限制(GB)): holds the Excel error #N/A; correct the formula or type the value',
    ]);
  });
});
