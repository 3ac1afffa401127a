import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSource } from '../../src/services/report-ingest.service';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

/** A report whose second half is held back until the test lets it go. */
function pausedSource(fileName: string, firstHalf: string, secondHalf: string) {
  let release!: () => void;
  let reachedPause!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const paused = new Promise<void>((resolve) => (reachedPause = resolve));
  const source: ReportSource = {
    fileName,
    async *open() {
      yield Buffer.from(firstHalf);
      reachedPause();
      await gate;
      yield Buffer.from(secondHalf);
    },
  };
  return { source, paused, release };
}

const lines = (from: number, to: number, cpu: number) =>
  Array.from({ length: to - from }, (_, i) => `alpha;ns-${from + i};${cpu};0`).join('\n') + '\n';

describe.each(testDialects())('ingest while others read, on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    await t.app.inject({
      method: 'POST',
      url: '/api/quotas',
      payload: { cloud_id: '1', project_name: 'alpha', cpu_quota: 10000, memory_quota: 1 },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers other requests mid-file and shows the earlier upload until the new one is complete', async () => {
    const first = await t.runtime.services.ingest.ingest({
      fileName: 'Day_report_2026-11-20.txt',
      open: async function* () {
        yield Buffer.from(lines(0, 10, 1));
      },
    });
    expect(first.ok).toBe(true);

    // 5,000 lines then a pause: more than a few insert chunks are already written when the test reads
    const { source, paused, release } = pausedSource(
      'Day_report_2026-11-20.txt',
      lines(0, 5000, 2),
      lines(5000, 6000, 2),
    );
    const upload = t.runtime.services.ingest.ingest(source);
    await paused;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const during = await t.app.inject({ url: '/api/reports/2026-11-20' });
    expect(during.statusCode).toBe(200);
    // still the first upload: 10 namespaces × 1 core
    expect(during.json().rows[0]).toMatchObject({ cpu_usage: 10, namespace_count: 10 });
    expect((await t.app.inject({ url: '/api/reports' })).json().items[0]).toMatchObject({ record_count: 10 });
    expect((await t.app.inject({ url: '/api/quotas' })).statusCode).toBe(200);

    release();
    const result = await upload;
    expect(result).toMatchObject({ ok: true, replaced: true, row_count: 6000 });
    // 6,000 namespaces × 2 cores
    expect((await t.app.inject({ url: '/api/reports/2026-11-20' })).json().rows[0]).toMatchObject({
      cpu_usage: 12000,
      namespace_count: 6000,
    });
  });

  it('leaves no trace of a file that fails near its end', async () => {
    const { source, paused, release } = pausedSource(
      'Day_report_2026-11-21.txt',
      lines(0, 3000, 1),
      'alpha;broken;x;0\n',
    );
    const upload = t.runtime.services.ingest.ingest(source);
    await paused;
    release();
    const result = await upload;
    expect(result).toMatchObject({ ok: false, error_count: 1 });
    expect(result.errors[0]!.message).toBe('Day_report_2026-11-21.txt:3001: cpu_cores "x" is not a number');
    expect((await t.app.inject({ url: '/api/reports/2026-11-21' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/reports' })).json()).toEqual({ items: [] });
  });
});
