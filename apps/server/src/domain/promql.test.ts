import { describe, expect, it } from 'vitest';
import { dayWindow } from './day-window';
import {
  censusQuery,
  namespaceListSelector,
  selectorProblem,
  stepProblem,
  stepsInDay,
  usageQuery,
} from './promql';
import type { UsageQueryOptions, UsageStrategy } from './promql';

const usageQueries = (strategy: UsageStrategy, d: typeof day, options: UsageQueryOptions) => ({
  cpu: usageQuery(strategy, 'cpu', d, options),
  memory: usageQuery(strategy, 'memory', d, options),
});

const day = dayWindow('2026-11-20', 'UTC');
const start = Date.parse('2026-11-20T00:00:00Z') / 1000;

describe('usageQuery', () => {
  it('pod-peak: per pod, containers summed after duplicate scrapes are collapsed, over the day', () => {
    const q = usageQueries('pod-peak', day, { memoryMetric: 'usage_bytes', step: '1m', selector: null });
    const cpu = 'container_cpu_usage_seconds_total{container!="", container!="POD"}';
    const memory = 'container_memory_usage_bytes{container!="", container!="POD"}';
    // 00:15:00 to the day's end (86,400 − 900 s, +1 ms so 00:15:00 itself is in, on any Prometheus),
    // then 00:00 to 00:14:59.999 with samples from before the day kept out
    expect(q.cpu).toBe(
      'max by (namespace, pod) (' +
        `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (irate(${cpu}[5m])))[85500001ms:1m])` +
        ` or label_replace(max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (irate(${cpu}[5m]) and timestamp(${cpu}) > ${start}))[899999ms:1m] @ ${start + 899.999}), "window", "start", "", ""))`,
    );
    expect(q.memory).toBe(
      'max by (namespace, pod) (' +
        `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (${memory}))[85500001ms:1m])` +
        ` or label_replace(max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (${memory} and timestamp(${memory}) > ${start}))[899999ms:1m] @ ${start + 899.999}), "window", "start", "", ""))`,
    );
    expect(`${start + 899.999}`).toBe('1795133699.999');
  });

  it('concurrent-peak and average group by namespace; the selector, the metric and the step are honoured', () => {
    const options = { memoryMetric: 'working_set_bytes' as const, step: '30s', selector: 'cluster="prod"' };
    const peak = usageQueries('concurrent-peak', day, options);
    expect(
      peak.cpu.startsWith(
        'max by (namespace) (max_over_time(sum by (namespace) (max by (namespace, pod, container) (irate(container_cpu_usage_seconds_total{container!="", container!="POD", cluster="prod"}[5m])',
      ),
    ).toBe(true);
    expect(peak.memory).toContain(
      'container_memory_working_set_bytes{container!="", container!="POD", cluster="prod"}',
    );
    expect(peak.memory).toContain('[85500001ms:30s]) or label_replace(max_over_time(sum by (namespace) (');
    expect(peak.memory.endsWith('[899999ms:30s] @ 1795133699.999), "window", "start", "", ""))')).toBe(true);
    const average = usageQueries('average', day, options);
    // the two parts' sums added per namespace, over 86,400 s in 30 s steps
    expect(average.cpu.startsWith('sum by (namespace) (sum_over_time(sum by (namespace) (')).toBe(true);
    expect(average.cpu).toContain('[85500001ms:30s]) or label_replace(sum_over_time(');
    expect(average.cpu.endsWith('[899999ms:30s] @ 1795133699.999), "window", "start", "", "")) / 2880')).toBe(
      true,
    );
  });

  it('spans the real length of a daylight-saving day', () => {
    const q = usageQueries('pod-peak', dayWindow('2026-10-25', 'Europe/Berlin'), {
      memoryMetric: 'usage_bytes',
      step: '1m',
      selector: null,
    });
    // 25 h: 90,000 s, less the first 15 minutes
    expect(q.cpu).toContain('[89100001ms:1m])');
  });

  it('limits a batch to its namespaces with an anchored alternation', () => {
    const q = usageQueries('pod-peak', day, {
      memoryMetric: 'usage_bytes',
      step: '1m',
      selector: null,
      namespaces: ['team-a', 'team.b'],
    });
    expect(q.cpu).toContain('namespace=~"team-a|team\\\\.b"');
  });

  it('shapes: per-series peaks combined afterwards, or containers summed per step, limited to some pods', () => {
    const options = { memoryMetric: 'usage_bytes', step: '1m', selector: null } as const;
    const cpu = 'container_cpu_usage_seconds_total{container!="", container!="POD"}';
    expect(usageQuery('pod-peak', 'cpu', day, options, 'per-series')).toBe(
      'max by (namespace, pod) (' +
        `max_over_time(irate(${cpu}[5m])[85500001ms:1m])` +
        ` or label_replace(max_over_time((irate(${cpu}[5m]) and timestamp(${cpu}) > ${start})[899999ms:1m] @ ${start + 899.999}), "window", "start", "", ""))`,
    );
    const limited = 'container_memory_usage_bytes{container!="", container!="POD", pod=~"db-0|web\\\\.1"}';
    expect(
      usageQuery('pod-peak', 'memory', day, options, 'sum', { label: 'pod', values: ['db-0', 'web.1'] }),
    ).toBe(
      'max by (namespace, pod) (' +
        `max_over_time(sum by (namespace, pod) (${limited})[85500001ms:1m])` +
        ` or label_replace(max_over_time(sum by (namespace, pod) (${limited} and timestamp(${limited}) > ${start})[899999ms:1m] @ ${start + 899.999}), "window", "start", "", ""))`,
    );
    // the day's mean of a namespace as the sum of its series' sums, over 1,440 steps
    expect(usageQuery('average', 'memory', day, options, 'per-series')).toBe(
      'sum by (namespace) (' +
        'sum_over_time(container_memory_usage_bytes{container!="", container!="POD"}[85500001ms:1m])' +
        ' or label_replace(sum_over_time((container_memory_usage_bytes{container!="", container!="POD"} and timestamp(container_memory_usage_bytes{container!="", container!="POD"}) > 1795132800)[899999ms:1m] @ 1795133699.999), "window", "start", "", "")) / 1440',
    );
  });

  it("counts each container's series of the day", () => {
    expect(
      censusQuery('memory', day, {
        memoryMetric: 'working_set_bytes',
        step: '1m',
        selector: 'cluster="prod"',
      }),
    ).toBe(
      'count by (namespace, pod, container) (last_over_time(container_memory_working_set_bytes{container!="", container!="POD", cluster="prod"}[86400s]))',
    );
  });

  it("lists the day's namespaces from the series of the cluster's containers", () => {
    expect(namespaceListSelector({ selector: 'cluster="prod"' })).toBe(
      'container_cpu_usage_seconds_total{container!="", container!="POD", cluster="prod"}',
    );
  });
});

