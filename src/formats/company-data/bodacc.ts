/**
 * BODACC notices (DILA open data, dataset `annonces-commerciales` on Opendatasoft) turned into legal
 * events. Reads the Explore v2.1 shape (`results[]`) and the older v1 shape (`records[].fields`);
 * the fields `jugement`, `listepersonnes`, `parutionavisprecedent`… are JSON documents serialised
 * as strings (domain-rules.md §6.3).
 */
import { classifyBodaccNotice, type LegalEventKind } from '../../domain/legal/legal-events';
import { ProviderResponseError } from './recherche-entreprises';

export type BodaccNotice = {
  id: string;
  kind: LegalEventKind;
  family: string;
  familyLabel: string | null;
  /** annonce (initial), rectificatif or annulation. */
  noticeType: string;
  publishedOn: string;
  judgmentDate: string | null;
  judgmentNature: string | null;
  /** Free text naming the mandataire or liquidator to whom claims are declared. */
  judgmentDetails: string | null;
  court: string | null;
  companyName: string | null;
  sirens: string[];
  /** BODACC issue and notice number, and those of the notice this one corrects or cancels. */
  parution: string | null;
  noticeNumber: string | null;
  previous: { parution: string | null; noticeNumber: string | null } | null;
  url: string | null;
};

const isoDate = /^\d{4}-\d{2}-\d{2}/;

function parseEmbeddedJson(value: unknown, field: string, id: string): Record<string, unknown> | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    throw new ProviderResponseError('bodacc', `notice ${id}: field ${field} is not valid JSON`);
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** SIRENs named in `registre` ("880878145,880 878 145" or an array of such strings). */
function sirensOf(registre: unknown): string[] {
  const parts = Array.isArray(registre) ? registre.map(String) : typeof registre === 'string' ? registre.split(',') : [];
  return [...new Set(parts.map((p) => p.replace(/\s/g, '')).filter((p) => /^\d{9}$/.test(p)))];
}

export function noticeFromRecord(fields: Record<string, unknown>): BodaccNotice {
  const id = str(fields.id) ?? str(fields.recordid);
  if (!id) throw new ProviderResponseError('bodacc', 'a notice has no id');
  const family = str(fields.familleavis);
  if (!family) throw new ProviderResponseError('bodacc', `notice ${id}: familleavis is missing`);
  const publishedOn = str(fields.dateparution);
  if (!publishedOn || !isoDate.test(publishedOn)) throw new ProviderResponseError('bodacc', `notice ${id}: dateparution ${JSON.stringify(fields.dateparution)} is not a date`);
  const judgment = parseEmbeddedJson(fields.jugement, 'jugement', id);
  const previous = parseEmbeddedJson(fields.parutionavisprecedent, 'parutionavisprecedent', id);
  const judgmentDate = str(judgment?.date);
  const nature = str(judgment?.nature);
  return {
    id,
    kind: classifyBodaccNotice(family, nature),
    family,
    familyLabel: str(fields.familleavis_lib),
    noticeType: str(fields.typeavis) ?? 'annonce',
    publishedOn: publishedOn.slice(0, 10),
    judgmentDate: judgmentDate && isoDate.test(judgmentDate) ? judgmentDate.slice(0, 10) : null,
    judgmentNature: nature,
    judgmentDetails: str(judgment?.complementJugement),
    court: str(fields.tribunal),
    companyName: str(fields.commercant),
    sirens: sirensOf(fields.registre),
    parution: str(fields.parution),
    noticeNumber: str(fields.numeroannonce),
    previous: previous ? { parution: str(previous.numeroParution), noticeNumber: str(previous.numeroAnnonce) } : null,
    url: str(fields.url_complete),
  };
}

/** Every notice of a response page, newest first. */
export function noticesFromResponse(json: unknown): { notices: BodaccNotice[]; total: number } {
  if (!json || typeof json !== 'object') throw new ProviderResponseError('bodacc', 'response is not a JSON object');
  const body = json as { results?: unknown; records?: unknown; total_count?: unknown; nhits?: unknown };
  let records: Record<string, unknown>[];
  if (Array.isArray(body.results)) records = body.results as Record<string, unknown>[];
  else if (Array.isArray(body.records)) records = (body.records as ({ fields?: Record<string, unknown>; recordid?: string } | null)[]).map((r) => (r && typeof r === 'object' ? { recordid: r.recordid, ...(r.fields && typeof r.fields === 'object' ? r.fields : {}) } : r) as Record<string, unknown>);
  else throw new ProviderResponseError('bodacc', 'response has neither results nor records');
  records.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new ProviderResponseError('bodacc', `record ${i} is not an object`);
  });
  const notices = records.map(noticeFromRecord).sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : a.publishedOn > b.publishedOn ? -1 : 0));
  const total = typeof body.total_count === 'number' ? body.total_count : typeof body.nhits === 'number' ? body.nhits : notices.length;
  return { notices, total };
}

/** Notices cancelled by a later `annulation` notice (matched on issue and notice number). */
export function cancelledNoticeIds(notices: BodaccNotice[]): Set<string> {
  const key = (parution: string | null, n: string | null) => `${parution}/${n}`;
  const cancelledKeys = new Set(notices.filter((n) => n.noticeType === 'annulation' && n.previous).map((n) => key(n.previous?.parution ?? null, n.previous?.noticeNumber ?? null)));
  const ids = new Set(notices.filter((n) => cancelledKeys.has(key(n.parution, n.noticeNumber))).map((n) => n.id));
  for (const n of notices) if (n.noticeType === 'annulation') ids.add(n.id);
  return ids;
}
