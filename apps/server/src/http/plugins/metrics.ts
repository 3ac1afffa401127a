import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { JOB_KEYS } from '../../domain/schedule';
import type { SchedulerService } from '../../services/scheduler.service';

/** Prometheus metrics at /metrics: the process, and when each job last succeeded (for alerting). */
export function registerMetrics(app: FastifyInstance, scheduler: SchedulerService, version: string): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kra_' });
  new Gauge({
    name: 'kra_build_info',
    help: 'Version of k8s-resource-analyzer',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version }, 1);
  new Gauge({
    name: 'kra_job_last_success_timestamp_seconds',
    help: 'Unix time of the last successful run of each job (0: never)',
    labelNames: ['job'],
    registers: [registry],
    async collect() {
      const last = await scheduler.lastSuccess();
      for (const job of JOB_KEYS) this.set({ job }, last.has(job) ? Date.parse(last.get(job)!) / 1000 : 0);
    },
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
