/**
 * Legal events of French companies (domain-rules.md §6): what a BODACC notice means for a creditor,
 * and the legal status they add up to on a given date (the procedure in force, or the company gone).
 */
import { addMonths } from '../calendar';

export type LegalEventKind =
  | 'opening_sauvegarde'
  | 'opening_redressement'
  | 'opening_liquidation'
  | 'conversion_liquidation'
  | 'plan_continuation'
  | 'plan_cession'
  | 'closure'
  | 'closure_insufficient_assets'
  | 'conciliation'
  | 'retablissement_professionnel'
  | 'deregistered'
  | 'accounts_filed'
  | 'business_sold'
  | 'registration'
  | 'modification'
  | 'other';

export type LegalEvent = { kind: LegalEventKind; publishedOn: string; judgmentDate?: string | null; cancelled?: boolean };

export type Procedure = 'sauvegarde' | 'redressement' | 'liquidation';
export type LegalStatus = {
  procedure: Procedure | null;
  openedOn: string | null;
  /** The procedure ended in a plan: the company trades on but repays frozen debts over years. */
  underPlan: boolean;
  isClosed: boolean;
  closedOn: string | null;
};

/** How bad each kind is for a creditor, for alert severity. */
export const CRITICAL_KINDS: ReadonlySet<LegalEventKind> = new Set([
  'opening_redressement', 'opening_liquidation', 'conversion_liquidation', 'closure_insufficient_assets', 'deregistered', 'plan_cession',
]);
export const WARNING_KINDS: ReadonlySet<LegalEventKind> = new Set(['opening_sauvegarde', 'conciliation', 'retablissement_professionnel', 'plan_continuation', 'business_sold', 'closure']);

const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * The kind of a BODACC notice from its family code (`familleavis`) and, for collective procedures,
 * the nature of the judgment ("Jugement d'ouverture de liquidation judiciaire", "jugement de
 * conversion en liquidation judiciaire", "Jugement arrêtant un plan de cession"…).
 */
export function classifyBodaccNotice(familleavis: string, judgmentNature?: string | null): LegalEventKind {
  const family = fold(familleavis.trim());
  switch (family) {
    case 'radiation':
      return 'deregistered';
    case 'dpc':
      return 'accounts_filed';
    case 'vente':
      return 'business_sold';
    case 'creation':
    case 'immatriculation':
      return 'registration';
    case 'modification':
      return 'modification';
    case 'conciliation':
      return 'conciliation';
    case 'retablissement_professionnel':
      return 'retablissement_professionnel';
    case 'collective':
      return classifyJudgment(judgmentNature ?? '');
    default:
      return 'other';
  }
}

/** The kind of a collective-procedure judgment from its nature, in the words courts use. */
export function classifyJudgment(nature: string): LegalEventKind {
  const n = fold(nature);
  if (n.includes('cloture')) return n.includes('insuffisance') ? 'closure_insufficient_assets' : 'closure';
  if (n.includes('conversion') && n.includes('liquidation')) return 'conversion_liquidation';
  if (n.includes('plan de cession')) return 'plan_cession';
  if (n.includes('plan de sauvegarde') || n.includes('plan de redressement') || n.includes('plan de continuation')) return 'plan_continuation';
  if (n.includes('ouverture') || n.includes('extension') || n.includes('prononcant')) {
    if (n.includes('liquidation')) return 'opening_liquidation';
    if (n.includes('redressement')) return 'opening_redressement';
    if (n.includes('sauvegarde')) return 'opening_sauvegarde';
  }
  if (n.includes('retablissement professionnel')) return 'retablissement_professionnel';
  return 'other';
}

/**
 * The legal status as of a date, replaying the events in order: an opening starts a procedure, a
 * conversion turns it into a liquidation, a plan keeps it "under plan", a closure for insufficient
 * assets or a deregistration ends the company; cancelled notices do not count.
 */
export function legalStatusOf(events: LegalEvent[], asOf: string): LegalStatus {
  const status: LegalStatus = { procedure: null, openedOn: null, underPlan: false, isClosed: false, closedOn: null };
  const dated = events
    .filter((e) => !e.cancelled)
    .map((e) => ({ ...e, on: e.judgmentDate ?? e.publishedOn }))
    .filter((e) => e.on <= asOf)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  for (const e of dated) {
    switch (e.kind) {
      case 'opening_sauvegarde':
      case 'opening_redressement':
      case 'opening_liquidation': {
        const procedure = e.kind.slice('opening_'.length) as Procedure;
        if (status.procedure !== procedure) status.openedOn = e.on;
        status.procedure = procedure;
        status.underPlan = false;
        break;
      }
      case 'conversion_liquidation':
        status.procedure = 'liquidation';
        status.openedOn = e.on;
        status.underPlan = false;
        break;
      case 'plan_continuation':
        status.underPlan = true;
        break;
      case 'plan_cession':
        // The business is sold; the company itself usually ends in liquidation.
        status.underPlan = false;
        break;
      case 'closure':
        status.procedure = null;
        status.openedOn = null;
        status.underPlan = false;
        break;
      case 'closure_insufficient_assets':
      case 'deregistered':
        status.isClosed = true;
        status.closedOn = e.on;
        break;
      case 'registration':
        // A new registration after a deregistration (rare: same SIREN re-registered) reopens it.
        if (status.isClosed) {
          status.isClosed = false;
          status.closedOn = null;
        }
        break;
      default:
        break;
    }
  }
  return status;
}

const KIND_LABEL: Record<LegalEventKind, string> = {
  opening_sauvegarde: 'procédure de sauvegarde opened',
  opening_redressement: 'redressement judiciaire opened',
  opening_liquidation: 'liquidation judiciaire opened',
  conversion_liquidation: 'procedure converted into liquidation judiciaire',
  plan_continuation: 'continuation plan adopted',
  plan_cession: 'sale plan (plan de cession) adopted',
  closure: 'procedure closed',
  closure_insufficient_assets: 'procedure closed for insufficient assets',
  conciliation: 'conciliation',
  retablissement_professionnel: 'rétablissement professionnel',
  deregistered: 'deregistered from the trade register (radiation)',
  accounts_filed: 'annual accounts filed',
  business_sold: 'business sold or transferred',
  registration: 'registered',
  modification: 'registration details changed',
  other: 'notice published',
};

/** "BODACC: redressement judiciaire opened 2026-10-03" */
export function describeLegalEvent(e: LegalEvent, source = 'BODACC'): string {
  return `${source}: ${KIND_LABEL[e.kind]} ${e.judgmentDate ?? e.publishedOn}`;
}

/** Claims must be declared within 2 months of the BODACC publication of the opening (+2 abroad). */
export function claimDeadline(publishedOn: string, creditorAbroad = false): string {
  return addMonths(publishedOn, creditorAbroad ? 4 : 2);
}
