import { describe, expect, it } from 'vitest';
import { exportFraction, exportRowsOf } from './export-rows';
import { buildUtilization } from './utilization';

describe('exportFraction', () => {
  it('rounds to 10 decimals', () => {
    expect(exportFraction(1, 3, true)).toBe(0.3333333333);
    expect(exportFraction(2, 3, true)).toBe(0.6666666667);
  });

  it('caps at 1 only when asked', () => {
    expect(exportFraction(5, 4, true)).toBe(1);
    expect(exportFraction(5, 4, false)).toBe(1.25);
  });

  it('has no rate without a positive quota', () => {
    expect(exportFraction(5, 0, true)).toBeNull();
    expect(exportFraction(5, null, true)).toBeNull();
  });
});

describe('exportRowsOf', () => {
  it('keeps matched projects only, in cloud_id order', () => {
    const GiB = 1024 ** 3;
    const rows = buildUtilization(
      [
        { project: 'b', source: 'upload', cpuCores: 1, memoryBytes: 3 * GiB, namespaceCount: 1 },
        { project: 'a', source: 'upload', cpuCores: 6, memoryBytes: 1 * GiB, namespaceCount: 2 },
        { project: 'nobody', source: 'upload', cpuCores: 1, memoryBytes: 1, namespaceCount: 1 },
      ],
      new Map([
        ['a', { cloudId: '9', cpuCores: 4, memoryBytes: 4 * GiB }],
        ['b', { cloudId: '10', cpuCores: 8, memoryBytes: 4 * GiB }],
      ]),
    );
    expect(exportRowsOf('2026-11-20', rows, true)).toEqual([
      { cloudId: '9', date: '2026-11-20', cpuRate: 1, memoryRate: 0.25 },
      { cloudId: '10', date: '2026-11-20', cpuRate: 0.125, memoryRate: 0.75 },
    ]);
  });
});
