import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimDeadline, classifyBodaccNotice, classifyJudgment, legalStatusOf } from './legal-events';

const PCL = join(process.cwd(), '../shared/data/fr-company-legal/bodacc/pcl-derived/grands_plans_1y.dev-sample-50pct.csv');

describe('BODACC notice classification (domain-rules.md §6.3)', () => {
  it('classifies every judgment nature of the real procédures collectives sample', () => {
    const natures = readFileSync(PCL, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').slice(3).join(','));
    const kinds = new Map<string, string>();
    for (const nature of natures) kinds.set(nature, classifyJudgment(nature));
    expect(Object.fromEntries(kinds)).toEqual({
      'jugement de conversion en liquidation judiciaire': 'conversion_liquidation',
      "jugement d'ouverture de liquidation judiciaire": 'opening_liquidation',
      "jugement de clôture pour insuffisance d'actif": 'closure_insufficient_assets',
      'jugement de conversion en liquidation judiciaire de la procédure de sauvegarde': 'conversion_liquidation',
      "jugement d'extension de liquidation judiciaire": 'opening_liquidation',
      "jugement d'extension d'une procédure de redressement judiciaire": 'opening_redressement',
    });
  });

  it('reads the family codes and the natures named in the rules', () => {
    expect(classifyBodaccNotice('radiation')).toBe('deregistered');
    expect(classifyBodaccNotice('dpc')).toBe('accounts_filed');
    expect(classifyBodaccNotice('vente')).toBe('business_sold');
    expect(classifyBodaccNotice('collective', "Jugement d'ouverture d'une procédure de sauvegarde")).toBe('opening_sauvegarde');
    expect(classifyBodaccNotice('collective', 'Jugement arrêtant le plan de sauvegarde')).toBe('plan_continuation');
    expect(classifyBodaccNotice('collective', 'Jugement arrêtant un plan de cession')).toBe('plan_cession');
    expect(classifyBodaccNotice('collective', 'Jugement de clôture pour extinction du passif')).toBe('closure');
    expect(classifyBodaccNotice('collective', "Dépôt de l'état des créances")).toBe('other');
    // A label instead of a code matches nothing (the rules warn about it).
    expect(classifyBodaccNotice('Radiations')).toBe('other');
  });
});

describe('legal status over time', () => {
  const rj = { kind: 'opening_redressement' as const, publishedOn: '2026-01-20', judgmentDate: '2026-01-12' };
  it('opens, converts, plans and closes procedures in judgment order, ignoring cancelled notices', () => {
    expect(legalStatusOf([rj], '2026-01-11').procedure).toBeNull();
    expect(legalStatusOf([rj], '2026-01-12')).toEqual({ procedure: 'redressement', openedOn: '2026-01-12', underPlan: false, isClosed: false, closedOn: null });
    const plan = { kind: 'plan_continuation' as const, publishedOn: '2026-09-01' };
    expect(legalStatusOf([plan, rj], '2026-10-01')).toMatchObject({ procedure: 'redressement', underPlan: true });
    const conversion = { kind: 'conversion_liquidation' as const, publishedOn: '2027-02-01' };
    expect(legalStatusOf([rj, plan, conversion], '2027-03-01')).toMatchObject({ procedure: 'liquidation', openedOn: '2027-02-01', underPlan: false });
    const closure = { kind: 'closure_insufficient_assets' as const, publishedOn: '2028-01-05' };
    expect(legalStatusOf([rj, conversion, closure], '2028-02-01')).toMatchObject({ isClosed: true, closedOn: '2028-01-05' });
    expect(legalStatusOf([{ ...rj, cancelled: true }], '2026-03-01').procedure).toBeNull();
    expect(legalStatusOf([rj, { kind: 'closure', publishedOn: '2026-06-01' }], '2026-07-01').procedure).toBeNull();
  });

  it('gives the claim declaration deadline: 2 months after publication, 4 from abroad', () => {
    expect(claimDeadline('2026-10-03')).toBe('2026-12-03');
    expect(claimDeadline('2026-12-31')).toBe('2027-02-28');
    expect(claimDeadline('2026-10-03', true)).toBe('2027-02-03');
  });
});
