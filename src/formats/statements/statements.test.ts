import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDecimals, compareDecimals } from '../decimal';
import { parseCamt } from './camt';
import { parseCfonb120 } from './cfonb120';
import { parseMt940 } from './mt940';
import { parseOfx } from './ofx';
import { parseStatement } from './parse-statement';
import { StatementParseError, type ParsedStatements } from './types';

const ROOT = join(process.cwd(), '../shared/data/bank-statements');
const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const isExpectedOutput = (f: string) => /\.(json|yml|pydata)$/.test(f) || f.endsWith('PROVENANCE.csv');
/** Files of the corpus that are not bank statements (an empty OFX, a sign-on, an account list, an investment statement, a CSV). */
const NOT_STATEMENTS = ['ofx/ofxparse/bank_small.ofx', 'ofx/ofxparse/signon_success.ofx', 'ofx/ofxparse/account_listing_aggregation.ofx', 'ofx/ofxparse/fidelity-savings.ofx', 'other/bankstatementparser/csv_european_decimals.csv'];
const samples = walk(ROOT).filter((f) => !isExpectedOutput(f));
const lines = (parsed: ParsedStatements) => parsed.statements.flatMap((s) => s.lines);
const same = (a: string, b: string) => compareDecimals(a, b) === 0;

describe('bank statement samples (shared/data/bank-statements)', () => {
  it('finds the corpus', () => expect(samples.length).toBeGreaterThan(40));

  it.each(samples.filter((f) => !NOT_STATEMENTS.includes(relative(ROOT, f))).map((f) => [relative(ROOT, f), f]))('%s parses', (_name, file) => {
    const parsed = parseStatement(readFileSync(file));
    expect(parsed.statements.length).toBeGreaterThan(0);
    for (const line of lines(parsed)) {
      expect(line.bookingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(line.amount).toMatch(/^-?\d+\.\d{2,}$/);
    }
  });

  it.each(NOT_STATEMENTS.map((f) => [f]))('%s is refused with a reason', (name) => {
    expect(() => parseStatement(readFileSync(join(ROOT, name)))).toThrow(StatementParseError);
  });
});

describe('camt against genkgo/camt expected outputs', () => {
  const dir = join(ROOT, 'camt/genkgo-camt');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.xml')))('%s', (file) => {
    const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.xml$/, '.json')), 'utf8'));
    const parsed = parseCamt(readFileSync(join(dir, file), 'utf8'));
    expect(parsed.format).toBe(`camt.${file.slice(4, 7)}`);
    const ours = lines(parsed);
    type Entry = { getAmount: { getAmount: string; getCurrency: { getCode: string } }; getBookingDate: { 0: string } | null };
    const decimalOf = (minor: string) => `${minor.startsWith('-') ? '-' : ''}${minor.replace('-', '').padStart(3, '0').slice(0, -2)}.${minor.replace('-', '').padStart(3, '0').slice(-2)}`;
    const entries: Entry[] = expected.getEntries;
    // genkgo keeps a batch entry whole; we split it into its transactions: the totals must agree.
    expect(ours.length).toBeGreaterThanOrEqual(entries.length);
    expect(same(addDecimals(...ours.map((l) => l.amount)), addDecimals(...entries.map((e) => decimalOf(e.getAmount.getAmount))))).toBe(true);
    if (ours.length === entries.length) entries.forEach((e, i) => expect(same(ours[i].amount, decimalOf(e.getAmount.getAmount))).toBe(true));
    expect(ours[0].currency).toBe(entries[0].getAmount.getCurrency.getCode);
    if (entries[0].getBookingDate) expect(ours[0].bookingDate).toBe(entries[0].getBookingDate[0].slice(0, 10));
  });

  it('reads v8 party names, structured references and end-to-end ids', () => {
    const [line] = lines(parseCamt(readFileSync(join(dir, 'camt053.v8.xml'), 'utf8')));
    expect(line).toMatchObject({ amount: '8.85', counterparty: { name: 'NAME NAME', iban: 'NL56AGDH9619008421' }, remittance: { structured: '4654654654654654' }, endToEndId: 'MUELL/FINP/RA12345' });
  });
});

describe('camt against OCA golden outputs', () => {
  it.each(['053', '054'])('camt.%s transactions match', (v) => {
    const golden = readFileSync(join(ROOT, `camt/oca/golden-camt${v}.pydata`), 'utf8');
    const expected = [...golden.matchAll(/^\s+'amount': (-?[\d.]+),?$/gm)].map((m) => m[1]);
    const ours = lines(parseCamt(readFileSync(join(ROOT, `camt/oca/test-camt${v}.xml`), 'utf8'))).map((l) => l.amount);
    expect(ours.length).toBe(expected.length);
    ours.forEach((a, i) => expect(same(a, expected[i]), `${a} vs ${expected[i]}`).toBe(true));
  });

  it('reports a statement whose balances do not add up', () => {
    const [statement] = parseCamt(readFileSync(join(ROOT, 'camt/oca/test-camt053.xml'), 'utf8')).statements;
    expect(statement).toMatchObject({ openingBalance: '15568.27', closingBalance: '15121.12', balanceCheck: { isConsistent: false, difference: '-434.16' } });
  });
});

