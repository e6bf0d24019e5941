/**
 * Bureau and credit-insurer scores mapped onto Encours' 0–100 scale (100 = lowest risk) and its
 * A–E bands (domain-rules.md §3.4). The mappings are linear between each provider's anchors and
 * meant as defaults an organisation can override.
 */
export type Band = 'A' | 'B' | 'C' | 'D' | 'E';

/** A ≥ 80, B ≥ 60, C ≥ 40, D ≥ 20, E below (E = highest risk). */
export function bandOf(score: number): Band {
  return score >= 80 ? 'A' : score >= 60 ? 'B' : score >= 40 ? 'C' : score >= 20 ? 'D' : 'E';
}

export type ProviderScore =
  | { provider: 'creditsafe'; score: number } // 0–100, 0 = in default
  | { provider: 'altares'; score: number } // 0–20, 20 = lowest risk, 0 = in proceedings
  | { provider: 'allianz_trade'; grade: number } // 1–10, 1 = exceptional, 10 = failure
  | { provider: 'coface_dra'; grade: number } // 0–10, 0 = default, 10 = best
  | { provider: 'paydex'; score: number }; // 1–100, 80 = prompt

/** A provider's score on our 0–100 scale, or a precise refusal when it is out of its range. */
export function toInternalScore(input: ProviderScore): { score: number; band: Band } {
  const check = (value: number, min: number, max: number) => {
    if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${input.provider} score ${value} is outside ${min}–${max}`);
  };
  let score: number;
  switch (input.provider) {
    case 'creditsafe':
      check(input.score, 0, 100);
      score = input.score;
      break;
    case 'altares':
      check(input.score, 0, 20);
      score = input.score * 5;
      break;
    case 'allianz_trade':
      check(input.grade, 1, 10);
      score = ((10 - input.grade) / 9) * 100;
      break;
    case 'coface_dra':
      check(input.grade, 0, 10);
      score = input.grade * 10;
      break;
    case 'paydex':
      check(input.score, 1, 100);
      score = input.score;
      break;
  }
  const rounded = Math.round(score);
  return { score: rounded, band: bandOf(rounded) };
}

export type ProviderName = ProviderScore['provider'];

/** Creditsafe's international letters, at the middle of their score ranges (A 71–100, B 51–70, C 30–50, D 1–29). */
const CREDITSAFE_LETTERS: Record<string, number> = { A: 85, B: 60, C: 40, D: 15 };

/**
 * A score or grade as a file or an API gives it ("71", "14,5", "B", 4) → the provider's score,
 * or a precise refusal. Creditsafe's "E" means not rated: there is nothing to store.
 */
export function providerScoreOf(provider: ProviderName, value: string | number): ProviderScore {
  const text = String(value).trim();
  if (provider === 'creditsafe' && /^[A-Ea-e]$/.test(text)) {
    const letter = text.toUpperCase();
    if (letter === 'E') throw new RangeError('Creditsafe "E" means not rated: there is no score to store');
    return { provider, score: CREDITSAFE_LETTERS[letter] };
  }
  if (!/^-?\d+([.,]\d+)?$/.test(text)) throw new RangeError(`${provider} score "${text}" is not a number`);
  const n = Number(text.replace(',', '.'));
  return provider === 'allianz_trade' || provider === 'coface_dra' ? { provider, grade: n } : { provider, score: n };
}

/** A provider as files name it ("Creditsafe", "Euler Hermes", "Coface DRA", "D&B Paydex"), or null. */
export function providerFromName(name: string): ProviderName | null {
  const n = name.toLowerCase();
  if (n.includes('creditsafe')) return 'creditsafe';
  if (n.includes('altares')) return 'altares';
  if (n.includes('allianz') || n.includes('euler')) return 'allianz_trade';
  if (n.includes('coface') || /\bdra\b/.test(n)) return 'coface_dra';
  if (n.includes('paydex') || n.includes('d&b') || n.includes('dun')) return 'paydex';
  return null;
}

/** Paydex anchors (score → days beyond terms, negative = early), interpolated for display. */
const PAYDEX: [number, number][] = [
  [100, -30], [90, -20], [80, 0], [70, 15], [60, 22], [50, 30], [40, 60], [30, 90], [20, 120],
];

export function paydexDaysBeyondTerms(paydex: number): number {
  if (paydex >= 100) return -30;
  if (paydex <= 20) return 120;
  for (let i = 0; i < PAYDEX.length - 1; i++) {
    const [hi, hiDays] = PAYDEX[i];
    const [lo, loDays] = PAYDEX[i + 1];
    if (paydex <= hi && paydex >= lo) return Math.round((loDays + ((paydex - lo) / (hi - lo)) * (hiDays - loDays)) * 10) / 10;
  }
  return 120;
}
