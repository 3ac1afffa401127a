import type { Command } from 'commander';
import { JobKey } from '@kra/contracts';
import type { JobRun } from '@kra/contracts';
import { AppError } from '../services/app-error';
import { presentRun } from '../services/scheduler.service';
import type { RuntimeFactory } from './runtime';
import { EXIT_FAILED, printJson, printTable } from './output';

function jobKey(value: string): JobKey {
  const parsed = JobKey.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      'invalid_job',
      `"${value}" is not a job: ${JobKey.options.join(', ')}`,
    );
  return parsed.data;
}

function printRuns(runs: JobRun[]): void {
  printTable(
    ['id', 'job', 'trigger', 'attempt', 'status', 'started', 'finished', 'summary'],
    runs.map((r) => [r.id, r.job, r.trigger, r.attempt, r.status, r.started_at, r.finished_at, r.summary]),
  );
}

export function jobsCommand(program: Command, withRuntime: RuntimeFactory): void {
  const jobs = program.command('jobs').description('scheduled jobs and their runs (定时任务)');
  jobs
    .command('list')
    .description('jobs with their schedules, next runs and last runs')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const config = await services.scheduler.config();
        if (opts.json) return printJson(config);
        console.log(`scheduler ${config.enabled ? 'on' : 'OFF'}, time zone ${config.timezone}`);
        printTable(
          ['job', 'enabled', 'schedule', 'next run', 'last run', 'last success'],
          config.jobs.map((j) => [
            j.job,
            j.enabled ? 'yes' : 'no',
            j.expression,
            j.next_runs[0] ?? '-',
            j.last_run ? `${j.last_run.status} ${j.last_run.started_at}` : '-',
            j.last_success_at,
          ]),
        );
      }),
    );
  jobs
    .command('run')
    .description('run a job now and wait for it (refused while it runs elsewhere)')
    .argument('<job>', JobKey.options.join(' | '))
    .option('--json', 'machine-readable output')
    .action((job: string, opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const started = await services.scheduler.runNow(jobKey(job), 'cli');
        const done = presentRun(await started.done);
        if (opts.json) printJson(done);
        else console.log(`run ${done.id}: ${done.status}: ${done.summary}`);
        if (done.status === 'failed' || done.status === 'partly-failed' || done.status === 'cancelled')
          process.exitCode = EXIT_FAILED;
      }),
    );
  jobs
    .command('runs')
    .description('recent runs, newest first')
    .option('--job <job>', 'only this job')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'machine-readable output')
    .action((opts: { job?: string; limit: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const runs = await services.scheduler.runs({
          ...(opts.job ? { job: jobKey(opts.job) } : {}),
          limit: Math.max(1, Math.min(500, Number(opts.limit) || 20)),
        });
        if (opts.json) printJson({ items: runs });
        else printRuns(runs);
      }),
    );
  jobs
    .command('cancel')
    .description('cancel a running job (it stops at its next check, wherever it runs)')
    .argument('<id>', 'run id')
    .action((id: string) =>
      withRuntime({}, async ({ services }) => {
        const run = await services.scheduler.cancel(Number(id));
        console.log(`run ${run.id}: cancel requested`);
      }),
    );
}
