import { addDecimals, compareDecimals, negateDecimal } from '../decimal';
import type { Statement } from './types';

/** Opening balance + movements = closing balance, checked exactly. */
export function balanceCheckOf(statement: Omit<Statement, 'balanceCheck'>): Statement['balanceCheck'] {
  if (statement.openingBalance === null || statement.closingBalance === null) return null;
  const computed = addDecimals(statement.openingBalance, ...statement.lines.map((l) => l.amount));
  const difference = addDecimals(statement.closingBalance, negateDecimal(computed));
  return { isConsistent: compareDecimals(difference, '0') === 0, difference };
}