describe('MT940 against WoLpH/mt940 expected outputs', () => {
  const dir = join(ROOT, 'mt940/wolph-mt940');
  const pairs = walk(dir).filter((f) => f.endsWith('.sta'));
  it.each(pairs.map((f) => [relative(dir, f), f]))('%s', (_name, file) => {
    const expected = readFileSync(file.replace(/\.sta$/, '.expected.yml'), 'utf8');
    // Each Transaction block's first Amount is the transaction amount (PyYAML dump of mt940.models).
    const amounts = expected
      .split(/^- !!python\/object:mt940\.models\.Transaction$/m)
      .slice(1)
      .map((block) => {
        const m = /amount: !!python\/object:mt940\.models\.Amount\n\s+amount: !!python\/object\/apply:decimal\.Decimal(?: \['([^']+)'\]|\n\s+- '([^']+)')/.exec(block);
        return m?.[1] ?? m?.[2] ?? 'missing';
      });
    const parsed = parseMt940(readFileSync(file, 'latin1'));
    const ours = parsed.statements.flatMap((s) => s.lines.map((l) => ({ amount: l.amount, isBalanced: s.balanceCheck?.isConsistent === true })));
    expect(ours).toHaveLength(amounts.length);
    ours.forEach(({ amount, isBalanced }, i) => {
      // WoLpH reads "RC" (reversal of credit) as a credit; SWIFT defines it as a debit, and the
      // statement's own balances agree with SWIFT. Accept the opposite sign only there.
      const matches = same(amount, amounts[i]) || (isBalanced && same(amount, `-${amounts[i]}`.replace('--', '')));
      expect(matches, `${amount} vs ${amounts[i]}`).toBe(true);
    });
  });

  it('reads SEPA fields from German (?20, EREF+, SVWZ+) and Dutch (/EREF/, /CNTP/, /REMI/) information', () => {
    const ing = lines(parseMt940(readFileSync(join(ROOT, 'mt940/oca/test-ing.940'), 'latin1')));
    expect(ing[0]).toMatchObject({ amount: '1.56', endToEndId: 'EV12341REP1231456T1234', counterparty: { iban: 'NL32INGB0000012345', bic: 'INGBNL2A', name: 'ING BANK NV INZAKE WEB' }, remittance: { unstructured: 'EV10001REP1000000T1000' } });
    const snippet = lines(parseMt940(readFileSync(join(dir, 'betterplace/sepa_snippet.sta'), 'latin1')));
    expect(snippet[0]).toMatchObject({ endToEndId: 'EndToEndId TFNR 22 004 00001', counterparty: { iban: 'DE14508800500194785000', bic: 'DRESDEFF508' } });
  });

  it('checks opening + movements = closing on consistent statements', () => {
    const parsed = parseMt940(readFileSync(join(ROOT, 'mt940/oca/test-ing.940'), 'latin1'));
    expect(parsed.statements[0].balanceCheck).toEqual({ isConsistent: true, difference: '0.00' });
  });
});

describe('CFONB 120', () => {
  it('decodes signed amounts whose balances agree on every statement', () => {
    for (const file of ['cfonb/silarhi/complex-test.txt', 'cfonb/pennylane/example.txt']) {
      const parsed = parseCfonb120(readFileSync(join(ROOT, file), 'latin1'));
      expect(parsed.statements.length).toBeGreaterThan(1);
      for (const s of parsed.statements) expect(s.balanceCheck, file).toEqual({ isConsistent: true, difference: '0.00' });
    }
  });

  it('reads a movement and its complements (05 NPY, RCN, LIB)', () => {
    const [line] = lines(parseCfonb120(readFileSync(join(ROOT, 'cfonb/pennylane/example.txt'), 'latin1')));
    expect(line).toMatchObject({ bookingDate: '2019-05-16', amount: '-32.21', counterparty: { name: 'INTERNET SFR' }, endToEndId: 'REFERENCE' });
    expect(line.remittance.unstructured).toContain('PRLV SEPA TEST CABINET');
  });

  it('refuses a wrong record with its line', () => {
    expect(() => parseCfonb120('0115589    00000EUR2 98765432100  150519                                                  0000000001904X150519160519    ')).toThrow(
      'line 1, columns 91-104: "0000000001904X" is not a CFONB amount (13 digits and a sign character)',
    );
  });
});

describe('OFX', () => {
  it('reads SGML 1.x and XML 2.x statements', () => {
    const medium = parseOfx(readFileSync(join(ROOT, 'ofx/ofxparse/bank_medium.ofx'), 'latin1'));
    expect(medium.statements[0]).toMatchObject({ currency: 'CAD', closingBalance: '382.34' });
    expect(lines(medium)[0]).toMatchObject({ bookingDate: '2009-04-01', amount: '-6.60', counterparty: { name: "MCDONALD'S #112" }, bankTransactionCode: 'POS' });
    expect(parseOfx(readFileSync(join(ROOT, 'ofx/ofxparse/multiple_accounts.ofx'), 'latin1')).statements).toHaveLength(2);
  });
});

describe('hostile input', () => {
  const seeds = ['camt/bankstatementparser/camt.053.001.02.xml', 'mt940/oca/test-ing.940', 'cfonb/silarhi/complex-test.txt', 'ofx/ofxparse/checking.ofx'].map((f) => readFileSync(join(ROOT, f), 'latin1'));
  it('never throws anything but StatementParseError on mutated or random input (fuzz)', () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.nat(), fc.nat({ max: 300 }), fc.string({ maxLength: 30 }), (k, at, cut, insert) => {
        const seed = seeds[k];
        const position = at % seed.length;
        const mutated = seed.slice(0, position) + insert + seed.slice(position + cut);
        try {
          parseStatement(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(StatementParseError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses entity declarations, truncated files and non-statements precisely', () => {
    expect(() => parseStatement('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>')).toThrow(/DOCTYPE/);
    const camt = readFileSync(join(ROOT, 'camt/bankstatementparser/camt.053.001.02.xml'), 'utf8');
    expect(() => parseStatement(camt.slice(0, 1500))).toThrow(StatementParseError);
    expect(() => parseStatement('hello world')).toThrow('file: not a bank statement');
  });
});
