import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancelledNoticeIds, noticesFromResponse } from './bodacc';
import { companyFromSearch, ProviderResponseError } from './recherche-entreprises';

const ROOT = join(process.cwd(), '../shared/data/fr-company-legal');
const recorded = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

describe('API Recherche d\'entreprises responses', () => {
  it('reads every recorded response, each result under its own SIREN', () => {
    const files = readdirSync(join(ROOT, 'recherche-entreprises-api'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const file of files) {
      const { result } = recorded(`recherche-entreprises-api/${file}`);
      for (const company of result.results) {
        const profile = companyFromSearch(result, company.siren);
        expect(profile?.siren, file).toBe(company.siren);
        expect(profile?.state, file).toBe(company.etat_administratif === 'C' ? 'ceased' : 'active');
      }
    }
  });

  it('keeps finances as exact decimal strings, newest year first, and hides directors when diffusion is partial', () => {
    const { result } = recorded('recherche-entreprises-api/search-la_poste.json');
    expect(companyFromSearch(result, '356000000')?.finances[0]).toEqual({ year: '2024', revenue: '34569000000', netIncome: '1722000000' });
    const partial = { results: [{ ...result.results[0], statut_diffusion: 'P' }] };
    expect(companyFromSearch(partial, '356000000')?.directors).toEqual([]);
  });

  it('answers null for a SIREN not in the results and a precise error for a changed shape', () => {
    expect(companyFromSearch({ results: [] }, '356000000')).toBeNull();
    expect(() => companyFromSearch({ results: [{ siren: 12 }] }, '356000000')).toThrow('recherche-entreprises: unexpected response at results.0.siren');
  });
});

describe('BODACC annonces-commerciales responses', () => {
  it('reads the recorded v1 response and parses JSON-in-string fields', () => {
    const { notices, total } = noticesFromResponse(recorded('bodacc/ods-api-v1-annonces-commerciales__880878145.json'));
    expect(total).toBe(3);
    expect(notices[0]).toMatchObject({ id: 'B20220227446', kind: 'deregistered', family: 'radiation', publishedOn: '2022-11-23', sirens: ['880878145'], companyName: 'Ganymède' });
    expect(notices.map((n) => n.kind)).toEqual(['deregistered', 'accounts_filed', 'accounts_filed']);
  });

  it('links a cancellation to the notice it cancels', () => {
    const base = { familleavis: 'collective', dateparution: '2026-03-12', registre: '123456789', jugement: '{"nature": "Jugement d\'ouverture de liquidation judiciaire", "date": "2026-03-05"}' };
    const { notices } = noticesFromResponse({
      total_count: 2,
      results: [
        { ...base, id: 'A1', parution: '20260051', numeroannonce: 7 },
        { ...base, id: 'A2', typeavis: 'annulation', dateparution: '2026-03-20', parution: '20260055', numeroannonce: 9, parutionavisprecedent: '{"numeroParution": "20260051", "numeroAnnonce": "7"}' },
      ],
    });
    expect(notices.find((n) => n.id === 'A1')).toMatchObject({ kind: 'opening_liquidation', judgmentDate: '2026-03-05' });
    expect([...cancelledNoticeIds(notices)].sort()).toEqual(['A1', 'A2']);
    expect(() => noticesFromResponse({ results: [{ ...base, id: 'A3', jugement: '{broken' }] })).toThrow('bodacc: notice A3: field jugement is not valid JSON');
    expect(() => noticesFromResponse({ results: [{ id: 'A4', familleavis: 'dpc', dateparution: 'hier' }] })).toThrow('dateparution "hier" is not a date');
  });

  it('never crashes on arbitrary JSON: a notice list or a precise provider error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const parse of [() => noticesFromResponse(value), () => noticesFromResponse({ results: [value] }), () => companyFromSearch(value, '356000000')]) {
          try {
            parse();
          } catch (error) {
            expect(error).toBeInstanceOf(ProviderResponseError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
