/**
 * SWIFT MT940 (customer statement) and MT942 (interim report), with the :86: conventions in use:
 * German GVC subfields (?20–?29 purpose, ?32/?33 name, ?31 IBAN, SEPA EREF+/SVWZ+ keywords) and
 * slash codes (/EREF/ /REMI/ /CNTP/ /NAME/ /IBAN/) of Dutch and SEPA-structured banks.
 */
import { ibanError } from '../../domain/identifiers';
import { negateDecimal, normalizeDecimal } from '../decimal';
import { balanceCheckOf } from './balance';
import { type ParsedStatements, type Statement, StatementParseError, type StatementLine } from './types';

type Field = { tag: string; value: string; line: number };

function fieldsOf(text: string): Field[] {
  const fields: Field[] = [];
  // Some exports wrap lines anywhere, even inside a tag (":" then "86:…"): rejoin those first.
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const joined: string[] = [];
  for (const raw of rawLines) {
    if (joined.length > 0 && /^:\d{0,2}[A-Z]?$/.test(joined[joined.length - 1]) && /^\d{0,2}[A-Z]?:/.test(raw)) joined[joined.length - 1] += raw;
    else joined.push(raw);
  }
  joined.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const m = /^:(\d{2}[A-Z]?):(.*)$/.exec(line);
    if (m) fields.push({ tag: m[1], value: m[2], line: index + 1 });
    else if (fields.length > 0 && line !== '' && !/^[{}]|^-}?$/.test(line)) fields[fields.length - 1].value += `\n${line}`;
    else if (fields.length > 0 && line === '-') fields[fields.length - 1].value += '\n-';
  });
  return fields;
}

export function isMt940(text: string): boolean {
  return /(^|\n):20:/.test(text) && /(^|\n):(25|60F|60M|61|62F|13D|34F):/.test(text);
}

function date6(value: string, at: string): string {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) throw new StatementParseError(at, `"${value}" is not a YYMMDD date`);
  const year = Number(m[1]) < 80 ? 2000 + Number(m[1]) : 1900 + Number(m[1]);
  const iso = `${year}-${m[2]}-${m[3]}`;
  if (Number.isNaN(Date.parse(iso)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) throw new StatementParseError(at, `"${value}" is not a calendar date`);
  return iso;
}

function amount(value: string, at: string): string {
  if (!/^\d+(,\d*)?$/.test(value)) throw new StatementParseError(at, `"${value}" is not an MT940 amount (digits, comma decimals)`);
  const [whole, fraction = ''] = value.split(',');
  return normalizeDecimal(`${whole}.${fraction || '0'}`);
}

function balance(field: Field) {
  const value = field.value.split('\n')[0];
  const m = /^([CD])(\d{6})([A-Z]{3})?(\d+(?:,\d*)?)/.exec(value);
  if (!m) throw new StatementParseError(`line ${field.line} (:${field.tag}:)`, `"${value}" is not a balance (C/D, YYMMDD, currency, amount)`);
  const at = `line ${field.line} (:${field.tag}:)`;
  const a = amount(m[4], at);
  return { amount: m[1] === 'D' ? negateDecimal(a) : a, date: date6(m[2], at), currency: m[3] ?? null };
}

const SLASH_CODES = ['EREF', 'REMI', 'NAME', 'IBAN', 'BIC', 'CNTP', 'TRTP', 'MARF', 'CSID', 'PREF', 'RTRN', 'ORDP', 'BENM', 'ADDR', 'ISDT', 'PURP', 'ULTC', 'ULTD', 'ULTB', 'CDTRREF', 'CDTRREFTP', 'SVCL', 'ID', 'FX', 'CHGS', 'IREF', 'KREF', 'ACCW', 'EXCH', 'ATOS', 'RETR'];

type Details = { name: string | null; iban: string | null; bic: string | null; remittance: string | null; structured: string | null; endToEndId: string | null };

