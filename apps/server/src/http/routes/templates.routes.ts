import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { REPORT_TEMPLATE } from '../../domain/report-lines';
import type { QuotaService } from '../../services/quota.service';
import { attachment } from '../content-disposition';

export function templateRoutes(quotas: QuotaService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['templates'];
    app.get(
      '/api/templates/quota',
      { schema: { tags, summary: '下载项目配额模板 — quota template (xlsx)' } },
      async (_req, reply) =>
        reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', attachment('quota_template.xlsx'))
          .send(await quotas.template()),
    );
    app.get(
      '/api/templates/report',
      { schema: { tags, summary: '下载日报模板 — daily-report template (txt)' } },
      (_req, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', attachment('Day_report_YYYY-MM-DD.txt'))
          .send(REPORT_TEMPLATE),
    );
  };
}
