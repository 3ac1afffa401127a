import { describe, expect, it } from 'vitest';
import { parseQuantity, QuantityError } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['2', 2],
    ['2.5', 2.5],
    ['1500m', 1.5],
    ['250u', 0.00025],
    ['5n', 5e-9],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['128Mi', 134217728],
    ['1.5Gi', 1610612736],
    ['0.5Gi', 536870912],
    ['1Ti', 1099511627776],
    ['1Pi', 1125899906842624],
    ['2Ei', 2305843009213693952],
    ['1e3', 1000],
    ['1E3', 1000],
    ['12e-1', 1.2],
    ['.5', 0.5],
    ['5.', 5],
    ['+3', 3],
    ['-100m', -0.1],
    ['0', 0],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it('keeps precision where a float product would not', () => {
    // 0.1 × 3 in floats is 0.30000000000000004
    expect(parseQuantity('300m')).toBe(0.3);
    expect(parseQuantity('0.3')).toBe(0.3);
    // 107374182.4 bytes exactly
    expect(parseQuantity('0.1Gi')).toBe(107374182.4);
  });

  it.each(['', 'abc', '1.2.3', '1Gb', '1 Gi', '1ki', '--1', 'Gi', '1e', '1mi'])('refuses %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
  });
});
