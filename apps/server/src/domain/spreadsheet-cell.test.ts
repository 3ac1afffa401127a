import { describe, it, expect } from 'vitest';
import { neutraliseFormulaText } from './spreadsheet-cell';

describe('neutraliseFormulaText', () => {
  it.each([
    ['=cmd|calc', "'=cmd|calc"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['-', "'-"],
  ])('prefixes a formula start: %j', (input, expected) => {
    expect(neutraliseFormulaText(input)).toBe(expected);
  });

  it.each([
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['\n=1+1', "'\n=1+1"],
    ['\0=1+1', "'\0=1+1"],
    ['\tplain', "'\tplain"],
    ['\rplain', "'\rplain"],
  ])('prefixes a leading tab, CR, LF or NUL: %j', (input, expected) => {
    expect(neutraliseFormulaText(input)).toBe(expected);
  });

  it.each([
    [' =1+1', "' =1+1"],
    ['   @x', "'   @x"],
    ['\u00a0-1', "'\u00a0-1"],
    ['\u3000=1', "'\u3000=1"],
  ])('prefixes a formula start after leading whitespace: %j', (input, expected) => {
    expect(neutraliseFormulaText(input)).toBe(expected);
  });

  it.each([
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠x', "'＠x"],
  ])('prefixes a full-width formula start: %j', (input, expected) => {
    expect(neutraliseFormulaText(input)).toBe(expected);
  });

  it.each([
    ['', ''],
    ['1001', '1001'],
    ['demo-project', 'demo-project'],
    ['a=b', 'a=b'],
    ['示例项目', '示例项目'],
    ['   ', '   '],
    [' plain', ' plain'],
    ["'=already", "'=already"],
  ])('leaves harmless text unchanged: %j', (input, expected) => {
    expect(neutraliseFormulaText(input)).toBe(expected);
  });

  it('is idempotent', () => {
    expect(neutraliseFormulaText(neutraliseFormulaText('=1+1'))).toBe("'=1+1");
    expect(neutraliseFormulaText(neutraliseFormulaText('\t=1'))).toBe("'\t=1");
  });
});
