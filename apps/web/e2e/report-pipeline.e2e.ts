import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/http/app';
import { createRuntime } from '../../server/src/main';
import type { Runtime } from '../../server/src/main';
import { readSheet, workbookWith } from '../../server/test/helpers/workbooks';
import { AppShell, ExportPage, QuotasPage, ReportsPage, UploadPage } from './pages';
import { launchBrowser, screenshotPath } from './support/browser';

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const GiB = 1024 ** 3;

/**
 * Quotas 1001 支付平台 10 cores / 20 GiB, 1002 search 4 / 8, 1003 logistics 8 / 16.
 * 2026-11-20 (UTF-8, header, CRLF): search 5 cores (125 %, over quota) and 4 GiB (50 %);
 *   logistics 2 of 8 = 25 %, 4 of 16 GiB = 25 % (low); ghost-project has no quota (unmatched).
 * 2026-11-21 (GBK): 支付平台 8.5 of 10 = 85 %, 16 of 20 GiB = 80 % (high); search 2 of 4 = 50 %, 2 of 8 GiB = 25 %.
 */
const REPORT_20 = [
  '项目名称;命名空间;CPU(核);内存(bytes)',
  `search;search-api;5;${4 * GiB}`,
  `logistics;logistics-worker;2;${4 * GiB}`,
  `ghost-project;ghost;1;${GiB}`,
].join('\r\n');
const REPORT_21 = [
  '项目名称;命名空间;CPU(核);内存(bytes)',
  `支付平台;支付-网关;8.5;${16 * GiB}`,
  `search;search-api;2;${2 * GiB}`,
].join('\r\n');

describe('the report pipeline in the browser', () => {
  let dir: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-e2e-'));
    runtime = await createRuntime({
      database: { kind: 'sqlite', file: path.join(dir, 'analyzer.db') },
      defaultTimezone: 'Asia/Shanghai',
      secrets: { previousKeys: [], keyFile: path.join(dir, 'secret.key') },
    });
    app = await buildApp(runtime.services, {
      health: { status: 'ok', version: 'e2e', database: 'sqlite' },
      maxUploadBytes: 64 * 1024 * 1024,
      webDist: WEB_DIST,
      logger: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await runtime?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('shows the seed menus in Chinese, in order, at 1280 px', async () => {
    const shell = new AppShell(page);
    await shell.open('/quotas');
    expect(await shell.language()).toBe('zh');
    expect(await shell.menuLabels()).toEqual([
      '项目配额管理',
      '命名空间配额',
      '日报上传',
      '报表查看',
      '导出',
      '定时任务',
      'K8s接入',
      'Prometheus接入',
      '系统设置',
    ]);
    expect(await shell.menuTooltip('upload')).toContain('上传日报文件');
    expect(await noHorizontalScroll()).toBe(true);
  });

  it('imports quotas from the template', async () => {
    const quotas = new QuotasPage(page);
    await quotas.goto();
    const file = write(
      'quotas.xlsx',
      await workbookWith([
        ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)'],
        ['1001', '支付平台', 10, 20],
        ['1002', 'search', '4', '8'],
        ['1003', 'logistics', 8, 16],
      ]),
    );
    const outcome = await quotas.importQuotas(file);
    expect(outcome.stored).toBe(true);
    expect(outcome.counts).toEqual({ total_rows: 3, created: 3, updated: 0, unchanged: 0, rejected_rows: 0 });
    expect(await quotas.cloudIds()).toEqual(['1001', '1002', '1003']);
    await page.screenshot({ path: screenshotPath('e2e-01-quotas') });
  });

  it('uploads two daily reports, one of them GBK', async () => {
    const upload = new UploadPage(page);
    await upload.goto();
    const results = await upload.uploadReports([
      write('Day_report_2026-11-20.txt', REPORT_20),
      write('Day_report_2026-11-21.txt', iconv.encode(REPORT_21, 'gbk')),
    ]);
    expect(results.map((r) => [r.fileName, r.status, r.date, r.encoding, r.errors])).toEqual([
      ['Day_report_2026-11-20.txt', 'done', '2026-11-20', 'UTF-8', []],
      ['Day_report_2026-11-21.txt', 'done', '2026-11-21', 'GBK', []],
    ]);
    await page.screenshot({ path: screenshotPath('e2e-02-upload') });
  });

  it('shows a date with an over-quota project and an unmatched one', async () => {
    const reports = new ReportsPage(page);
    await reports.goto('2026-11-20');
    expect(await reports.summary()).toEqual({
      projects: 3,
      matched: 2,
      unmatched: 1,
      overQuota: 1,
      high: 1,
      medium: 0,
      low: 1,
    });
    const search = await reports.row('search');
    expect(search).toMatchObject({
      cloudId: '1002',
      cpuRate: '125.00%',
      memoryRate: '50.00%',
      level: 'high',
      overQuota: true,
    });
    expect(await reports.row('logistics')).toMatchObject({
      cpuRate: '25.00%',
      memoryRate: '25.00%',
      level: 'low',
      overQuota: false,
    });
    expect(await reports.unmatchedProjectNames()).toEqual(['ghost-project']);
    expect(await noHorizontalScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('e2e-03-report'), fullPage: true });

    const namespaces = await reports.expandNamespaces('search');
    expect(namespaces.map((n) => n.namespace)).toEqual(['search-api']);

    await reports.openDate('2026-11-21');
    expect(await reports.row('支付平台')).toMatchObject({
      cpuRate: '85.00%',
      memoryRate: '80.00%',
      level: 'high',
      overQuota: false,
    });
  });

  it('exports both dates and the downloaded sheet holds the expected cells', async () => {
    const exporter = new ExportPage(page);
    await exporter.goto();
    expect(await exporter.listedDates()).toEqual(['2026-11-21', '2026-11-20']);
    const file = await exporter.exportDates(['2026-11-20', '2026-11-21'], 'xlsx');
    await page.screenshot({ path: screenshotPath('e2e-04-export') });
    const sheet = await readSheet(fs.readFileSync(file));
    expect(sheet.name).toBe('Resource Usage Report');
    expect(sheet.rows).toEqual([
      ['主键', '周期', 'CPU利用率', '内存利用率'],
      ['1002', '2026-11-20', 1, 0.5],
      ['1003', '2026-11-20', 0.25, 0.25],
      ['1001', '2026-11-21', 0.85, 0.8],
      ['1002', '2026-11-21', 0.5, 0.25],
    ]);
  });

  it('switches to English', async () => {
    const shell = new AppShell(page);
    await shell.setLanguage('en');
    expect((await shell.menuLabels()).slice(0, 5)).toEqual([
      'Project quotas',
      'Namespace quotas',
      'Daily reports upload',
      'Reports',
      'Export',
    ]);
    await new ReportsPage(page).goto('2026-11-20');
    expect(await noHorizontalScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('e2e-05-report-en'), fullPage: true });
  });
});
