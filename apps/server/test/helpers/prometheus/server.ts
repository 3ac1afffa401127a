// A real Prometheus 2.42 (/usr/bin/prometheus) serving imported history, one per test file: its own temp dir,
// its own loopback port, no scrape jobs, so the data never changes under the test.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InstantQueryData } from './api';
import { instantQuery, vectorOf } from './api';
import { OutputTail } from './child-process';
import type { ImportedBlocks } from './promtool';
import { importOpenMetrics } from './promtool';

const PROMETHEUS = '/usr/bin/prometheus';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Another process may take the probed port before Prometheus binds it; that is worth a fresh port or two. */
const BIND_ATTEMPTS = 3;

export interface PrometheusServerOptions {
  /** One or more OpenMetrics texts (see openMetrics()), imported in turn; they may cover the same hours. */
  openMetrics: string | string[];
  /** More flags, e.g. ['--query.max-samples=1000']. One naming a default flag replaces that default. */
  extraArgs?: string[];
}

// A worker that ends without stop() (a crashed hook, a forgotten afterAll) must not leave Prometheus behind.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class PrometheusServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  private readonly stderr: OutputTail;
  private readonly exited: Promise<string>;
  private exitStatus: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.stderr = new OutputTail(child.stderr);
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.exitStatus = `could not be started: ${error.message}`;
        running.delete(child);
        resolve(this.exitStatus);
      });
      child.on('exit', (code, signal) => {
        this.exitStatus = signal ?? `exit ${code}`;
        running.delete(child);
        resolve(this.exitStatus);
      });
    });
  }

  /** Imports the data, starts Prometheus and resolves once it answers queries over all imported blocks. */
  static async start(options: PrometheusServerOptions): Promise<PrometheusServer> {
    const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kra-prometheus-'));
    try {
      const dataDir = path.join(workDir, 'data');
      const texts = typeof options.openMetrics === 'string' ? [options.openMetrics] : options.openMetrics;
      const blocks = await importOpenMetrics(texts, workDir, dataDir);
      const configFile = path.join(workDir, 'prometheus.yml');
      await fs.writeFile(configFile, 'scrape_configs: []\n');
      const defaults = [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        // Time retention counts back from the newest block, not from now: imported history spanning more
        // than the default 15 d would lose its oldest blocks at start-up.
        '--storage.tsdb.retention.time=100y',
      ];
      const args = [...withoutOverridden(defaults, options.extraArgs ?? []), ...(options.extraArgs ?? [])];
      return await PrometheusServer.launch(args, workDir, blocks);
    } catch (error) {
      await fs.rm(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async launch(
    args: string[],
    workDir: string,
    blocks: ImportedBlocks,
  ): Promise<PrometheusServer> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(PROMETHEUS, [...args, `--web.listen-address=127.0.0.1:${port}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const server = new PrometheusServer(child, workDir, port);
      try {
        await server.waitUntilReady();
        await server.checkImported(blocks);
        return server;
      } catch (error) {
        await server.terminate();
        const portTaken = String(server.stderr).includes('address already in use');
        if (!portTaken || attempt === BIND_ATTEMPTS) throw error;
      }
    }
  }

  /** An instant query at `time` (Unix seconds); rejects with PrometheusApiError when Prometheus refuses it. */
  query(promql: string, time: number, options: { timeout?: string } = {}): Promise<InstantQueryData> {
    return instantQuery(this.url, promql, time, options);
  }

  /** query() for a vector result, as { metric, value: number } sorted by labels. */
  async vector(promql: string, time: number): Promise<{ metric: Record<string, string>; value: number }[]> {
    return vectorOf(await this.query(promql, time));
  }

  /** Peak resident memory of the Prometheus process so far (VmHWM), for benchmarks. Linux only. */
  async peakRssBytes(): Promise<number> {
    const status = await fs.readFile(`/proc/${this.child.pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kib === undefined) throw new Error(`no VmHWM in /proc/${this.child.pid}/status`);
    return Number(kib) * 1024;
  }

  /** SIGTERM, wait for the exit (SIGKILL after 10 s), then delete the data. */
  async stop(): Promise<void> {
    await this.terminate();
    await fs.rm(this.workDir, { recursive: true, force: true });
  }

  private async terminate(): Promise<void> {
    if (this.exitStatus !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (this.exitStatus !== undefined)
        throw this.failure(`stopped (${this.exitStatus}) before it was ready`);
      if (Date.now() > deadline) throw this.failure(`was not ready within ${READY_TIMEOUT_MS / 1000} s`);
      if (await answersOk(`${this.url}/-/ready`)) return;
      await sleep(25);
    }
  }

  /** Blocks are opened (and those beyond retention deleted) before /-/ready turns 200; this proves the rest. */
  private async checkImported(blocks: ImportedBlocks): Promise<void> {
    const metrics = await (await fetch(`${this.url}/metrics`)).text();
    const loaded = Number(/^prometheus_tsdb_blocks_loaded (\S+)$/m.exec(metrics)?.[1]);
    if (loaded !== blocks.count)
      throw this.failure(
        `loaded ${loaded} of the ${blocks.count} imported blocks (retention deletes old ones at start-up)`,
      );
    if (blocks.lastSampleMs === undefined) return;
    const seen = await this.vector('count({__name__=~".+"})', blocks.lastSampleMs / 1000);
    if (seen.length === 0) throw this.failure(`sees no series at the newest imported sample`);
  }

  private failure(message: string): Error {
    return new Error(`Prometheus on ${this.url} ${message}. The end of its log:\n${this.stderr}`);
  }
}

/** The defaults whose flag the extra arguments give again: Prometheus refuses a repeated flag. */
function withoutOverridden(defaults: string[], extra: string[]): string[] {
  const flagOf = (arg: string): string => arg.split('=', 1)[0]!;
  const overridden = new Set(extra.map(flagOf));
  return defaults.filter((arg) => !overridden.has(flagOf(arg)));
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
