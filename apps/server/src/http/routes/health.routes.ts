import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health } from '@kra/contracts';

export function healthRoutes(info: Health): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/health',
      { schema: { tags: ['system'], summary: 'liveness and version', response: { 200: Health } } },
      () => info,
    );
  };
}
