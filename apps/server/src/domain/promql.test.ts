import { describe, expect, it } from 'vitest';
import { dayWindow } from './day-window';
import { namespacesQuery, selectorProblem, stepProblem, usageQueries } from './promql';

const day = dayWindow('2026-11-20', 'UTC');
const start = Date.parse('2026-11-20T00:00:00Z') / 1000;

describe('usageQueries', () => {
  it('pod-peak: per pod, containers summed after duplicate scrapes are collapsed, over the day', () => {
    const q = usageQueries('pod-peak', day, { memoryMetric: 'usage_bytes', step: '1m', selector: null });
    const cpuSel = '{container!="", container!="POD"}';
    expect(q.groupedBy).toBe('pod');
    expect(q.cpu).toBe(
      `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (irate(container_cpu_usage_seconds_total${cpuSel}[5m]) and timestamp(container_cpu_usage_seconds_total${cpuSel}) > ${start}))[86400s:1m])`,
    );
    expect(q.memory).toBe(
      `max_over_time(sum by (namespace, pod) (max by (namespace, pod, container) (container_memory_usage_bytes${cpuSel} and timestamp(container_memory_usage_bytes${cpuSel}) > ${start}))[86400s:1m])`,
    );
  });

  it('concurrent-peak and average group by namespace; the selector, the metric and the step are honoured', () => {
    const options = { memoryMetric: 'working_set_bytes' as const, step: '30s', selector: 'cluster="prod"' };
    const peak = usageQueries('concurrent-peak', day, options);
    expect(peak.groupedBy).toBe('namespace');
    expect(
      peak.cpu.startsWith(
        'max_over_time(sum by (namespace) (max by (namespace, pod, container) (irate(container_cpu_usage_seconds_total{container!="", container!="POD", cluster="prod"}[5m])',
      ),
    ).toBe(true);
    expect(peak.memory).toContain(
      'container_memory_working_set_bytes{container!="", container!="POD", cluster="prod"}',
    );
    expect(peak.memory.endsWith('[86400s:30s])')).toBe(true);
    const average = usageQueries('average', day, options);
    expect(average.cpu.startsWith('sum_over_time(sum by (namespace) (')).toBe(true);
    // 86,400 s in 30 s steps
    expect(average.cpu.endsWith('[86400s:30s]) / 2880')).toBe(true);
  });

  it('spans the real length of a daylight-saving day', () => {
    const q = usageQueries('pod-peak', dayWindow('2026-10-25', 'Europe/Berlin'), {
      memoryMetric: 'usage_bytes',
      step: '1m',
      selector: null,
    });
    expect(q.cpu.endsWith('[90000s:1m])')).toBe(true);
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

  it("lists the day's namespaces with one query", () => {
    expect(namespacesQuery(day, { selector: 'cluster="prod"' })).toBe(
      'count by (namespace) (count_over_time(container_cpu_usage_seconds_total{container!="", container!="POD", cluster="prod"}[86400s]))',
    );
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
