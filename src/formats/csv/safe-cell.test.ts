import { describe, expect, it } from 'vitest';
import { neutraliseFormula, safeCellText } from './safe-cell';

describe('CSV formula injection', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['-2+3+cmd|\' /C calc\'!A0', `'-2+3+cmd|' /C calc'!A0`],
    ['@SUM(1+1)*cmd|\' /C calc\'!A0', `'@SUM(1+1)*cmd|' /C calc'!A0`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['-', `'-`],
    ['+33 1 23 45 67 89 ext', `'+33 1 23 45 67 89 ext`],
  ])('neutralises text starting a formula: %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each(['-12.50', '-1 200,00', '+3', '-0', '12.50', 'Boulangerie Dupont', 'FA-001', ''])('keeps numbers and ordinary text: %j', (input) => {
    expect(neutraliseFormula(input)).toBe(input);
  });

  it('writes numbers as numbers and objects as neutralised JSON', () => {
    expect(safeCellText(-12.5)).toBe('-12.5');
    expect(safeCellText(null)).toBe('');
    expect(safeCellText({ a: 1 })).toBe('{"a":1}');
    expect(safeCellText('=1+1')).toBe(`'=1+1`);
  });
});
