import { describe, expect, it } from 'vitest';
import { naturalOrder, sortNaturally } from './natural-order';

describe('naturalOrder', () => {
  it('sorts numbers by value, before text', () => {
    expect(['10', '@risk', '9', 'C-10', 'C-2', '1001', 'b', 'B'].sort(naturalOrder)).toEqual([
      '9',
      '10',
      '1001',
      '@risk',
      'B',
      'C-2',
      'C-10',
      'b',
    ]);
  });

  it('compares digit runs longer than a double holds', () => {
    expect(naturalOrder('123456789012345678901', '123456789012345678902')).toBeLessThan(0);
  });

  it('keeps leading zeros apart but ordered by value', () => {
    expect(['010', '9', '10', '007'].sort(naturalOrder)).toEqual(['007', '9', '010', '10']);
  });

  it('orders Chinese names by code point', () => {
    expect(['支付平台', '示例项目', 'alpha'].sort(naturalOrder)).toEqual(['alpha', '支付平台', '示例项目']);
  });

  it('sorts items by a key in the same order, each key cut once', () => {
    const items = ['C-10', '010', 'b', '9', 'C-2', '@risk', '007', 'B'].map((cloudId) => ({ cloudId }));
    expect(sortNaturally(items, (i) => i.cloudId).map((i) => i.cloudId)).toEqual([
      '007',
      '9',
      '010',
      '@risk',
      'B',
      'C-2',
      'C-10',
      'b',
    ]);
  });
});
