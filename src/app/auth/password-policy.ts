import type { FieldIssue } from '../app-error';
import { AppError } from '../app-error';
import { commonPasswords } from '../../infra/common-passwords';

export const MIN_PASSWORD_LENGTH = 10;
const MIN_DISTINCT_CHARACTERS = 5;

/**
 * Why a password is refused, or an empty list: long enough, not blank or repetitive, not a common or
 * breached password (also with digits or symbols around it: `password12`, `!azerty2026`), and not the
 * e-mail address or its local part (NIST SP 800-63B §5.1.1.2).
 */
export function passwordIssues(options: { password: string; email: string; field?: string }): FieldIssue[] {
  const field = options.field ?? 'password';
  const password = options.password.normalize('NFKC');
  const lower = password.toLowerCase();
  const issue = (reason: string): FieldIssue[] => [{ field, reason }];
  if ([...password].length < MIN_PASSWORD_LENGTH) return issue(`must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.trim() === '' || new Set(lower).size < MIN_DISTINCT_CHARACTERS) return issue(`must use at least ${MIN_DISTINCT_CHARACTERS} different characters`);
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const list = commonPasswords();
  if (list.has(lower) || list.has(lower.replace(/\s+/g, '')) || (core.length > 0 && list.has(core))) return issue('is a common password found in breach lists');
  const email = options.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const compact = lower.replace(/\s+/g, '');
  if (email && (compact.includes(email) || email.includes(compact) || (local.length >= 4 && compact.includes(local)))) {
    return issue('must not contain the e-mail address');
  }
  return [];
}

/** Throws a 400 naming the field when the password does not meet the policy. */
export function assertPasswordPolicy(options: { password: string; email: string; field?: string }) {
  const issues = passwordIssues(options);
  if (issues.length) throw new AppError('validation_failed', 'password refused', issues);
}
