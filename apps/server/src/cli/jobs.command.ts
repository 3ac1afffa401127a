import type { Command } from 'commander';
import { JobKey, RunStatus, RunTrigger, SyncResult, UsageSyncResult } from '@kra/contracts';
import type { JobRun, JobSchedule, JobScheduleUpdate } from '@kra/contracts';
import { AppError } from '../services/app-error';
import { presentRun } from '../services/scheduler.service';
import { printSync } from './clusters.command';
import { printUsageSync } from './prometheus.command';
import type { RuntimeFactory } from './runtime';
import { EXIT_FAILED, printJson, printTable } from './output';

/** `value` as one of `options`, or an error saying what `what` takes. */
function oneOf<T extends string>(options: readonly T[], value: string, what: string): T {
  if (!(options as readonly string[]).includes(value))
    throw new AppError(
      'invalid_input',
      `invalid_${what}`,
      `"${value}" is not a ${what}: ${options.join(', ')}`,
    );
  return value as T;
}

const jobKey = (value: string) => oneOf(JobKey.options, value, 'job');

function runId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(id) || id < 1)
    throw new AppError('invalid_input', 'invalid_run_id', `run id "${value}" is not a positive whole number`);
  return id;
}

function wholeNumber(value: string, option: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new AppError('invalid_input', 'invalid_number', `${option} "${value}" is not a whole number`);
  return Number(value);
}

interface ScheduleOptions {
  at?: string;
  every?: string;
  cron?: string;
  enable?: boolean;
  disable?: boolean;
  retries?: string;
  backoff?: string;
}

function timeOfDay(value: string): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!match)
    throw new AppError(
      'invalid_input',
      'invalid_schedule',
      `--at "${value}" is not a time of day as HH:MM (00:00–23:59)`,
    );
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The update `kra jobs schedule` asks for; the service judges the schedule itself. */
function scheduleUpdate(job: JobKey, opts: ScheduleOptions): JobScheduleUpdate {
  if (opts.enable && opts.disable)
    throw new AppError('invalid_input', 'invalid_schedule', 'give --enable or --disable, not both');
  if (opts.cron !== undefined && (opts.at !== undefined || opts.every !== undefined))
    throw new AppError(
      'invalid_input',
      'invalid_schedule',
      '--cron replaces --at and --every: give either a cron expression or a daily time',
    );
  const update: JobScheduleUpdate = {
    job,
    ...(opts.cron !== undefined ? { mode: 'cron' as const, cron: opts.cron } : {}),
    ...(opts.at !== undefined ? { mode: 'daily' as const, ...timeOfDay(opts.at) } : {}),
    ...(opts.every !== undefined ? { interval_hours: wholeNumber(opts.every, '--every') } : {}),
    ...(opts.enable || opts.disable ? { enabled: opts.enable === true } : {}),
    ...(opts.retries !== undefined ? { retries: wholeNumber(opts.retries, '--retries') } : {}),
    ...(opts.backoff !== undefined ? { retry_backoff_seconds: wholeNumber(opts.backoff, '--backoff') } : {}),
  };
  if (Object.keys(update).length === 1)
    throw new AppError(
      'invalid_input',
      'invalid_schedule',
      'nothing to change: give --at, --every, --cron, --enable, --disable, --retries or --backoff',
    );
  return update;
}

function printRuns(runs: JobRun[]): void {
  printTable(
    ['id', 'job', 'trigger', 'attempt', 'status', 'started', 'finished', 'summary'],
    runs.map((r) => [r.id, r.job, r.trigger, r.attempt, r.status, r.started_at, r.finished_at, r.summary]),
  );
}

function printSchedule(job: JobSchedule): void {
  console.log(
    `${job.job}: ${job.enabled ? 'on' : 'OFF'}, ${job.expression}${job.mode === 'cron' ? ' (cron)' : ''}, ${job.retries} retr${job.retries === 1 ? 'y' : 'ies'} after ${job.retry_backoff_seconds} s`,
  );
  console.log(`  next runs: ${job.next_runs.join(', ') || '-'}`);
}

