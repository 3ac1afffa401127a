import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver';

const KRA = fileURLToPath(new URL('../../bin/kra.js', import.meta.url));
const TOKEN = 'cli-jobs-token-3f8c';
const HOUR = 3_600_000;

describe('kra jobs', () => {
  let dir: string;
  let api: FakeKubeApiServer;
  const kra = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [KRA, ...args], {
        env: {
          ...process.env,
          DATA_DIR: dir,
          DATABASE_URL: '',
          TZ: 'Asia/Shanghai',
          KRA_K8S_TIMEOUT_SECONDS: '5',
        },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-cli-jobs-'));
    api = await FakeKubeApiServer.start({
      state: {
        namespaces: [{ name: 'pay-api', labels: { 'cpaas.io/project': 'payments' } }],
        resourcequotas: [
          { namespace: 'pay-api', name: 'q', spec: { hard: { 'limits.cpu': '8', 'limits.memory': '16Gi' } } },
        ],
      },
    });
    api.addToken(TOKEN, 'ops-bot');
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('schedules a job at a time every N hours or on a cron expression, and switches it and the scheduler', async () => {
    const daily = await kra(
      'jobs',
      'schedule',
      'prometheus-sync',
      '--at',
      '04:30',
      '--every',
      '12',
      '--json',
    );
    expect(daily.code).toBe(0);
    const job = JSON.parse(daily.stdout);
    expect(job).toMatchObject({
      job: 'prometheus-sync',
      enabled: true,
      mode: 'daily',
      hour: 4,
      minute: 30,
      interval_hours: 12,
      expression: '30 4,16 * * *',
    });
    // 04:30 and 16:30 in Shanghai are 20:30Z and 08:30Z: the next three are 12 h apart, the first within 12 h
    const next = job.next_runs.map((iso: string) => Date.parse(iso));
    expect(job.next_runs.every((iso: string) => /T(20|08):30:00\.000Z$/.test(iso))).toBe(true);
    expect([next[1] - next[0], next[2] - next[1]]).toEqual([12 * HOUR, 12 * HOUR]);
    expect(next[0] - Date.now()).toBeGreaterThan(0);
    expect(next[0] - Date.now()).toBeLessThanOrEqual(12 * HOUR);

    const cron = await kra('jobs', 'schedule', 'namespace-quota-sync', '--cron', '0 3 * * 1', '--disable');
    expect(cron.code).toBe(0);
    expect(cron.stdout.split('\n')[0]).toBe(
      'namespace-quota-sync: OFF, 0 3 * * 1 (cron), 2 retries after 300 s',
    );

    const off = await kra('jobs', 'disable');
    expect(off).toMatchObject({ code: 0, stdout: 'scheduler OFF\n' });
    const listed = JSON.parse((await kra('jobs', 'list', '--json')).stdout);
    expect(listed).toMatchObject({ enabled: false, namespace_quota_hour: 3, prometheus_sync_hour: 4 });
    expect(listed.jobs.map((j: { job: string; enabled: boolean }) => [j.job, j.enabled])).toEqual([
      ['namespace-quota-sync', false],
      ['project-quota-sync', true],
      ['prometheus-sync', true],
    ]);
    expect(JSON.parse((await kra('jobs', 'enable', '--json')).stdout).enabled).toBe(true);
  });

  it('refuses a schedule with the reason', async () => {
    const refusals: [string[], string][] = [
      [
        ['prometheus-sync', '--every', '48'],
        'prometheus-sync: every 48 h is longer than a day, which a daily time cannot repeat evenly: use a cron expression (for example "0 2 * * 1" runs on Mondays at 02:00)',
      ],
      [['prometheus-sync', '--at', '25:00'], '--at "25:00" is not a time of day as HH:MM (00:00–23:59)'],
      [
        ['prometheus-sync', '--cron', '0 1 * * *', '--at', '01:00'],
        '--cron replaces --at and --every: give either a cron expression or a daily time',
      ],
      [
        ['prometheus-sync'],
        'nothing to change: give --at, --every, --cron, --enable, --disable, --retries or --backoff',
      ],
      [
        ['nightly', '--at', '01:00'],
        '"nightly" is not a job: namespace-quota-sync, project-quota-sync, prometheus-sync',
      ],
    ];
    for (const [args, message] of refusals) {
      expect(await kra('jobs', 'schedule', ...args)).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: ${message}\n`,
      });
    }
  });

  it('runs jobs, lists runs by job, status and trigger, and shows one with its per-cluster results', async () => {
    const kubeconfig = path.join(dir, 'prod.kubeconfig');
    fs.writeFileSync(kubeconfig, api.kubeconfig({ auth: 'token', token: TOKEN }));
    expect((await kra('clusters', 'add', '--name', 'prod', '--kubeconfig', kubeconfig)).code).toBe(0);

    const synced = await kra('jobs', 'run', 'namespace-quota-sync', '--json');
    expect(synced.code).toBe(0);
    const run = JSON.parse(synced.stdout);
    expect(run).toMatchObject({
      job: 'namespace-quota-sync',
      trigger: 'cli',
      status: 'succeeded',
      attempt: 1,
    });
    const skipped = await kra('jobs', 'run', 'prometheus-sync');
    expect(skipped.stdout).toBe(
      `run ${run.id + 1}: skipped: no Prometheus source is configured: add one under Prometheus接入 first\n`,
    );

    const runs = async (...filters: string[]) =>
      JSON.parse((await kra('jobs', 'runs', ...filters, '--json')).stdout).items.map(
        (r: { id: number; job: string }) => [r.id, r.job],
      );
    expect(await runs('--status', 'skipped')).toEqual([[run.id + 1, 'prometheus-sync']]);
    expect(await runs('--job', 'namespace-quota-sync', '--trigger', 'cli')).toEqual([
      [run.id, 'namespace-quota-sync'],
    ]);
    expect(await runs('--trigger', 'schedule')).toEqual([]);
    expect(await kra('jobs', 'runs', '--status', 'done')).toMatchObject({
      code: 1,
      stderr:
        'error: "done" is not a status: running, succeeded, partly-failed, failed, cancelled, skipped\n',
    });

    const shown = await kra('jobs', 'show', String(run.id));
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `run ${run.id}`,
      '  job              namespace-quota-sync',
      '  trigger          cli',
      '  status           succeeded',
      '  slot             -',
      '  attempt          1',
    ]);
    expect(lines).toContain(
      '  summary          namespace quotas: 1 of 1 cluster(s) synced (1 created, 0 updated, 0 removed)',
    );
    expect(lines).toContain('per cluster');
    // cluster, ok, created, updated, unchanged, skipped, removed, namespaces, requests, seconds
    expect(lines.find((l) => l.startsWith('prod'))).toMatch(
      /^prod\s+yes\s+1\s+0\s+0\s+0\s+0\s+1\s+\d+\s+\d+\.\d$/,
    );
    expect(
      JSON.parse((await kra('jobs', 'show', String(run.id), '--json')).stdout).result.clusters[0],
    ).toMatchObject({
      cluster_name: 'prod',
      ok: true,
      created: 1,
    });
    expect(await kra('jobs', 'show', '99')).toMatchObject({ code: 1, stderr: 'error: no job run 99\n' });
  });

  it('cancels only a run id that is a positive whole number, saying why not', async () => {
    for (const id of ['abc', '0', '-3', '1.5'])
      expect(await kra('jobs', 'cancel', id)).toMatchObject({
        code: 1,
        stderr: `error: run id "${id}" is not a positive whole number\n`,
      });
    expect(await kra('jobs', 'cancel', '1')).toMatchObject({
      code: 1,
      stderr: 'error: run 1 is not running (succeeded)\n',
    });
    const json = await kra('jobs', 'cancel', '1', '--json');
    expect(JSON.parse(json.stderr)).toEqual({
      error: 'run_not_running',
      message: 'run 1 is not running (succeeded)',
      details: [],
    });
  });
});
