import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Settings, SettingsUpdate } from '@kra/contracts';
import type { SettingsService } from '../../services/settings.service';

export function settingsRoutes(settings: SettingsService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['settings'];
    app.get(
      '/api/settings',
      { schema: { tags, summary: '系统设置 — settings', response: { 200: Settings } } },
      () => settings.get(),
    );
    app.put(
      '/api/settings',
      {
        schema: {
          tags,
          summary: '修改系统设置 — update settings',
          body: SettingsUpdate,
          response: { 200: Settings },
        },
      },
      (req) => settings.update(req.body),
    );
  };
}
