import { loadConfig } from './config/config';
import { buildApp } from './http/app';
import { createRuntime } from './main';
import { VERSION } from './version';

async function start(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config);
  const app = await buildApp(runtime.services, {
    health: { status: 'ok', version: VERSION, database: runtime.database.dialect },
    maxUploadBytes: config.maxUploadBytes,
    webDist: config.webDist,
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  await runtime.services.scheduler.start(app.log);
  const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
  app.log.info(
    `k8s-resource-analyzer ${VERSION}: console http://localhost:${config.port}/ , API docs /docs, database ${where}`,
  );
}

start().catch((error: unknown) => {
  console.error(
    `k8s-resource-analyzer failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
