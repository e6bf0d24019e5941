import { describe, expect, it } from 'vitest';
import { passwordIssues } from './password-policy';

const email = 'claire.martin@acme.fr';
const reason = (password: string) => passwordIssues({ password, email })[0]?.reason ?? null;

describe('password policy', () => {
  it.each([
    ['short1', 'must have at least 10 characters'],
    ['          ', 'must use at least 5 different characters'],
    ['aaaaaaaaaaaa', 'must use at least 5 different characters'],
    ['password12', 'is a common password found in breach lists'],
    ['Password2026!', 'is a common password found in breach lists'],
    ['!!azerty1234', 'is a common password found in breach lists'],
    ['qwertyuiop', 'is a common password found in breach lists'],
    ['1234567890', 'is a common password found in breach lists'],
    ['motdepasse', 'is a common password found in breach lists'],
    ['claire.martin@acme.fr', 'must not contain the e-mail address'],
    ['CLAIRE.MARTIN@ACME.FR!', 'must not contain the e-mail address'],
    ['claire.martin-2026', 'must not contain the e-mail address'],
  ])('refuses %j: %s', (password, expected) => {
    expect(reason(password)).toBe(expected);
  });

  it.each(['correct horse battery staple', 'e2e password 123', 'Tr0ub4dor&3-oignon', 'bench-password-1'])('accepts %j', (password) => {
    expect(passwordIssues({ password, email })).toEqual([]);
  });

  it('names the field it was asked to check', () => {
    expect(passwordIssues({ password: 'password12', email, field: 'newPassword' })).toEqual([{ field: 'newPassword', reason: 'is a common password found in breach lists' }]);
  });
});
