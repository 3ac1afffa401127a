import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'k8s-resource-analyzer API',
        description:
          'Project quotas, daily usage and utilization reports. CPU in cores, memory in GiB (2^30 bytes), rates in percent (not capped); the Excel export uses fractions. Errors are `{ error, message, details }`.',
        version,
      },
      tags: [
        { name: 'quotas', description: '项目配额管理 — project quotas' },
        { name: 'reports', description: '日报上传 / 报表查看 / 导出 — daily reports, report view, export' },
        { name: 'templates', description: '模板下载 — templates' },
        { name: 'k8s', description: 'K8s接入 / 命名空间配额 — clusters, namespace quotas, quota syncs' },
        { name: 'prometheus', description: 'Prometheus接入 — usage sources and daily usage syncs' },
        { name: 'scheduler', description: '定时任务 — schedules and job runs' },
        { name: 'settings', description: '系统设置 — settings' },
        { name: 'system', description: 'health' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
