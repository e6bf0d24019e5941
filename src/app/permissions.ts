import type { Role } from '../domain/receivables/records';

/** What each role may do. Every API route names one permission; routes without one are refused. */
export const PERMISSIONS = {
  'ledger:read': ['admin', 'credit_manager', 'collector', 'sales', 'viewer'],
  'ledger:write': ['admin', 'credit_manager'],
  'payments:write': ['admin', 'credit_manager', 'collector'],
  'collections:write': ['admin', 'credit_manager', 'collector'],
  'contacts:write': ['admin', 'credit_manager', 'collector', 'sales'],
  // Orders belong to the ERP's ledger: written by its integration (a ledger writer's API key,
  // imports) and corrected by credit managers. Sales check orders and ask for limits; they may not
  // rewrite or cancel the ERP's orders, which would free exposure for their own checks.
  'orders:write': ['admin', 'credit_manager'],
  'orders:check': ['admin', 'credit_manager', 'sales'],
  'audit:read': ['admin', 'credit_manager'],
  'organisation:admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isAllowed(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
