import { describe, expect, it } from 'vitest';
import {
  dateFromFileName,
  formatCores,
  formatCount,
  formatDateMinute,
  formatDateTime,
  formatDuration,
  formatShortDateTime,
  formatFileSize,
  formatGiB,
  formatPercent,
} from './format';

describe('formatCores', () => {
  it('keeps up to 3 decimals and groups thousands', () => {
    expect(formatCores(2)).toBe('2');
    expect(formatCores(0.12345)).toBe('0.123');
    expect(formatCores(0.5)).toBe('0.5');
    expect(formatCores(1500)).toBe('1,500');
  });
  it('shows a dash for no value', () => {
    expect(formatCores(null)).toBe('—');
    expect(formatCores(Number.NaN)).toBe('—');
  });
});

describe('formatGiB', () => {
  it('always shows 2 decimals', () => {
    expect(formatGiB(1)).toBe('1.00');
    expect(formatGiB(15.359)).toBe('15.36');
    expect(formatGiB(2048)).toBe('2,048.00');
  });
});

describe('formatPercent', () => {
  it('shows the true rate, never capped', () => {
    expect(formatPercent(130)).toBe('130.00%');
    expect(formatPercent(12.345)).toBe('12.35%');
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatCount and formatFileSize', () => {
  it('formats counts and sizes', () => {
    expect(formatCount(1000001)).toBe('1,000,001');
    expect(formatFileSize(96)).toBe('96 B');
    expect(formatFileSize(1536)).toBe('1.5 KiB');
    expect(formatFileSize(42819774)).toBe('40.8 MiB');
  });
});

describe('formatDateTime', () => {
  it('renders an instant in the given zone', () => {
    expect(formatDateTime('2026-11-25T10:11:59.236Z', 'UTC')).toBe('2026-11-25 10:11:59');
    expect(formatDateTime('2026-11-25T20:00:00Z', 'Asia/Shanghai')).toBe('2026-11-26 04:00:00');
  });
  it('passes unparseable text through and shows a dash for none', () => {
    expect(formatDateTime('yesterday', 'UTC')).toBe('yesterday');
    expect(formatDateTime(undefined)).toBe('—');
  });
});

describe('dateFromFileName', () => {
  it('takes the first YYYY-MM-DD of a daily-report name', () => {
    expect(dateFromFileName('Day_report_2026-11-20.txt')).toBe('2026-11-20');
    expect(dateFromFileName('report.txt')).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('shows milliseconds below a second, then seconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(640.4)).toBe('640 ms');
    expect(formatDuration(2412)).toBe('2.4 s');
    expect(formatDuration(75_000)).toBe('75 s');
  });
});

describe('formatDateMinute', () => {
  it('keeps the date and the time to the minute in the given zone', () => {
    expect(formatDateMinute('2026-11-25T17:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-26 01:00');
    expect(formatDateMinute(undefined)).toBe('—');
  });
});

describe('formatShortDateTime', () => {
  it('keeps month, day, hour and minute in the given zone', () => {
    expect(formatShortDateTime('2026-11-20T16:05:09.000Z', 'Asia/Shanghai')).toBe('11-21 00:05');
    expect(formatShortDateTime(null)).toBe('—');
  });
});
