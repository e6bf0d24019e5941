import type { TFunction } from 'i18next';
import { ApiError } from './client';

/** The API's field reasons (English) that the web app translates; others are shown as sent. */
const REASONS: Record<string, string> = {
  'is a common password found in breach lists': 'common',
  'must not contain the e-mail address': 'email',
  'must have at least 10 characters': 'length',
  'must use at least 5 different characters': 'distinct',
  'is wrong': 'wrong',
  'must differ from the current password': 'same',
  'already used in this organisation': 'emailUsed',
  'is you: ask another administrator': 'self',
};
const FIELDS = new Set(['password', 'newPassword', 'currentPassword', 'email', 'id']);

/** A refusal as one line in the interface language: "Field: reason" for each issue, else the message. */
export function problemText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.problem.status === 429) return t('problems.tooMany');
  if (error.problem.status === 403 && error.message.includes('cross-site')) return t('problems.crossSite');
  const issues = (error.problem.errors ?? []).map((issue) => {
    const field = FIELDS.has(issue.field) ? t(`problems.fields.${issue.field}`) : issue.field;
    const reason = REASONS[issue.reason] ? t(`problems.reasons.${REASONS[issue.reason]}`) : issue.reason;
    return t('problems.issue', { field, reason });
  });
  return issues.length ? issues.join(' — ') : error.message;
}
