import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('CLI CSV export', () => {
  it('neutralises formula cells but keeps negative amounts as numbers', () => {
    const csv = toCsv([
      { number: 'AV-1', legalName: '=HYPERLINK("http://evil.example","click")', totalInclTax: '-120.00', open: -12.5, city: '@SUM(A1)' },
      { number: 'FA-2', legalName: 'Dupont', totalInclTax: '1200.00', open: 0, city: '+33 Lyon' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'number,legalName,totalInclTax,open,city',
      `AV-1,"'=HYPERLINK(""http://evil.example"",""click"")",-120.00,-12.5,'@SUM(A1)`,
      "FA-2,Dupont,1200.00,0,'+33 Lyon",
      '',
    ]);
  });
});
