import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  JobKey,
  JobRun,
  JobRunList,
  JobRunQuery,
  SchedulerConfig,
  SchedulerConfigUpdate,
} from '@kra/contracts';
import type { SchedulerService } from '../../services/scheduler.service';
import { presentRun } from '../../services/scheduler.service';

const RunParam = z.object({ id: z.coerce.number().int().positive() });
const JobParam = z.object({ job: JobKey });

export function schedulerRoutes(scheduler: SchedulerService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['scheduler'];
    app.get(
      '/api/scheduler/config',
      {
        schema: {
          tags,
          summary: '获取定时任务配置 — schedules, next runs, last runs',
          response: { 200: SchedulerConfig },
        },
      },
      () => scheduler.config(),
    );
    app.post(
      '/api/scheduler/config',
      {
        schema: {
          tags,
          summary: '更新定时任务配置 — change schedules',
          description:
            "The seed's fields: `namespace_quota_hour` sets both quota syncs, `prometheus_sync_hour` the usage sync, `interval_hours` all three. `jobs` sets one job, including a cron expression (mode `cron`).",
          body: SchedulerConfigUpdate,
          response: { 200: SchedulerConfig, 400: ErrorBody },
        },
      },
      (req) => scheduler.updateConfig(req.body),
    );
    app.post(
      '/api/scheduler/jobs/:job/run',
      {
        schema: {
          tags,
          summary: 'run a job now (409 while it runs)',
          params: JobParam,
          response: { 202: JobRun, 409: ErrorBody },
        },
      },
      async (req, reply) =>
        reply.code(202).send(presentRun((await scheduler.runNow(req.params.job, 'manual')).run)),
    );
    app.get(
      '/api/scheduler/runs',
      {
        schema: {
          tags,
          summary: 'job runs, newest first',
          querystring: JobRunQuery,
          response: { 200: JobRunList },
        },
      },
      async (req) => ({
        items: await scheduler.runs(req.query),
      }),
    );
    app.get(
      '/api/scheduler/runs/:id',
      {
        schema: {
          tags,
          summary: 'a job run and its results',
          params: RunParam,
          response: { 200: JobRun, 404: ErrorBody },
        },
      },
      (req) => scheduler.run(req.params.id),
    );
    app.post(
      '/api/scheduler/runs/:id/cancel',
      {
        schema: {
          tags,
          summary: 'cancel a running job',
          params: RunParam,
          response: { 200: JobRun, 404: ErrorBody, 409: ErrorBody },
        },
      },
      (req) => scheduler.cancel(req.params.id),
    );
  };
}
