import type { UsageStrategy } from '@kra/contracts';

/**
 * The shape of the server's usage queries (apps/server/src/domain/promql.ts), laid out to be read:
 * `<day start>`, `<day seconds>`, `<step>` and `<steps>` stand for the day's figures.
 */
const CONTAINERS = '{container!="", container!="POD"}';

/** Each container once (duplicate scrapes collapsed), samples of the day only. */
function perContainer(series: string, metric: string): string {
  return [
    'max by (namespace, pod, container) (',
    `  ${series}`,
    `    and timestamp(${metric}{…}) > <day start>`,
    ')',
  ].join('\n');
}

const CPU_PER_CONTAINER = perContainer(
  `irate(container_cpu_usage_seconds_total${CONTAINERS}[5m])`,
  'container_cpu_usage_seconds_total',
);

export function memoryPerContainer(metric: string): string {
  return perContainer(`${metric}${CONTAINERS}`, metric);
}

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

function overTheDay(outer: string, groupBy: string, tail = ''): string {
  return [
    `${outer}(`,
    `  sum by (${groupBy}) (`,
    indent(CPU_PER_CONTAINER, 4),
    '  )[<day seconds>s:<step>]',
    `)${tail}`,
  ].join('\n');
}

/** The CPU query of each strategy; replica-dedup sends pod-peak's and de-duplicates the answer. */
export const CPU_QUERY: Record<UsageStrategy, string> = {
  'pod-peak': overTheDay('max_over_time', 'namespace, pod'),
  'replica-dedup': overTheDay('max_over_time', 'namespace, pod'),
  'concurrent-peak': overTheDay('max_over_time', 'namespace'),
  average: overTheDay('sum_over_time', 'namespace', ' / <steps>'),
};

/** The original system's rules (the seed's §6.2), shown for comparison. */
export const SEED_RULES = [
  'sum(max by (pod)(max_over_time(irate(container_cpu_usage_seconds_total[5m])[1d:])))',
  'sum(max by (pod)(max_over_time(container_memory_usage_bytes[1d])))',
].join('\n');