/** A run, then its results: per cluster for the quota jobs, per day and source for the Prometheus job. */
function printRun(run: JobRun): void {
  const fields: [string, string | number | null][] = [
    ['job', run.job],
    ['trigger', run.trigger],
    ['status', run.status],
    ['slot', run.scheduled_for],
    ['attempt', run.attempt],
    ['instance', run.instance],
    ['started', run.started_at],
    ['finished', run.finished_at],
    ['next retry', run.next_retry_at],
    ['cancel requested', run.cancel_requested ? 'yes' : 'no'],
    ['summary', run.summary],
  ];
  console.log(`run ${run.id}`);
  for (const [name, value] of fields) console.log(`  ${name.padEnd(17)}${value ?? '-'}`);
  console.log('');
  const quotas = SyncResult.safeParse(run.result);
  const days = UsageSyncResult.array().safeParse(run.result);
  if (quotas.success) printSync('per cluster', quotas.data);
  else if (days.success && days.data.length > 0) printUsageSync(days.data);
  else console.log('no results: the run stopped before syncing anything');
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
    .command('schedule')
    .description(
      'change when a job runs: a daily time every N hours, or a cron expression; switch it on or off',
    )
    .argument('<job>', JobKey.options.join(' | '))
    .option('--at <HH:MM>', 'daily, first run of the day (local time of the configured zone)')
    .option('--every <hours>', 'hours between daily runs: 1, 2, 3, 4, 6, 8, 12 or 24')
    .option('--cron <expression>', 'a cron expression instead of a daily time, e.g. "0 2 * * 1"')
    .option('--enable', 'run it on its schedule')
    .option('--disable', 'do not run it on its schedule (Run now still works)')
    .option('--retries <n>', 'retries after a failed run (0–10)')
    .option('--backoff <seconds>', 'wait before the first retry, doubled for each further one')
    .option('--json', 'machine-readable output')
    .action((job: string, opts: ScheduleOptions & { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const key = jobKey(job);
        const config = await services.scheduler.updateConfig({ jobs: [scheduleUpdate(key, opts)] });
        const saved = config.jobs.find((j) => j.job === key)!;
        if (opts.json) printJson(saved);
        else printSchedule(saved);
      }),
    );
  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    jobs
      .command(name)
      .description(
        enabled
          ? 'switch the scheduler on: jobs run on their schedules from their next time'
          : 'switch the scheduler off: no job runs on its schedule, pending retries are dropped',
      )
      .option('--json', 'machine-readable output')
      .action((opts: { json?: boolean }) =>
        withRuntime(opts, async ({ services }) => {
          const config = await services.scheduler.updateConfig({ enabled });
          if (opts.json) printJson(config);
          else console.log(`scheduler ${config.enabled ? 'on' : 'OFF'}`);
        }),
      );
  }
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
    .option('--job <job>', `only this job: ${JobKey.options.join(', ')}`)
    .option('--status <status>', `only runs that ended so: ${RunStatus.options.join(', ')}`)
    .option('--trigger <trigger>', `only runs started so: ${RunTrigger.options.join(', ')}`)
    .option('--limit <n>', 'how many (1–500)', '20')
    .option('--json', 'machine-readable output')
    .action((opts: { job?: string; status?: string; trigger?: string; limit: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const limit = wholeNumber(opts.limit, '--limit');
        if (limit < 1 || limit > 500)
          throw new AppError('invalid_input', 'invalid_number', `--limit ${limit} is not 1–500`);
        const runs = await services.scheduler.runs({
          ...(opts.job !== undefined ? { job: jobKey(opts.job) } : {}),
          ...(opts.status !== undefined ? { status: oneOf(RunStatus.options, opts.status, 'status') } : {}),
          ...(opts.trigger !== undefined
            ? { trigger: oneOf(RunTrigger.options, opts.trigger, 'trigger') }
            : {}),
          limit,
        });
        if (opts.json) printJson({ items: runs });
        else printRuns(runs);
      }),
    );
  jobs
    .command('show')
    .description('a run in detail, with its per-cluster or per-source results')
    .argument('<id>', 'run id')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const run = await services.scheduler.run(runId(id));
        if (opts.json) printJson(run);
        else printRun(run);
      }),
    );
  jobs
    .command('cancel')
    .description('cancel a running job (it stops at its next check, wherever it runs)')
    .argument('<id>', 'run id')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const run = await services.scheduler.cancel(runId(id));
        if (opts.json) printJson(run);
        else console.log(`run ${run.id}: cancel requested`);
      }),
    );
}
