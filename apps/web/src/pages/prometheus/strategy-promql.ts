import type { UsageStrategy } from '@kra/contracts';

/**
 * The shape of the server's usage queries (apps/server/src/domain/promql.ts), laid out to be read:
 * `<day start>`, `<day seconds>`, `<step>` and `<steps>` stand for the day's figures.
 */
const CONTAINERS = '{container!="", container!="POD"}';

/** Each container once (duplicate scrapes collapsed). */
function perContainer(series: string): string {
  return ['max by (namespace, pod, container) (', `  ${series}`, ')'].join('\n');
}

const CPU_PER_CONTAINER = perContainer(`irate(container_cpu_usage_seconds_total${CONTAINERS}[5m])`);

export function memoryPerContainer(metric: string): string {
  return perContainer(`${metric}${CONTAINERS}`);
}

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

/**
 * The day after its first 15 minutes as it is, and those 15 minutes apart with the samples from
 * before the day kept out, combined per group.
 */
function overTheDay(outer: string, groupBy: string, combine: string, tail = ''): string {
  return [
    `${combine} by (${groupBy}) (`,
    `    ${outer}(`,
    `      sum by (${groupBy}) (`,
    indent(CPU_PER_CONTAINER, 8),
    '      )[<day seconds>s − 15m:<step>]',
    '    )',
    '  or',
    '    label_replace(',
    '      <the same, each series "and timestamp(container_cpu_usage_seconds_total{…}) > <day start>">',
    '        [15m:<step>] @ <day start + 15m>,',
    '      "window", "start", "", ""',
    '    )',
    `)${tail}`,
  ].join('\n');
}

/** The CPU query of each strategy; replica-dedup sends pod-peak's and de-duplicates the answer. */
export const CPU_QUERY: Record<UsageStrategy, string> = {
  'pod-peak': overTheDay('max_over_time', 'namespace, pod', 'max'),
  'replica-dedup': overTheDay('max_over_time', 'namespace, pod', 'max'),
  'concurrent-peak': overTheDay('max_over_time', 'namespace', 'max'),
  average: overTheDay('sum_over_time', 'namespace', 'sum', ' / <steps>'),
};

/** The original system's rules (the seed's §6.2), shown for comparison. */
export const SEED_RULES = [
  'sum(max by (pod)(max_over_time(irate(container_cpu_usage_seconds_total[5m])[1d:])))',
  'sum(max by (pod)(max_over_time(container_memory_usage_bytes[1d])))',
].join('\n');