describe('stepsInDay', () => {
  it('counts the steps on multiples of the step since the epoch inside (start, end]', () => {
    expect(stepsInDay(day, '1m')).toBe(1440);
    // Shanghai's 2026-11-20 starts at 2026-11-19T16:00Z, 300 s past a multiple of 780 s: the first
    // 13-minute step is 480 s into the day, then every 780 s until the end, 1 + ⌊85,920 / 780⌋ = 111
    // (⌊86,400 / 780⌋ would say 110)
    expect(stepsInDay(dayWindow('2026-11-20', 'Asia/Shanghai'), '13m')).toBe(111);
    // Lord Howe moves its clocks on by 30 minutes on 2026-10-04: the day runs from 13:30Z (+10:30) to
    // 13:00Z the next day (+11), 23.5 h, and holds the hourly steps 14:00Z … 13:00Z: 24, not ⌊23.5⌋
    const lordHowe = dayWindow('2026-10-04', 'Australia/Lord_Howe');
    expect(lordHowe.seconds).toBe(23.5 * 3600);
    expect(stepsInDay(lordHowe, '1h')).toBe(24);
    expect(stepsInDay(lordHowe, '30m')).toBe(47);
  });

  it('is what the average divides by', () => {
    const q = usageQueries('average', dayWindow('2026-10-04', 'Australia/Lord_Howe'), {
      memoryMetric: 'usage_bytes',
      step: '1h',
      selector: null,
    });
    expect(q.cpu.endsWith(' / 24')).toBe(true);
  });
});

describe('validation', () => {
  it('accepts label matchers and PromQL durations only', () => {
    expect(selectorProblem('cluster="prod"')).toBeNull();
    expect(selectorProblem(' cluster="prod", region=~"eu-.*" ')).toBeNull();
    expect(selectorProblem('cluster=prod')).toBe(
      '"cluster=prod" is not a list of label matchers such as cluster="prod"',
    );
    expect(selectorProblem('cluster="x"} or vector(1) #')).not.toBeNull();
    expect(stepProblem('1m')).toBeNull();
    expect(stepProblem('90')).toBe('"90" is not a PromQL duration such as 30s or 1m');
  });
});