/** Interprets the :86: information to account owner field. */
export function parseInformation(info: string): Details {
  const flat = info.replace(/\n/g, '');
  const details: Details = { name: null, iban: null, bic: null, remittance: null, structured: null, endToEndId: null };
  if (/^\d{3}\?/.test(flat)) {
    // German GVC layout: ?NN subfields.
    const sub = new Map<string, string>();
    for (const m of flat.slice(3).matchAll(/\?(\d{2})([^?]*)/g)) sub.set(m[1], (sub.get(m[1]) ?? '') + m[2]);
    const purpose = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63'].map((k) => sub.get(k) ?? '').join('');
    const keywords = [...purpose.matchAll(/(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|IBAN|BIC)\+/g)];
    if (keywords.length > 0) {
      keywords.forEach((k, i) => {
        const value = purpose.slice((k.index ?? 0) + k[0].length, keywords[i + 1]?.index ?? purpose.length).trim();
        if (k[1] === 'EREF' && value !== 'NOTPROVIDED') details.endToEndId = value;
        if (k[1] === 'SVWZ') details.remittance = value;
      });
    }
    details.remittance = details.remittance ?? (purpose.trim() || null);
    details.name = ((sub.get('32') ?? '') + (sub.get('33') ?? '')).trim() || null;
    const account = (sub.get('31') ?? '').trim();
    details.iban = account && !ibanError(account) ? account : null;
    details.bic = (sub.get('30') ?? '').trim() || null;
    return details;
  }
  const codes = [...flat.matchAll(new RegExp(`/(${SLASH_CODES.join('|')})/`, 'g'))];
  if (codes.length > 0 && codes[0].index !== undefined && codes[0].index <= 1) {
    codes.forEach((c, i) => {
      const value = flat.slice((c.index ?? 0) + c[0].length, codes[i + 1]?.index ?? flat.length).replace(/\/+$/, '');
      switch (c[1]) {
        case 'EREF':
          if (value && value !== 'NOTPROVIDED') details.endToEndId = value;
          break;
        case 'REMI': {
          const structured = /^STRD\/[^/]*\/(.*)$/.exec(value);
          if (structured) details.structured = structured[1].replace(/^\/+/, '');
          else details.remittance = value.replace(/^USTD\/\//, '').replace(/^USTD\//, '') || null;
          break;
        }
        case 'CNTP': {
          const [iban, bic, name] = value.split('/');
          details.iban = iban || null;
          details.bic = bic || null;
          details.name = name || null;
          break;
        }
        case 'NAME':
          details.name = value || null;
          break;
        case 'IBAN':
          details.iban = value || null;
          break;
        case 'BIC':
          details.bic = value || null;
          break;
      }
    });
    return details;
  }
  details.remittance = info.replace(/\n/g, ' ').replace(/\s+/g, ' ').trim() || null;
  return details;
}

function accountOf(value: string, currency: string): Statement['account'] {
  let v = value.split('\n')[0].replace(/\s/g, '');
  if (currency && v.endsWith(currency) && v.length > currency.length) v = v.slice(0, -currency.length); // "NL…EUR", "1291.99.348EUR"
  const ibanLike = /^([A-Z]{2}\d{2}[A-Z0-9]{10,30}?)([A-Z]{3})?$/.exec(v);
  if (ibanLike && !ibanError(ibanLike[1])) return { iban: ibanLike[1], number: null, bic: null, name: null };
  if (!ibanError(v)) return { iban: v, number: null, bic: null, name: null };
  const [bic, number] = v.includes('/') ? v.split('/', 2) : [null, v];
  return { iban: null, number: number || v, bic: bic || null, name: null };
}

export function parseMt940(text: string): ParsedStatements {
  const fields = fieldsOf(text);
  if (!fields.some((f) => ['20', '25', '60F', '60M', '61', '62F', '62M'].includes(f.tag))) {
    throw new StatementParseError('line 1', 'no :20:, :25:, :60:, :61: or :62: field: not an MT940/MT942 message');
  }
  const groups: Field[][] = [];
  for (const field of fields) {
    if (field.tag === '20' || groups.length === 0) groups.push([]);
    groups[groups.length - 1].push(field);
  }
  const isInterim = /\{2:[IO]942/.test(text) || fields.some((f) => f.tag === '34F' || f.tag === '13D');
  const statements = groups.map((group): Statement => {
    const get = (...tags: string[]) => group.find((f) => tags.includes(f.tag));
    const opening = get('60F', '60M');
    const closing = get('62F', '62M');
    const openingRaw = opening ? balance(opening) : null;
    const closingRaw = closing ? balance(closing) : null;
    const fallbackCurrency = openingRaw?.currency ?? closingRaw?.currency ?? null;
    const open = openingRaw && { ...openingRaw, currency: openingRaw.currency ?? fallbackCurrency };
    const close = closingRaw && { ...closingRaw, currency: closingRaw.currency ?? fallbackCurrency };
    // A snippet without balances has no currency: the lines then carry none either.
    const currency = open?.currency ?? close?.currency ?? /[A-Z]{3}/.exec(get('34F')?.value ?? '')?.[0] ?? '';
    const lines: StatementLine[] = [];
    group.forEach((field, i) => {
      if (field.tag !== '61') return;
      const at = `line ${field.line} (:61:)`;
      let [main, ...supplementary] = field.value.split('\n');
      const pattern = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+(?:,\d*)?)([NSF][A-Z0-9]{3})(.*)$/;
      if (!pattern.test(main) && supplementary.length > 0) [main, ...supplementary] = [main + supplementary[0], ...supplementary.slice(1)]; // wrapped line
      const m = pattern.exec(main);
      if (!m) throw new StatementParseError(at, `"${main}" is not a statement line (date, [entry date], C/D, amount, type, reference)`);
      const valueDate = date6(m[1], at);
      let bookingDate = valueDate;
      if (m[2]) {
        // The entry date has no year: take the one that puts it closest to the value date.
        const year = Number(valueDate.slice(0, 4));
        const candidates = [year - 1, year, year + 1].map((y) => `${y}-${m[2].slice(0, 2)}-${m[2].slice(2)}`).filter((d) => !Number.isNaN(Date.parse(d)));
        bookingDate = candidates.sort((a, b) => Math.abs(Date.parse(a) - Date.parse(valueDate)) - Math.abs(Date.parse(b) - Date.parse(valueDate)))[0] ?? valueDate;
      }
      const value = amount(m[5], at);
      const isDebit = m[3] === 'D' || m[3] === 'RC';
      const [customerRef, bankRef] = m[7].split('//');
      const info = group[i + 1]?.tag === '86' ? group[i + 1].value : '';
      const details = parseInformation(info);
      lines.push({
        bookingDate,
        valueDate,
        amount: isDebit ? negateDecimal(value) : value,
        currency,
        counterparty: { name: details.name, iban: details.iban, bic: details.bic },
        remittance: { unstructured: details.remittance ?? (supplementary.join(' ').trim() || null), structured: details.structured },
        endToEndId: details.endToEndId,
        reference: bankRef?.trim() || (customerRef && customerRef !== 'NONREF' ? customerRef.trim() : null),
        bankTransactionCode: m[6],
      });
    });
    const statement = {
      id: get('28C', '28')?.value.replace(/\n/g, '').trim() ?? get('20')?.value.trim() ?? null,
      account: accountOf(get('25')?.value ?? '', currency),
      currency,
      openingBalance: open?.amount ?? null,
      closingBalance: close?.amount ?? null,
      openingDate: open?.date ?? null,
      closingDate: close?.date ?? null,
      lines,
    };
    return { ...statement, balanceCheck: balanceCheckOf(statement) };
  });
  return { format: isInterim ? 'mt942' : 'mt940', statements };
}
