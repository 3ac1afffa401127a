import { z } from 'zod';

export const JobKey = z.enum(['namespace-quota-sync', 'project-quota-sync', 'prometheus-sync']);
export type JobKey = z.infer<typeof JobKey>;
export const RunStatus = z.enum(['running', 'succeeded', 'partly-failed', 'failed', 'cancelled', 'skipped']);
export const RunTrigger = z.enum(['schedule', 'manual', 'cli', 'retry']);

export const JobRun = z
  .object({
    id: z.number().int(),
    job: JobKey,
    trigger: RunTrigger,
    scheduled_for: z.string().nullable().describe('the slot of a scheduled run (and of its retries)'),
    attempt: z.number().int(),
    status: RunStatus,
    instance: z.string().describe('the server or CLI process that ran it'),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    summary: z.string(),
    result: z.unknown().describe('per-cluster / per-source results'),
    next_retry_at: z.string().nullable(),
    cancel_requested: z.boolean(),
  })
  .meta({ id: 'JobRun' });
export type JobRun = z.infer<typeof JobRun>;

export const JobSchedule = z
  .object({
    job: JobKey,
    enabled: z.boolean(),
    mode: z.enum(['daily', 'cron']),
    hour: z.number().int(),
    minute: z.number().int(),
    interval_hours: z.number().int(),
    cron: z.string().nullable(),
    expression: z.string().describe('the cron expression in effect'),
    retries: z.number().int(),
    retry_backoff_seconds: z.number().int(),
    next_runs: z
      .array(z.string())
      .describe('the next three times it runs (ISO), in the configured time zone'),
    last_run: JobRun.nullable(),
    last_success_at: z.string().nullable(),
    running_run_id: z.number().int().nullable(),
  })
  .meta({ id: 'JobSchedule' });
export type JobSchedule = z.infer<typeof JobSchedule>;

export const SchedulerConfig = z
  .object({
    enabled: z.boolean(),
    namespace_quota_hour: z
      .number()
      .int()
      .nullable()
      .describe(
        "the seed's field: hour of the quota syncs; a cron expression's when it names one hour, else null",
      ),
    prometheus_sync_hour: z
      .number()
      .int()
      .nullable()
      .describe(
        "the seed's field: hour of the Prometheus sync; a cron expression's when it names one hour, else null",
      ),
    interval_hours: z.number().int().describe("the seed's field: hours between runs"),
    catch_up_missed: z.boolean().describe('run a slot missed while no instance was up, once, at start-up'),
    prometheus_catch_up_days: z.number().int(),
    keep_runs_days: z.number().int(),
    timezone: z.string(),
    jobs: z.array(JobSchedule),
  })
  .meta({ id: 'SchedulerConfig' });
export type SchedulerConfig = z.infer<typeof SchedulerConfig>;

/** Hours between daily runs: a divisor of 24, or 24; anything rarer needs a cron expression. */
const IntervalHours = z
  .number()
  .int()
  .min(1)
  .max(
    24,
    'more than 24 h is not a daily time: use a cron expression (for example "0 2 * * 1" runs on Mondays at 02:00)',
  );

export const JobScheduleUpdate = z.object({
  job: JobKey,
  enabled: z.boolean().optional(),
  mode: z.enum(['daily', 'cron']).optional(),
  hour: z.number().int().min(0).max(23).optional(),
  minute: z.number().int().min(0).max(59).optional(),
  interval_hours: IntervalHours.optional(),
  cron: z.string().max(200).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  retry_backoff_seconds: z.number().int().min(1).max(86_400).optional(),
});
export type JobScheduleUpdate = z.infer<typeof JobScheduleUpdate>;

export const SchedulerConfigUpdate = z
  .object({
    enabled: z.boolean(),
    namespace_quota_hour: z.number().int().min(0).max(23),
    prometheus_sync_hour: z.number().int().min(0).max(23),
    interval_hours: IntervalHours,
    catch_up_missed: z.boolean(),
    prometheus_catch_up_days: z.number().int().min(1).max(90),
    keep_runs_days: z.number().int().min(1).max(3650),
    jobs: z.array(JobScheduleUpdate),
  })
  .partial()
  .meta({ id: 'SchedulerConfigUpdate' });
export type SchedulerConfigUpdate = z.infer<typeof SchedulerConfigUpdate>;

export const JobRunQuery = z.object({
  job: JobKey.optional(),
  status: RunStatus.optional(),
  trigger: RunTrigger.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const JobRunList = z.object({ items: z.array(JobRun) });
export type JobRunList = z.infer<typeof JobRunList>;
