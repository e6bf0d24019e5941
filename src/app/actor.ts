import type { Role } from '../domain/receivables/records';

/** Who is acting: a person, a machine (API key) or the system itself. Every use case receives one. */
export type Actor = {
  organisationId: string;
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  role: Role;
};

export function systemActor(organisationId: string): Actor {
  return { organisationId, type: 'system', id: null, role: 'admin' };
}
