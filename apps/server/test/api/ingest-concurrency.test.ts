import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyUsageRepository } from '../../src/db/repositories/usage.repository';
import type { UsageBatchKey, UsageBatchMeta, UsageBatchWriter } from '../../src/ports';
import { ReportIngestService } from '../../src/services/report-ingest.service';
import type { ReportSource } from '../../src/services/report-ingest.service';
import { UsageJanitor } from '../../src/services/usage-janitor';
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

/** The real repository, except that every commit fails as a dropped database connection would. */
class CommitFailingUsageRepository extends KyselyUsageRepository {
  override async beginBatch(key: UsageBatchKey, meta?: UsageBatchMeta): Promise<UsageBatchWriter> {
    const writer = await super.beginBatch(key, meta);
    return {
      ...writer,
      commit: async () => {
        throw new Error('Connection terminated unexpectedly');
      },
    };
  }
}

/** POSTs a daily report of `lineCount` lines to the listening app, generated and sent piece by piece. */
function streamUpload(
  origin: string,
  fileName: string,
  lineCount: number,
): Promise<{ status: number; body: string }> {
  const boundary = '----kra-streamed-upload';
  async function* multipart() {
    yield Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${fileName}"\r\ncontent-type: text/plain\r\n\r\n`,
    );
    for (let from = 0; from < lineCount; from += 10_000)
      yield Buffer.from(lines(from, Math.min(from + 10_000, lineCount), 1));
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${origin}/api/reports/upload`,
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    pipeline(Readable.from(multipart()), request).catch(reject);
  });
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

  it('retires the batch and purges its rows when the commit fails, instead of leaving it loading', async () => {
    const { database, clock } = t.runtime;
    const failingUsage = new CommitFailingUsageRepository(database, clock);
    const janitorErrors: unknown[] = [];
    const janitor = new UsageJanitor(failingUsage, (error) => janitorErrors.push(error));
    const ingest = new ReportIngestService(failingUsage, janitor);
    await expect(
      ingest.ingest({
        fileName: 'Day_report_2026-11-22.txt',
        open: async function* () {
          yield Buffer.from(lines(0, 6000, 1));
        },
      }),
    ).rejects.toThrow('Connection terminated unexpectedly');
    await janitor.idle();
    expect(janitorErrors).toEqual([]);
    // the janitor removed the retired batch and its 6,000 rows; nothing is left loading
    expect(await database.db.selectFrom('usage_batches').select(['origin', 'status']).execute()).toEqual([]);
    const { n } = await database.db
      .selectFrom('namespace_usage')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(0);
    expect((await t.app.inject({ url: '/api/reports' })).json()).toEqual({ items: [] });
  });

  it('answers /api/health over HTTP while it stores a 200,000-line report', async () => {
    const origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const storedRows = async () =>
      Number(
        (
          await t.runtime.database.db
            .selectFrom('namespace_usage')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const events: string[] = [];
    let uploadDone = false;
    const upload = streamUpload(origin, 'Day_report_2026-11-23.txt', 200_000).then((response) => {
      uploadDone = true;
      events.push('upload answered');
      return response;
    });

    // The server is mid-file once the first rows of the invisible batch are written.
    while (!uploadDone && (await storedRows()) === 0) await delay(5);
    events.push('rows being stored');
    while (!uploadDone) {
      const health = await fetch(`${origin}/api/health`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      if (!uploadDone) events.push('health answered');
    }

    const response = await upload;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).files[0]).toMatchObject({
      ok: true,
      line_count: 200_000,
      row_count: 200_000,
    });
    // ordering, not timing: the server answered health polls after it began storing and before it finished
    expect(events[0]).toBe('rows being stored');
    expect(events.at(-1)).toBe('upload answered');
    expect(events.filter((e) => e === 'health answered').length).toBeGreaterThanOrEqual(1);
    // 200,000 namespaces × 1 core
    expect((await t.app.inject({ url: '/api/reports/2026-11-23' })).json().rows[0]).toMatchObject({
      cpu_usage: 200_000,
      namespace_count: 200_000,
    });
  });
});
