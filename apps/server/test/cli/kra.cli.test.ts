import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import { createRuntime } from '../../src/main';
import type { Runtime } from '../../src/main';
import { readSheet, workbookWith } from '../helpers/workbooks';

const KRA = fileURLToPath(new URL('../../bin/kra.js', import.meta.url));
const GiB = 1024 ** 3;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('kra CLI on the server database', () => {
  let dir: string;
  const kra = async (...args: string[]): Promise<Run> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [KRA, ...args], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', TZ: 'Asia/Shanghai' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports quotas, uploads reports, shows and exports a date', async () => {
    const quotas = write(
      'quotas.xlsx',
      await workbookWith([
        ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'],
        ['1', 'alpha', 4, 8],
        ['2', '支付平台', '10', '10'],
      ]),
    );
    const imported = await kra('quotas', 'import', quotas, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      stored: true,
      total_rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected_rows: 0,
      errors: [],
    });

    // alpha: 3 of 4 cores = 75 %, 2 of 8 GiB = 25 % (medium); 支付平台 (GBK file): 12 of 10 cores = 120 %, 5 of 10 GiB = 50 %
    const utf8 = write('Day_report_2026-11-20.txt', `alpha;a1;1;${GiB}\nalpha;a2;2;${GiB}\n`);
    const gbk = write(
      'Day_report_2026-11-20_pay.txt',
      iconv.encode(`支付平台;支付;12;${5 * GiB}\r\n`, 'gbk'),
    );
    const uploaded = await kra('reports', 'upload', utf8, gbk);
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toBe(
      'Day_report_2026-11-20.txt: 2026-11-20, utf-8, 2 line(s), 2 row(s) stored\nDay_report_2026-11-20_pay.txt: 2026-11-20, gbk, 1 line(s), 1 row(s) stored\n',
    );

    const shown = await kra('reports', 'show', '2026-11-20', '--json');
    expect(
      JSON.parse(shown.stdout).rows.map((r: Record<string, unknown>) => [
        r.cloud_id,
        r.cpu_rate,
        r.memory_rate,
        r.over_quota,
      ]),
    ).toEqual([
      ['1', 75, 25, false],
      ['2', 120, 50, true],
    ]);
    const table = await kra('reports', 'show', '2026-11-20');
    expect(table.stdout.split('\n')[0]).toBe(
      '2026-11-20: 2 project(s), 2 matched, 0 unmatched, 1 over quota (high 1, medium 1, low 0)',
    );

    const out = path.join(dir, 'out.xlsx');
    const exported = await kra('reports', 'export', '--dates', '2026-11-20', '-o', out);
    expect(exported.code).toBe(0);
    expect((await readSheet(fs.readFileSync(out))).rows).toEqual([
      ['主键', '周期', 'CPU利用率', '内存利用率'],
      ['1', '2026-11-20', 0.75, 0.25],
      ['2', '2026-11-20', 1, 0.5],
    ]);
    expect(exported.stdout).toBe(`wrote ${out}: 2 row(s) of 2026-11-20\n`);
  });

  it('says what an export wrote with --json: the file, its rows and dates', async () => {
    const csv = path.join(dir, 'out.csv');
    const exported = await kra(
      'reports',
      'export',
      '--dates',
      '2026-11-20,2026-11-19',
      '--format',
      'csv',
      '-o',
      csv,
      '--json',
    );
    expect(exported.code).toBe(0);
    // 2026-11-19 has no data: the two projects of 2026-11-20 are the file's rows
    expect(JSON.parse(exported.stdout)).toEqual({
      path: csv,
      format: 'csv',
      rows: 2,
      dates: ['2026-11-20'],
      dates_without_rows: ['2026-11-19'],
    });
    expect(fs.readFileSync(csv, 'utf8').trim().split(/\r?\n/)).toHaveLength(3);

    const quotasFile = path.join(dir, 'quotas-export.xlsx');
    const quotas = await kra('quotas', 'export', '-o', quotasFile, '--json');
    expect(quotas.code).toBe(0);
    expect(JSON.parse(quotas.stdout)).toEqual({ path: quotasFile, rows: 2 });
    expect((await readSheet(fs.readFileSync(quotasFile))).rows.map((r) => r.slice(0, 2))).toEqual([
      ['云序号', '项目名称'],
      ['1', 'alpha'],
      ['2', '支付平台'],
    ]);
    const plain = await kra('quotas', 'export', '-o', quotasFile);
    expect(plain.stdout).toBe(`wrote ${quotasFile}: 2 quota(s)\n`);
  });

  it('uploads nothing when one of the files cannot be read', async () => {
    const first = write('Day_report_2026-11-25.txt', 'alpha;a;1;0\n');
    const second = write('Day_report_2026-11-26.txt', 'alpha;a;1;0\n');
    const missing = path.join(dir, 'Day_report_2026-11-27.txt');
    const folder = path.join(dir, 'Day_report_2026-11-28.txt');
    fs.mkdirSync(folder);
    const last = write('Day_report_2026-11-29.txt', 'alpha;a;1;0\n');
    const upload = await kra('reports', 'upload', first, second, missing, folder, last);
    expect(upload).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: 2 of 5 file(s) cannot be read; nothing was uploaded\n  ${missing}: no such file\n  ${folder}: is not a file\n`,
    });
    const dates = JSON.parse((await kra('reports', 'list', '--json')).stdout).items.map(
      (d: { date: string }) => d.date,
    );
    expect(dates).toEqual(['2026-11-20']);
  });

  it('exits 2 when rows are rejected for their content, whether or not the valid ones are stored', async () => {
    const sheet = write(
      'quotas-bad.xlsx',
      await workbookWith([
        ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'],
        ['7', 'gamma', 2, 4],
        ['8', 'delta', 'lots', 4],
      ]),
    );
    const whole = await kra('quotas', 'import', sheet);
    expect(whole.code).toBe(2);
    expect(whole.stderr.split('\n')[0]).toBe(
      'error: quotas-bad.xlsx: 1 error(s) in 1 of 2 row(s); nothing was imported. Fix them, or import the valid rows only.',
    );
    expect(whole.stderr.split('\n')[1]).toBe('  row 3, column C (CPU配额(核)): "lots" is not a number');
    const wholeJson = await kra('quotas', 'import', sheet, '--json');
    expect(wholeJson.code).toBe(2);
    expect(JSON.parse(wholeJson.stderr)).toMatchObject({ error: 'quota_import_invalid', rejected_rows: 1 });
    const listed = async () =>
      JSON.parse((await kra('quotas', 'list', '--json')).stdout).items.map(
        (q: { cloud_id: string }) => q.cloud_id,
      );
    expect(await listed()).toEqual(['1', '2']);

    const partial = await kra('quotas', 'import', sheet, '--partial', '--json');
    expect(partial.code).toBe(2);
    expect(JSON.parse(partial.stdout)).toMatchObject({ created: 1, rejected_rows: 1 });
    expect(await listed()).toEqual(['1', '2', '7']);

    const notXlsx = await kra('quotas', 'import', write('quotas.txt', 'not a workbook'));
    expect(notXlsx.code).toBe(2);
  });

  it('fails with a one-line reason and a non-zero exit code', async () => {
    const bad = write('Day_report_2026-11-21.txt', 'alpha;a;x;1\n');
    const rejected = await kra('reports', 'upload', bad);
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toBe('Day_report_2026-11-21.txt: rejected, 1 error(s); nothing stored\n');
    expect(rejected.stderr).toBe('  Day_report_2026-11-21.txt:1: cpu_cores "x" is not a number\n');

    const missing = await kra('reports', 'show', '2026-11-19');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: no usage data for 2026-11-19: upload a daily report or sync Prometheus for that date\n',
    );

    const none = await kra('reports', 'export', '--dates', '2026-11-19');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Dates that can be exported: 2026-11-20');

    const badDate = await kra('reports', 'show', '2026-13-01');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr.split('\n')[0]).toBe(
      `error: command-argument value '2026-13-01' is invalid for argument 'date'. "2026-13-01" is not a date as YYYY-MM-DD`,
    );
    const badDates = await kra('reports', 'export', '--dates', '2026-11-20,monday');
    expect(badDates.code).toBe(1);
    expect(badDates.stderr).toBe('error: --dates: "monday" is not a date as YYYY-MM-DD\n');

    const json = await kra('reports', 'show', '2026-11-19', '--json');
    expect(JSON.parse(json.stderr)).toMatchObject({ error: 'report_not_found' });
  });

  it('shares the database with a running server', async () => {
    let runtime: Runtime | undefined;
    try {
      runtime = await createRuntime({
        database: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
        defaultTimezone: 'Asia/Shanghai',
        // the CLI's own default: the key file in DATA_DIR, created by whichever starts first
        secrets: { previousKeys: [], keyFile: path.join(dir, 'secret.key') },
      });
      const app = await buildApp(runtime.services, {
        health: { status: 'ok', version: 't', database: 'sqlite' },
        maxUploadBytes: 1e6,
        webDist: dir,
        logger: false,
      });
      const upload = await kra('reports', 'upload', write('Day_report_2026-11-22.txt', 'alpha;z;2;0\n'));
      expect(upload.code).toBe(0);
      const report = (await app.inject({ url: '/api/reports/2026-11-22' })).json();
      expect(report.rows[0]).toMatchObject({ cloud_id: '1', cpu_rate: 50 });
      await app.close();
    } finally {
      await runtime?.close();
    }
  });
});
