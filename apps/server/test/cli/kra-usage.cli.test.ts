import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuCounter, DAY, HOUR, memoryGauge, openMetrics, PrometheusServer } from '../helpers/prometheus';

const KRA = fileURLToPath(new URL('../../bin/kra.js', import.meta.url));

/** A loopback port nothing listens on: bound, then freed. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** YYYY-MM-DD `days` before today in UTC, the zone these runs use. */
const daysAgo = (days: number) => new Date(Date.now() - days * DAY * 1000).toISOString().slice(0, 10);

describe('kra sync usage', () => {
  // three days already over
  const [first, second, third] = [daysAgo(4), daysAgo(3), daysAgo(2)];
  let dir: string;
  let prometheus: PrometheusServer;
  const kra = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [KRA, ...args], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', TZ: 'UTC' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-cli-usage-'));
    // pay-api/api-0 uses 0.5 core and 1 GiB from before the first day to after the third
    const pod = {
      namespace: 'pay-api',
      pod: 'api-0',
      container: 'app',
      from: Date.parse(`${first}T00:00:00Z`) / 1000 - HOUR,
      to: Date.parse(`${third}T00:00:00Z`) / 1000 + DAY + HOUR,
      scrapeSeconds: 30,
    };
    prometheus = await PrometheusServer.start({
      openMetrics: openMetrics([
        cpuCounter({ ...pod, coresUsed: () => 0.5 }),
        memoryGauge({ ...pod, bytes: () => 2 ** 30 }),
      ]),
    });
    const added = await kra(
      'prometheus',
      'add',
      '--name',
      'prom',
      '--url',
      prometheus.url,
      '--cluster',
      'prod',
    );
    expect(added.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('syncs one day: a row per source on stdout, exit 0', async () => {
    const synced = await kra('sync', 'usage', '--date', second);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toBe('');
    const [header, row, ...rest] = synced.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'date',
      'source',
      'cluster',
      'strategy',
      'ok',
      'namespaces',
      'pods',
      'queries',
      'retries',
      'batches',
      'seconds',
    ]);
    expect(row!.split(/\s+/).slice(0, 10)).toEqual([
      second,
      'prom',
      'prod',
      'pod-peak',
      'yes',
      '1',
      '1',
      // CPU and memory: the census of the series, then every pod's series (api-0 has one container)
      '4',
      '0',
      '1',
    ]);
    expect(rest).toEqual([]);

    // no cluster connected: the namespace is its own project
    const report = JSON.parse((await kra('reports', 'show', second, '--json')).stdout);
    expect(
      report.rows.map(
        (r: { project_name: string; source: string; cpu_usage: number; memory_usage: number }) => [
          r.project_name,
          r.source,
          r.cpu_usage,
          r.memory_usage,
        ],
      ),
    ).toEqual([['pay-api', 'prometheus', 0.5, 1]]);
  });

  it('syncs a range day by day with progress on stderr, and says when a source failed (exit 1)', async () => {
    const range = await kra('sync', 'usage', '--from', first, '--to', third);
    expect(range.code).toBe(0);
    expect(range.stderr).toBe(`[1/3] ${first}…\n[2/3] ${second}…\n[3/3] ${third}…\n`);
    const rows = range.stdout.split('\n').filter((line) => line.includes(' prom '));
    expect(rows.map((line) => line.split(/\s+/).slice(0, 6))).toEqual(
      [first, second, third].map((date) => [date, 'prom', 'prod', 'pod-peak', 'yes', '1']),
    );

    const json = await kra('sync', 'usage', '--from', first, '--to', second, '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.cancelled).toBe(false);
    expect(parsed.results.map((r: { date: string; ok: boolean }) => [r.date, r.ok])).toEqual([
      [first, true],
      [second, true],
    ]);

    // a second source on a closed port fails alone; the command says so and exits 1
    const down = `http://127.0.0.1:${await closedPort()}`;
    const added = await kra('prometheus', 'add', '--name', 'down', '--url', down, '--cluster', 'staging');
    expect(added.code).toBe(0);
    const failed = await kra('sync', 'usage', '--from', second, '--to', third);
    expect(failed.code).toBe(1);
    expect(failed.stderr.split('\n').filter(Boolean)).toEqual([
      `[1/2] ${second}…`,
      `  down: ${down} is unreachable (ECONNREFUSED)`,
      `[2/2] ${third}…`,
      `  down: ${down} is unreachable (ECONNREFUSED)`,
    ]);
    const one = await kra('sync', 'usage', '--date', third, '--source', 'prom');
    expect(one.code).toBe(0);

    const future = await kra('sync', 'usage', '--from', third, '--to', daysAgo(-1));
    expect(future).toMatchObject({
      code: 1,
      stderr: `error: ${daysAgo(-1)} is not over yet; the last complete day is ${daysAgo(1)}\n`,
    });
    const unknown = await kra('sync', 'usage', '--date', third, '--source', 'nope');
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'error: no Prometheus source named "nope" (kra prometheus list shows them)\n',
    });
  });
});
