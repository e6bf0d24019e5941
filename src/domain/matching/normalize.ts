/** Text normalisation for matching remittance information and company names. */

const LEGAL_FORMS = new Set(['SAS', 'SASU', 'SARL', 'SA', 'EURL', 'SNC', 'SCOP', 'SCI', 'SELARL', 'GMBH', 'AG', 'KG', 'BV', 'NV', 'SRL', 'SPA', 'SL', 'LTD', 'LIMITED', 'PLC', 'INC', 'LLC', 'CO', 'ET', 'CIE', 'STE', 'SOCIETE', 'STE.', 'ETS', 'ETABLISSEMENTS']);

/** Uppercase ASCII: accents removed (É → E), ligatures split (Œ → OE). */
export function toAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/Œ/g, 'OE')
    .replace(/œ/g, 'oe')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .toUpperCase();
}

/** Company name for comparison: ASCII, punctuation to spaces, legal forms dropped. */
export function normalizeName(name: string): string {
  return toAscii(name)
    .replace(/[^A-Z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w && !LEGAL_FORMS.has(w))
    .join(' ');
}

/** An invoice number's keys: its letters and digits without separators, and its digits without leading zeros. */
export function invoiceNumberKeys(number: string): { compact: string; digits: string | null } {
  const compact = toAscii(number).replace(/[^A-Z0-9]/g, '');
  const digitsOnly = compact.replace(/\D/g, '').replace(/^0+/, '');
  return { compact, digits: digitsOnly.length >= 4 ? digitsOnly : null };
}

/**
 * Candidate invoice-number tokens in remittance text: each run of letters, digits and separators
 * (- / . _) compacted, plus its digits without leading zeros — so "Fact. n° FA-2025/000123" yields
 * "FA2025000123" and "2025000123".
 */
export function remittanceTokens(text: string): { compact: Set<string>; digits: Set<string> } {
  const compact = new Set<string>();
  const digits = new Set<string>();
  const ascii = toAscii(text);
  const runs = ascii.match(/[A-Z0-9]+(?:[-/._][A-Z0-9]+)*/g) ?? [];
  // A number typed with spaces ("FA 2026 000103") spans up to three words: try those joins too.
  const joined = runs.flatMap((_, i) => [runs.slice(i, i + 2), runs.slice(i, i + 3)].filter((g) => g.length > 1 && g.some((w) => /\d/.test(w))).map((g) => g.join('')));
  for (const run of [...runs, ...joined]) {
    const c = run.replace(/[-/._]/g, '');
    if (c.length >= 3) compact.add(c);
    // Numbers inside words ("FACTURE123") and digit groups on their own.
    for (const d of [c.replace(/\D/g, ''), ...(run.match(/\d+/g) ?? [])]) {
      const stripped = d.replace(/^0+/, '');
      if (stripped.length >= 4) digits.add(stripped);
    }
    // A prefix glued to the number ("FAC2025000123" for "2025000123"): also try each letter-to-digit boundary.
    for (const m of c.matchAll(/\d+/g)) {
      const stripped = m[0].replace(/^0+/, '');
      if (stripped.length >= 4) digits.add(stripped);
    }
  }
  return { compact, digits };
}

/** Jaro-Winkler similarity (0–1) of two strings. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatches = new Array<boolean>(a.length).fill(false);
  const bMatches = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatches[j] || a[i] !== b[j]) continue;
      aMatches[i] = bMatches[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (!aMatches[i]) continue;
    while (!bMatches[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
