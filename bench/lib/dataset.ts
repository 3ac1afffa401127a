import fs from 'node:fs';
import { logUniform, mulberry32, seedOf } from './prng';

/**
 * Deterministic benchmark data: the same project index always has the same name, namespaces and
 * quota, and a report file's usage values depend only on its seed. No Math.random anywhere.
 */

const DOMAINS = [
  'payment',
  'order',
  'retail',
  'logistics',
  'risk',
  'crm',
  'search',
  'billing',
  'iot',
  'media',
  'identity',
  'ledger',
  'analytics',
  'portal',
  'gateway',
  'inventory',
  'marketing',
  'warehouse',
  'settlement',
  'recommend',
];
const SYSTEMS = ['core', 'platform', 'service', 'center', 'hub', 'engine', 'console', 'api', 'data', 'ops'];
const CHINESE = [
  '智慧园区',
  '统一支付',
  '客户管理',
  '数据中台',
  '风控平台',
  '供应链',
  '电子发票',
  '物联网平台',
  '营销中心',
  '运维平台',
];
const COMPONENTS = [
  'frontend',
  'backend',
  'api',
  'worker',
  'scheduler',
  'redis',
  'mysql',
  'kafka',
  'es',
  'gateway',
  'monitoring',
  'batch',
  'cache',
];
const ENVS = ['prod', 'staging', 'test', 'dev'];
export const MAX_NAMESPACES_PER_PROJECT = COMPONENTS.length * ENVS.length;

const NAME_SALT = 0x51a7;
const QUOTA_SALT = 0x0b7a;
const GiB = 1024 ** 3;

/** Project `i` (0-based): mostly `domain-system-N`, one in ten a Chinese name, always unique. */
export function projectName(i: number): string {
  const r = mulberry32(seedOf(NAME_SALT, i));
  if (i % 10 === 7) return `${CHINESE[Math.floor(r() * CHINESE.length)]}-${i + 1}`;
  return `${DOMAINS[Math.floor(r() * DOMAINS.length)]}-${SYSTEMS[Math.floor(r() * SYSTEMS.length)]}-${i + 1}`;
}

/** Namespace `j` of project `i`: `p<N>-<component>-<env>`, unique within the project. */
export function namespaceName(i: number, j: number): string {
  const env = ENVS[(Math.floor(j / COMPONENTS.length) + i) % ENVS.length];
  return `p${i + 1}-${COMPONENTS[j % COMPONENTS.length]}-${env}`;
}

/** cloud_id of project `i`; unpadded, so the report's natural order (2 before 10) is exercised. */
export function cloudId(i: number): string {
  return `CLD-${i + 1}`;
}

export interface BenchQuota {
  cloudId: string;
  projectName: string;
  cpuCores: number;
  memoryGiB: number;
}

/**
 * Quota of project `i`, sized against a 5-namespace project's expected usage (about 51 cores and
 * 154 GiB) times 0.6–4, so rates spread over low, medium, high and over quota.
 */
export function quotaOf(i: number): BenchQuota {
  const r = mulberry32(seedOf(QUOTA_SALT, i));
  return {
    cloudId: cloudId(i),
    projectName: projectName(i),
    cpuCores: Math.max(1, Math.round(51 * logUniform(r, 0.6, 4))),
    memoryGiB: Math.max(1, Math.round(154 * logUniform(r, 0.6, 4))),
  };
}

export function quotasOf(count: number): BenchQuota[] {
  return Array.from({ length: count }, (_, i) => quotaOf(i));
}

export interface ReportShape {
  projects: number;
  namespacesPerProject: number;
  /** Seeds the usage values; use one per date so dates differ. */
  seed: number;
}

/** CPU 0.125–64 cores with up to 3 decimals; memory 64 MiB–256 GiB in bytes, ~1% in exponent form. */
function usageLine(random: () => number, project: string, namespace: string): string {
  const cpu = Math.round(logUniform(random, 0.125, 64) * 1000) / 1000;
  const memory = Math.round(logUniform(random, 64 * 1024 * 1024, 256 * GiB));
  const memoryText = random() < 0.01 ? memory.toExponential(9) : String(memory);
  return `${project};${namespace};${cpu};${memoryText}\n`;
}

/** Writes a Day_report file (UTF-8, LF, no header); returns its line and byte counts. */
export function writeDayReport(file: string, shape: ReportShape): { lines: number; bytes: number } {
  if (shape.namespacesPerProject > MAX_NAMESPACES_PER_PROJECT)
    throw new Error(`at most ${MAX_NAMESPACES_PER_PROJECT} namespaces per project`);
  const random = mulberry32(shape.seed);
  const fd = fs.openSync(file, 'w');
  let lines = 0;
  try {
    let buffer = '';
    for (let i = 0; i < shape.projects; i += 1) {
      const project = projectName(i);
      for (let j = 0; j < shape.namespacesPerProject; j += 1) {
        buffer += usageLine(random, project, namespaceName(i, j));
        lines += 1;
      }
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    }
    fs.writeSync(fd, buffer);
  } finally {
    fs.closeSync(fd);
  }
  return { lines, bytes: fs.statSync(file).size };
}
