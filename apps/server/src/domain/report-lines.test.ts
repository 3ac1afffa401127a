import { describe, expect, it } from 'vitest';
import { REPORT_TEMPLATE, ReportLineParser } from './report-lines';

function parseAll(text: string, chunkSize = text.length || 1) {
  const parser = new ReportLineParser('Day_report_2026-11-20.txt');
  const lines = [];
  for (let i = 0; i < text.length; i += chunkSize) lines.push(...parser.feed(text.slice(i, i + chunkSize)));
  lines.push(...parser.finish());
  return {
    lines,
    errors: parser.errors.map((e) => e.message),
    count: parser.errorCount,
    linesRead: parser.linesRead,
  };
}

describe('ReportLineParser', () => {
  it('reads the template: skips its header, CRLF endings, exponent numbers', () => {
    const { lines, errors, linesRead } = parseAll(REPORT_TEMPLATE);
    expect(errors).toEqual([]);
    expect(linesRead).toBe(4);
    expect(lines).toEqual([
      { project: 'demo-project', namespace: 'demo-frontend', cpuCores: 2.5, memoryBytes: 4294967296 },
      { project: 'demo-project', namespace: 'demo-backend', cpuCores: 0.75, memoryBytes: 1073741824 },
      { project: '示例项目', namespace: 'example-ns', cpuCores: 12, memoryBytes: 8589934592 },
    ]);
  });

  it('gives the same result whatever the chunk size, splitting CRLF and characters', () => {
    const text = 'p1;ns1;1.5;100\r\n\r\np2 ; ns2 ; 2e-1 ; 3E3\r\np3;ns3;.5;7';
    const whole = parseAll(text);
    expect(whole.lines).toEqual([
      { project: 'p1', namespace: 'ns1', cpuCores: 1.5, memoryBytes: 100 },
      { project: 'p2', namespace: 'ns2', cpuCores: 0.2, memoryBytes: 3000 },
      { project: 'p3', namespace: 'ns3', cpuCores: 0.5, memoryBytes: 7 },
    ]);
    for (const size of [1, 2, 3, 7]) expect(parseAll(text, size).lines).toEqual(whole.lines);
  });

  it('lists every bad line as file:line: reason, counting blank lines', () => {
    const text = [
      'p;ns;1;2',
      'p;ns;1',
      '',
      'p;ns;abc;2',
      'p;ns;1;-5',
      ';ns;1;2',
      'p;;1;2',
      'p;ns;1;2;',
      'p;ns;1e999;2',
      'p;ns;0x10;2',
    ].join('\n');
    const { lines, errors, count } = parseAll(text);
    expect(lines).toEqual([{ project: 'p', namespace: 'ns', cpuCores: 1, memoryBytes: 2 }]);
    expect(count).toBe(8);
    expect(errors).toEqual([
      "Day_report_2026-11-20.txt:2: expected 4 fields separated by ';' (project;namespace;cpu_cores;memory_bytes), found 3",
      'Day_report_2026-11-20.txt:4: cpu_cores "abc" is not a number',
      'Day_report_2026-11-20.txt:5: memory_bytes "-5" is negative',
      'Day_report_2026-11-20.txt:6: project is empty',
      'Day_report_2026-11-20.txt:7: namespace is empty',
      "Day_report_2026-11-20.txt:8: expected 4 fields separated by ';' (project;namespace;cpu_cores;memory_bytes), found 5",
      'Day_report_2026-11-20.txt:9: cpu_cores "1e999" is too large',
      'Day_report_2026-11-20.txt:10: cpu_cores "0x10" is not a number',
    ]);
  });

  it('emits the valid lines and counts every bad one', () => {
    const { lines, count } = parseAll('p;ns;x;1\np;ns2;1;1\np;ns3;y;1\n');
    expect(lines).toEqual([{ project: 'p', namespace: 'ns2', cpuCores: 1, memoryBytes: 1 }]);
    expect(count).toBe(2);
  });

  it('treats only a first line that looks like the header as one', () => {
    expect(parseAll('project;namespace;cpu;memory\np;n;1;2').errors).toEqual([]);
    expect(parseAll('p;n;1;2\n项目名称;命名空间;CPU(核);内存(bytes)').errors).toEqual([
      'Day_report_2026-11-20.txt:2: cpu_cores "CPU(核)" is not a number',
      'Day_report_2026-11-20.txt:2: memory_bytes "内存(bytes)" is not a number',
    ]);
  });

  it('strips a BOM left on the first line', () => {
    expect(parseAll('\ufeffp;n;1;2').lines).toEqual([
      { project: 'p', namespace: 'n', cpuCores: 1, memoryBytes: 2 },
    ]);
  });

  it('reports an overlong line once and recovers at the next line', () => {
    const long = `p;${'n'.repeat(70 * 1024)};1;2`;
    for (const chunkSize of [4096, 1024 * 1024]) {
      const { lines, errors } = parseAll(`${long}\np;ok;1;2\n`, chunkSize);
      expect(errors).toEqual(['Day_report_2026-11-20.txt:1: line is longer than 65536 characters']);
      expect(lines).toEqual([{ project: 'p', namespace: 'ok', cpuCores: 1, memoryBytes: 2 }]);
    }
  });

  it('caps the listed errors at 100 and counts them all', () => {
    const parser = new ReportLineParser('f.txt');
    parser.feed('bad\n'.repeat(250));
    expect(parser.errorCount).toBe(250);
    expect(parser.errors).toHaveLength(100);
    expect(parser.errors[99]!.line).toBe(100);
  });
});
