/**
 * CFONB 120 "relevé de compte" (French banks): fixed 120-character records — 01 old balance,
 * 04 movement, 05 movement complement, 07 new balance. Amounts have 14 positions whose last
 * character carries both the last digit and the sign ({ A…I = +0…+9, } J…R = −0…−9), and a
 * separate number of decimals.
 */
import { negateDecimal } from '../decimal';
import { balanceCheckOf } from './balance';
import { type ParsedStatements, type Statement, StatementParseError, type StatementLine } from './types';

const POSITIVE = '{ABCDEFGHI';
const NEGATIVE = '}JKLMNOPQR';

function recordsOf(text: string): { record: string; line: number }[] {
  const body = text.replace(/^\uFEFF/, '');
  // Some banks send the records without line breaks.
  const lines = /\r|\n/.test(body) ? body.split(/\r\n|\r|\n/) : (body.match(/.{1,120}/gs) ?? []);
  return lines.map((record, i) => ({ record: record.replace(/\s+$/, ''), line: i + 1 })).filter((r) => r.record.length > 0);
}

export function isCfonb120(text: string): boolean {
  const records = recordsOf(text.slice(0, 2000));
  return records.length > 0 && records.every((r) => /^(01|04|05|07)\d{5}/.test(r.record) && r.record.length <= 120);
}

function amountOf(field: string, decimals: number, at: string): string {
  const last = field.slice(-1);
  const digits = field.slice(0, -1);
  let sign = 1;
  let lastDigit = POSITIVE.indexOf(last);
  if (lastDigit < 0) {
    lastDigit = NEGATIVE.indexOf(last);
    sign = -1;
  }
  if (lastDigit < 0 || !/^\d{13}$/.test(digits)) throw new StatementParseError(at, `"${field}" is not a CFONB amount (13 digits and a sign character)`);
  const all = (digits + lastDigit).replace(/^0+(?=\d)/, '').padStart(decimals + 1, '0');
  const value = decimals > 0 ? `${all.slice(0, -decimals)}.${all.slice(-decimals)}` : all;
  const normalized = value.includes('.') ? (value.split('.')[1].length < 2 ? `${value}0` : value) : `${value}.00`;
  return sign < 0 && /[1-9]/.test(normalized) ? negateDecimal(normalized) : normalized;
}

function dateOf(field: string, at: string): string | null {
  if (/^\s*$|^0+$/.test(field)) return null;
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(field);
  if (!m) throw new StatementParseError(at, `"${field}" is not a JJMMAA date`);
  const iso = `${Number(m[3]) < 80 ? 20 : 19}${m[3]}-${m[2]}-${m[1]}`;
  if (Number.isNaN(Date.parse(iso)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) throw new StatementParseError(at, `"${field}" is not a calendar date`);
  return iso;
}

export function parseCfonb120(text: string): ParsedStatements {
  const statements: Statement[] = [];
  let current: (Omit<Statement, 'balanceCheck'> & { extra: { line: StatementLine; labels: string[] }[] }) | null = null;
  let last: { line: StatementLine; labels: string[] } | null = null;
  const close = () => {
    if (!current) return;
    for (const { line, labels } of current.extra) {
      if (labels.length > 0) line.remittance.unstructured = [line.remittance.unstructured, ...labels].filter(Boolean).join(' ');
    }
    const { extra: _extra, ...statement } = current;
    statements.push({ ...statement, balanceCheck: balanceCheckOf(statement) });
    current = null;
  };
  for (const { record, line } of recordsOf(text)) {
    const at = `line ${line}`;
    const r = record.padEnd(120, ' ');
    const code = r.slice(0, 2);
    if (!['01', '04', '05', '07'].includes(code)) throw new StatementParseError(at, `record code "${code}" is not 01, 04, 05 or 07`);
    const bank = r.slice(2, 7);
    const branch = r.slice(11, 16);
    const currency = r.slice(16, 19).trim();
    const decimals = Number(r.slice(19, 20));
    if (!Number.isInteger(decimals)) throw new StatementParseError(`${at}, column 20`, `"${r[19]}" is not a number of decimals`);
    const account = r.slice(21, 32).trim();
    if (code === '01') {
      close();
      current = {
        id: null,
        account: { iban: null, number: `${bank} ${branch} ${account}`, bic: null, name: null },
        currency,
        openingBalance: amountOf(r.slice(90, 104), decimals, `${at}, columns 91-104`),
        closingBalance: null,
        openingDate: dateOf(r.slice(34, 40), `${at}, columns 35-40`),
        closingDate: null,
        lines: [],
        extra: [],
      };
      continue;
    }
    if (!current && code === '05') throw new StatementParseError(at, 'complement (05) before any movement');
    // An extract that starts with movements has no known opening balance.
    current ??= {
      id: null,
      account: { iban: null, number: `${bank} ${branch} ${account}`, bic: null, name: null },
      currency,
      openingBalance: null,
      closingBalance: null,
      openingDate: null,
      closingDate: null,
      lines: [],
      extra: [],
    };
    const cur = current as NonNullable<typeof current>;
    if (code === '04') {
      const entry: StatementLine = {
        bookingDate: dateOf(r.slice(34, 40), `${at}, columns 35-40`) as string,
        valueDate: dateOf(r.slice(42, 48), `${at}, columns 43-48`),
        amount: amountOf(r.slice(90, 104), decimals, `${at}, columns 91-104`),
        currency,
        counterparty: { name: null, iban: null, bic: null },
        remittance: { unstructured: r.slice(48, 79).trim() || null, structured: null },
        endToEndId: null,
        reference: [r.slice(81, 88), r.slice(104, 120)].map((v) => v.trim()).find((v) => v !== '' && /[^0]/.test(v)) ?? null,
        bankTransactionCode: r.slice(32, 34).trim() || null,
      };
      if (!entry.bookingDate) throw new StatementParseError(`${at}, columns 35-40`, 'movement without accounting date');
      cur.lines.push(entry);
      last = { line: entry, labels: [] };
      cur.extra.push(last);
    } else if (code === '05') {
      if (!last) throw new StatementParseError(at, 'complement (05) without a movement (04) before it');
      const qualifier = r.slice(45, 48);
      const info = r.slice(48, 118).trim();
      if (qualifier === 'NPY' || qualifier === 'NBE') last.line.counterparty.name = last.line.counterparty.name ?? info;
      else if (qualifier === 'IPY' || qualifier === 'IBE') last.line.counterparty.iban = last.line.counterparty.iban ?? (info.split(/\s/)[0] || null);
      else if (qualifier === 'RCN' || qualifier === 'REF') last.line.endToEndId = last.line.endToEndId ?? info;
      else if (info) last.labels.push(info); // LIB, LCC, LC2, MMO… free-text labels
    } else if (code === '07') {
      cur.closingBalance = amountOf(r.slice(90, 104), decimals, `${at}, columns 91-104`);
      cur.closingDate = dateOf(r.slice(34, 40), `${at}, columns 35-40`);
      close();
      last = null;
    }
  }
  close();
  if (statements.length === 0) throw new StatementParseError('line 1', 'no CFONB 120 statement');
  return { format: 'cfonb120', statements };
}
