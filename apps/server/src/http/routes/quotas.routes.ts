import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  ProjectQuota,
  QuotaBatchDelete,
  QuotaBatchDeleteResult,
  QuotaCreate,
  QuotaImportResult,
  QuotaList,
  QuotaListQuery,
  QuotaUpdate,
} from '@kra/contracts';
import type { QuotaService } from '../../services/quota.service';
import { attachment } from '../content-disposition';
import { readSingleFile } from '../uploads';

const CloudIdParam = z.object({ cloud_id: z.string().min(1) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function quotaRoutes(quotas: QuotaService, maxUploadBytes: number): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['quotas'];
    app.get(
      '/api/quotas',
      {
        schema: {
          tags,
          summary: '获取所有配额列表 — list quotas',
          querystring: QuotaListQuery,
          response: { 200: QuotaList },
        },
      },
      (req) => quotas.list(req.query.search),
    );

    app.post(
      '/api/quotas',
      {
        schema: {
          tags,
          summary: '添加单个配额 — add a quota',
          body: QuotaCreate,
          response: { 201: ProjectQuota, 409: ErrorBody },
        },
      },
      async (req, reply) => reply.code(201).send(await quotas.create(req.body)),
    );

    app.put(
      '/api/quotas/:cloud_id',
      {
        schema: {
          tags,
          summary: '修改配额 — update a quota',
          params: CloudIdParam,
          body: QuotaUpdate,
          response: { 200: ProjectQuota, 404: ErrorBody, 409: ErrorBody },
        },
      },
      (req) => quotas.update(req.params.cloud_id, req.body),
    );

    app.delete(
      '/api/quotas/:cloud_id',
      {
        schema: {
          tags,
          summary: '删除配额 — delete a quota',
          params: CloudIdParam,
          response: { 204: z.null(), 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await quotas.remove(req.params.cloud_id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/quotas/batch-delete',
      {
        schema: {
          tags,
          summary: '批量删除配额 — delete several quotas',
          body: QuotaBatchDelete,
          response: { 200: QuotaBatchDeleteResult },
        },
      },
      (req) => quotas.removeMany(req.body.cloud_ids),
    );

    app.post(
      '/api/quotas/import',
      {
        schema: {
          tags,
          summary: 'Excel导入配额 — import the quota template (upsert by 云序号)',
          description:
            'multipart/form-data: `file` (xlsx, columns 云序号 | 项目名称 | CPU配额(核) | 内存配额(GB)) and optional `partial=true` to store the valid rows when some rows have errors. Without it, any error stores nothing and answers 422 with every error by row and column.',
          consumes: ['multipart/form-data'],
          response: { 200: QuotaImportResult, 422: ErrorBody },
        },
      },
      async (req) => {
        const { fileName, data, fields } = await readSingleFile(req, 'file', maxUploadBytes);
        return quotas.importWorkbook(data, fileName, {
          partial: fields.partial === 'true' || fields.partial === '1',
        });
      },
    );

    app.get(
      '/api/quotas/export',
      { schema: { tags, summary: '导出配额 — all quotas as the import template' } },
      async (_req, reply) =>
        reply
          .type(XLSX)
          .header('content-disposition', attachment('project-quotas.xlsx'))
          .send((await quotas.exportWorkbook()).workbook),
    );
  };
}
