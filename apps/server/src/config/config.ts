import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|sqlite):/, 'DATABASE_URL must start with postgres:// or sqlite:')
    .optional(),
  TZ: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KRA_MAX_UPLOAD_MB: z.coerce.number().positive().default(512),
  KRA_WEB_DIST: z.string().optional(),
  KRA_SECRET_KEY: z.string().optional(),
  KRA_SECRET_KEY_PREVIOUS: z.string().optional(),
  KRA_ALLOW_KUBECONFIG_EXEC: z.enum(['true', 'false']).default('false'),
  KRA_K8S_TIMEOUT_SECONDS: z.coerce.number().positive().default(15),
  KRA_K8S_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  KRA_PROMETHEUS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
});

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseTarget;
  /** Zone used when no timezone has been saved in the settings. */
  defaultTimezone: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  maxUploadBytes: number;
  webDist: string;
  secrets: { key?: string; previousKeys: string[]; keyFile: string };
  kubernetes: { allowExec: boolean; timeoutMs: number; concurrency: number };
  prometheus: { concurrency: number };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (KEY= in an env file) means "not set", not an invalid value.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: databaseTarget(e.DATABASE_URL, dataDir),
    defaultTimezone: e.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    logLevel: e.LOG_LEVEL,
    maxUploadBytes: e.KRA_MAX_UPLOAD_MB * 1024 * 1024,
    webDist: path.resolve(e.KRA_WEB_DIST ?? new URL('../../../web/dist', import.meta.url).pathname),
    secrets: {
      ...(e.KRA_SECRET_KEY ? { key: e.KRA_SECRET_KEY } : {}),
      previousKeys: (e.KRA_SECRET_KEY_PREVIOUS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      keyFile: path.join(dataDir, 'secret.key'),
    },
    kubernetes: {
      allowExec: e.KRA_ALLOW_KUBECONFIG_EXEC === 'true',
      timeoutMs: e.KRA_K8S_TIMEOUT_SECONDS * 1000,
      concurrency: e.KRA_K8S_CONCURRENCY,
    },
    prometheus: { concurrency: e.KRA_PROMETHEUS_CONCURRENCY },
  };
}

function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'analyzer.db') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  return { kind: 'postgres', url };
}
