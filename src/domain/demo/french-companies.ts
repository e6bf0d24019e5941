/** Word lists for plausible French company names, places and activities (demo data only). */
export const FAMILY_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
  'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefèvre',
  'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc',
  'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez',
  'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly',
];

export const NAME_WORDS = [
  'Atlantique', 'Provence', 'Alpes', 'Loire', 'Bretagne', 'Normandie', 'Occitanie', 'Rhône', 'Garonne', 'Vosges', 'Jura',
  'Horizon', 'Avenir', 'Azur', 'Étoile', 'Nova', 'Alliance', 'Confluence', 'Méridien', 'Boréal', 'Cèdre', 'Chêne', 'Aurore',
];

export const LEGAL_FORMS = ['SAS', 'SARL', 'SA', 'EURL', 'SASU', 'SNC', 'SCOP'];

export type Sector = {
  name: string;
  nouns: string[];
  naf: string[];
  /** VAT rate in basis points applied to most invoices of the sector. */
  vatBp: number;
};

export const SECTORS: Sector[] = [
  { name: 'BTP', nouns: ['Bâtiment', 'Construction', 'Travaux Publics', 'Charpente', 'Maçonnerie'], naf: ['4120A', '4399C', '4321A', '4332A'], vatBp: 2000 },
  { name: 'Commerce de gros', nouns: ['Distribution', 'Négoce', 'Fournitures', 'Import Export'], naf: ['4690Z', '4669B', '4673A', '4651Z'], vatBp: 2000 },
  { name: 'Industrie', nouns: ['Industries', 'Mécanique', 'Plasturgie', 'Métallurgie', 'Composites'], naf: ['2562B', '2229A', '2511Z', '2899B'], vatBp: 2000 },
  { name: 'Transport', nouns: ['Transports', 'Logistique', 'Messagerie', 'Fret'], naf: ['4941A', '5210B', '5229A'], vatBp: 2000 },
  { name: 'Services informatiques', nouns: ['Informatique', 'Digital', 'Systèmes', 'Conseil IT', 'Data'], naf: ['6201Z', '6202A', '6311Z'], vatBp: 2000 },
  { name: 'Commerce de détail', nouns: ['Magasins', 'Boutiques', 'Jardinerie', 'Bricolage'], naf: ['4752A', '4719B', '4776Z'], vatBp: 2000 },
  { name: 'Hôtellerie-restauration', nouns: ['Hôtels', 'Restauration', 'Traiteur', 'Brasseries'], naf: ['5510Z', '5610A', '5621Z'], vatBp: 1000 },
  { name: 'Agroalimentaire', nouns: ['Conserverie', 'Fromagerie', 'Boulangerie Industrielle', 'Salaisons'], naf: ['1013A', '1051C', '1071A'], vatBp: 550 },
  { name: 'Santé', nouns: ['Cliniques', 'Laboratoires', 'Santé', 'Médical'], naf: ['8610Z', '8690B', '4646Z'], vatBp: 2000 },
];

export const CITIES: [string, string][] = [
  ['Paris', '75008'], ['Paris', '75011'], ['Lyon', '69003'], ['Marseille', '13002'], ['Toulouse', '31000'], ['Nice', '06000'],
  ['Nantes', '44000'], ['Strasbourg', '67000'], ['Montpellier', '34000'], ['Bordeaux', '33000'], ['Lille', '59000'],
  ['Rennes', '35000'], ['Reims', '51100'], ['Saint-Étienne', '42000'], ['Le Havre', '76600'], ['Toulon', '83000'],
  ['Grenoble', '38000'], ['Dijon', '21000'], ['Angers', '49000'], ['Nîmes', '30000'], ['Clermont-Ferrand', '63000'],
  ['Tours', '37000'], ['Limoges', '87000'], ['Amiens', '80000'], ['Metz', '57000'], ['Besançon', '25000'], ['Orléans', '45000'],
  ['Rouen', '76000'], ['Caen', '14000'], ['Nancy', '54000'], ['Avignon', '84000'], ['Poitiers', '86000'], ['Pau', '64000'],
];

export const STREETS = ['rue de la République', 'avenue Jean Jaurès', 'boulevard Gambetta', 'rue Victor Hugo', 'rue du Commerce', "avenue de l'Europe", 'zone industrielle des Granges', 'rue Pasteur', 'allée des Artisans', 'quai de la Gare'];

export type ForeignCountry = { country: string; cities: [string, string][]; vat: (r: () => number) => string; forms: string[] };

const digits = (n: number, r: () => number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

export const FOREIGN: ForeignCountry[] = [
  { country: 'DE', cities: [['Berlin', '10115'], ['München', '80331'], ['Köln', '50667']], vat: (r) => `DE${digits(9, r)}`, forms: ['GmbH', 'AG', 'KG'] },
  { country: 'BE', cities: [['Bruxelles', '1000'], ['Liège', '4000'], ['Anvers', '2000']], vat: (r) => `BE0${digits(9, r)}`, forms: ['SRL', 'SA', 'BV'] },
  { country: 'IT', cities: [['Milano', '20121'], ['Torino', '10121'], ['Roma', '00184']], vat: (r) => `IT${digits(11, r)}`, forms: ['S.r.l.', 'S.p.A.'] },
  { country: 'ES', cities: [['Madrid', '28001'], ['Barcelona', '08001'], ['Valencia', '46001']], vat: (r) => `ESB${digits(8, r)}`, forms: ['S.L.', 'S.A.'] },
];
