import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Health } from '@kra/contracts';
import type { ClusterService } from '../services/cluster.service';
import type { PrometheusSourceService } from '../services/prometheus-source.service';
import type { SchedulerService } from '../services/scheduler.service';
import type { UsageBackfillService } from '../services/usage-backfill.service';
import type { UsageSyncService } from '../services/usage-sync.service';
import type { ExportService } from '../services/export.service';
import type { NamespaceQuotaService } from '../services/namespace-quota.service';
import type { QuotaSyncService } from '../services/quota-sync.service';
import type { QuotaService } from '../services/quota.service';
import type { ReportIngestService } from '../services/report-ingest.service';
import type { ReportService } from '../services/report.service';
import type { SettingsService } from '../services/settings.service';
import { registerErrorHandling } from './plugins/errors';
import { registerOpenApi } from './plugins/openapi';
import { registerWebConsole } from './plugins/web-console';
import { healthRoutes } from './routes/health.routes';
import { k8sRoutes } from './routes/k8s.routes';
import { prometheusRoutes } from './routes/prometheus.routes';
import { schedulerRoutes } from './routes/scheduler.routes';
import { registerMetrics } from './plugins/metrics';
import { quotaRoutes } from './routes/quotas.routes';
import { reportRoutes } from './routes/reports.routes';
import { settingsRoutes } from './routes/settings.routes';
import { templateRoutes } from './routes/templates.routes';

export interface AppServices {
  quotas: QuotaService;
  ingest: ReportIngestService;
  reports: ReportService;
  exports: ExportService;
  settings: SettingsService;
  clusters: ClusterService;
  quotaSync: QuotaSyncService;
  namespaceQuotas: NamespaceQuotaService;
  prometheus: PrometheusSourceService;
  usageSync: UsageSyncService;
  backfill: UsageBackfillService;
  scheduler: SchedulerService;
}

export interface AppOptions {
  health: Health;
  maxUploadBytes: number;
  webDist: string;
  logger: FastifyServerOptions['logger'];
}

export async function buildApp(services: AppServices, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 10 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd and ECharts set inline styles; scripts stay same-origin only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadBytes, files: 100, fields: 20, parts: 200 },
  });
  await registerOpenApi(app, options.health.version);

  await app.register(healthRoutes(options.health));
  await app.register(quotaRoutes(services.quotas, options.maxUploadBytes));
  await app.register(
    reportRoutes(services.reports, services.ingest, services.exports, options.maxUploadBytes),
  );
  await app.register(templateRoutes(services.quotas));
  await app.register(settingsRoutes(services.settings));
  await app.register(
    k8sRoutes(services.clusters, services.quotaSync, services.namespaceQuotas, options.maxUploadBytes),
  );
  await app.register(
    prometheusRoutes(services.prometheus, services.usageSync, services.backfill, options.maxUploadBytes),
  );
  await app.register(schedulerRoutes(services.scheduler));
  registerMetrics(app, services.scheduler, options.health.version);
  await registerWebConsole(app, options.webDist);
  return app;
}
