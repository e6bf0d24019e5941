import { readFileSync } from 'node:fs';

let cached: Set<string> | undefined;

/**
 * The bundled list of common and breached passwords (lower case), read once. `common-passwords.txt`
 * holds the top ~3,900 of SecLists' Passwords/Common-Credentials/10k-most-common.txt
 * (danielmiessler/SecLists, MIT licence) followed by common French passwords; add entries at the end.
 */
export function commonPasswords(): Set<string> {
  cached ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return cached;
}
