import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('translations', () => {
  it('has the same keys in French and English, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
    for (const messages of [fr, en]) for (const key of keys(messages)) expect(key.split('.').reduce((o: any, k) => o[k], messages)).not.toBe('');
  });
});
