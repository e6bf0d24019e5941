/**
 * Responses of the API Recherche d'entreprises (recherche-entreprises.api.gouv.fr, DINUM, free and
 * keyless) turned into a company profile. The shape is checked with zod so that a change on their
 * side gives a precise error instead of silently empty fields.
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const Establishment = z.object({
  siret: z.string(),
  adresse: nullableString,
  code_postal: nullableString,
  libelle_commune: nullableString,
  etat_administratif: nullableString,
  date_fermeture: nullableString,
  tranche_effectif_salarie: nullableString,
});
const Director = z.object({
  nom: nullableString,
  prenoms: nullableString,
  denomination: nullableString,
  siren: nullableString,
  qualite: nullableString,
  type_dirigeant: nullableString,
});
const Company = z.object({
  siren: z.string().regex(/^\d{9}$/),
  nom_complet: nullableString,
  nom_raison_sociale: nullableString,
  sigle: nullableString,
  siege: Establishment.nullish(),
  activite_principale: nullableString,
  categorie_entreprise: nullableString,
  date_creation: nullableString,
  date_fermeture: nullableString,
  dirigeants: z.array(Director).nullish(),
  etat_administratif: nullableString,
  nature_juridique: nullableString,
  tranche_effectif_salarie: nullableString,
  statut_diffusion: nullableString,
  immatriculation: z.object({ date_immatriculation: nullableString, date_radiation: nullableString, capital_social: z.number().nullish(), devise_capital: nullableString }).nullish(),
  finances: z.record(z.string(), z.object({ ca: z.number().nullish(), resultat_net: z.number().nullish() })).nullish(),
});
export const SearchResponse = z.object({ results: z.array(Company), total_results: z.number().optional() });

export type CompanyProfile = {
  siren: string;
  name: string;
  acronym: string | null;
  legalFormCode: string | null;
  activityCode: string | null;
  category: string | null;
  createdOn: string | null;
  /** INSEE headcount band code ("NN" = no employees, "12" = 20–49…). */
  headcountBand: string | null;
  state: 'active' | 'ceased';
  ceasedOn: string | null;
  deregisteredOn: string | null;
  headOffice: { siret: string; address: string | null; postalCode: string | null; city: string | null } | null;
  /** Share capital in the currency's units, as a decimal string (exact). */
  shareCapital: { amount: string; currency: string } | null;
  directors: { name: string; role: string | null; kind: 'person' | 'company' }[];
  /** Turnover and net income per fiscal year, in euros (decimal strings) when published. */
  finances: { year: string; revenue: string | null; netIncome: string | null }[];
  /** "P": the company asked for its personal data not to be shown. */
  partiallyDiffusible: boolean;
};

export class ProviderResponseError extends Error {
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** The company with this SIREN among the search results, or null when the API does not know it. */
export function companyFromSearch(json: unknown, siren: string): CompanyProfile | null {
  const parsed = SearchResponse.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderResponseError('recherche-entreprises', `unexpected response at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const c = parsed.data.results.find((r) => r.siren === siren);
  if (!c) return null;
  const partiallyDiffusible = c.statut_diffusion === 'P';
  return {
    siren: c.siren,
    name: c.nom_raison_sociale ?? c.nom_complet ?? c.siren,
    acronym: c.sigle ?? null,
    legalFormCode: c.nature_juridique ?? null,
    activityCode: c.activite_principale ?? null,
    category: c.categorie_entreprise ?? null,
    createdOn: c.date_creation ?? null,
    headcountBand: c.tranche_effectif_salarie ?? null,
    state: c.etat_administratif === 'C' ? 'ceased' : 'active',
    ceasedOn: c.etat_administratif === 'C' ? (c.date_fermeture ?? null) : null,
    deregisteredOn: c.immatriculation?.date_radiation ?? null,
    headOffice: c.siege ? { siret: c.siege.siret, address: c.siege.adresse ?? null, postalCode: c.siege.code_postal ?? null, city: c.siege.libelle_commune ?? null } : null,
    shareCapital:
      c.immatriculation?.capital_social !== null && c.immatriculation?.capital_social !== undefined
        ? { amount: String(c.immatriculation.capital_social), currency: c.immatriculation.devise_capital ?? 'EUR' }
        : null,
    // People's names are personal data: kept only when the company allows diffusion.
    directors: partiallyDiffusible
      ? []
      : (c.dirigeants ?? []).map((d) =>
          d.type_dirigeant === 'personne morale'
            ? { name: d.denomination ?? d.siren ?? '?', role: d.qualite ?? null, kind: 'company' as const }
            : { name: [d.prenoms, d.nom].filter(Boolean).join(' '), role: d.qualite ?? null, kind: 'person' as const },
        ),
    finances: Object.entries(c.finances ?? {})
      .map(([year, f]) => ({ year, revenue: f.ca === null || f.ca === undefined ? null : String(f.ca), netIncome: f.resultat_net === null || f.resultat_net === undefined ? null : String(f.resultat_net) }))
      .sort((a, b) => (a.year < b.year ? 1 : -1)),
    partiallyDiffusible,
  };
}
