import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  PrometheusConfig,
  PrometheusConfigCreate,
  PrometheusConfigList,
  PrometheusConfigUpdate,
  PrometheusImportResult,
  PrometheusTest,
  SyncJob,
  UsageSyncQuery,
  UsageSyncResult,
} from '@kra/contracts';
import { AppError } from '../../services/app-error';
import type { PrometheusSourceService } from '../../services/prometheus-source.service';
import type { UsageBackfillService } from '../../services/usage-backfill.service';
import type { UsageSyncService } from '../../services/usage-sync.service';
import { attachment } from '../content-disposition';
import { readSingleFile } from '../uploads';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const JobParam = z.object({ id: z.string().min(1) });

export function prometheusRoutes(
  sources: PrometheusSourceService,
  sync: UsageSyncService,
  backfill: UsageBackfillService,
  maxUploadBytes: number,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['prometheus'];
    app.get(
      '/api/prometheus/configs',
      {
        schema: {
          tags,
          summary: '获取Prometheus配置列表 — sources (no secrets)',
          response: { 200: PrometheusConfigList },
        },
      },
      () => sources.list(),
    );

    app.post(
      '/api/prometheus/configs',
      {
        schema: {
          tags,
          summary: '添加Prometheus配置 — add a source',
          description:
            "`use_accurate_sync: true` alone means strategy replica-dedup (the seed's 精确同步). Token, password and headers are stored encrypted and never returned.",
          body: PrometheusConfigCreate,
          response: { 201: PrometheusConfig, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => reply.code(201).send(await sources.create(req.body)),
    );

    app.put(
      '/api/prometheus/configs/:id',
      {
        schema: {
          tags,
          summary: 'edit a source (omit secret/headers to keep them)',
          params: IdParam,
          body: PrometheusConfigUpdate,
          response: { 200: PrometheusConfig, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      (req) => sources.update(req.params.id, req.body),
    );

    app.delete(
      '/api/prometheus/configs/:id',
      {
        schema: {
          tags,
          summary: '删除Prometheus配置 — delete a source',
          params: IdParam,
          response: { 204: z.null(), 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await sources.remove(req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/prometheus/configs/:id/test',
      {
        schema: {
          tags,
          summary: 'test a source: build info, `up`, needed metrics',
          params: IdParam,
          response: { 200: PrometheusTest, 404: ErrorBody },
        },
      },
      (req) => sources.test(req.params.id),
    );

    app.post(
      '/api/prometheus/import',
      {
        schema: {
          tags,
          summary: '批量导入Prometheus配置 — import the source template',
          description:
            'multipart/form-data: `file` (xlsx: 配置名称 | Prometheus URL | 集群名称 | 精确同步), optional `partial=true`.',
          consumes: ['multipart/form-data'],
          response: { 200: PrometheusImportResult, 422: ErrorBody },
        },
      },
      async (req) => {
        const { fileName, data, fields } = await readSingleFile(req, 'file', maxUploadBytes);
        return sources.importWorkbook(data, fileName, {
          partial: fields.partial === 'true' || fields.partial === '1',
        });
      },
    );

    app.post(
      '/api/prometheus/sync',
      {
        schema: {
          tags,
          summary: '同步Prometheus数据 — sync daily usage',
          description:
            '`date` (default yesterday in the configured time zone) syncs that day and answers its result. `from` and `to` start a range sync (backfill) in the background and answer 202 with the job; follow it at /api/prometheus/sync/jobs/{id}.',
          querystring: UsageSyncQuery,
          response: { 200: UsageSyncResult, 202: SyncJob, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) => {
        const { config_id: ids, date, from, to } = req.query;
        if (from !== undefined || to !== undefined) {
          if (from === undefined || to === undefined || date !== undefined) {
            throw new AppError('invalid_input', 'invalid_range', 'give either date, or both from and to');
          }
          return reply.code(202).send(await backfill.start(from, to, ids));
        }
        return sync.syncDate(date, ids);
      },
    );

    app.get(
      '/api/prometheus/sync/jobs',
      {
        schema: {
          tags,
          summary: 'range syncs of this server',
          response: { 200: z.object({ items: z.array(SyncJob) }) },
        },
      },
      () => ({
        items: backfill.list(),
      }),
    );

    app.get(
      '/api/prometheus/sync/jobs/:id',
      {
        schema: {
          tags,
          summary: 'a range sync: progress and results',
          params: JobParam,
          response: { 200: SyncJob, 404: ErrorBody },
        },
      },
      (req) => backfill.get(req.params.id),
    );

    app.delete(
      '/api/prometheus/sync/jobs/:id',
      {
        schema: {
          tags,
          summary: 'cancel a range sync',
          params: JobParam,
          response: { 200: SyncJob, 404: ErrorBody },
        },
      },
      (req) => backfill.cancel(req.params.id),
    );

    app.get(
      '/api/templates/prometheus-config',
      { schema: { tags: ['templates'], summary: '下载Prometheus配置模板 — source template' } },
      async (_req, reply) =>
        reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', attachment('prometheus_config_template.xlsx'))
          .send(await sources.template()),
    );
  };
}
