// Child-process plumbing shared by the promtool import and the Prometheus server.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Keeps the last `limit` characters a stream wrote: enough to explain a failure without holding a day of logs. */
export class OutputTail {
  private text = '';

  constructor(
    stream: Readable | null,
    private readonly limit = 8_000,
  ) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      this.text = (this.text + chunk).slice(-this.limit);
    });
  }

  toString(): string {
    return this.text;
  }
}

/** Runs a command to completion; rejects with its exit status and output tail when it fails. */
export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Drained so that a chatty command cannot stall on a full pipe; failures are explained on stderr.
    child.stdout.resume();
    const stderr = new OutputTail(child.stderr);
    child.on('error', (error) => reject(new Error(`${command} could not be started: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr}`));
    });
  });
}
