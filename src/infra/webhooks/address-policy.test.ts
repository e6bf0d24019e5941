import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseAllowHosts, webhookUrlProblem } from './address-policy';

// Pure checks of addresses written as literals: no test here opens a connection or resolves a name.
describe('webhook address policy', () => {
  it('tells public addresses from loopback, private, link-local, multicast and reserved ones (literals, no network)', () => {
    const refused = [
      '127.0.0.1', '127.255.0.9', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1',
      '224.0.0.251', '239.255.255.250', '255.255.255.255', '198.18.0.1', '192.0.2.5',
      '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::192.168.0.1', '[::1]',
      'localhost', 'not an address',
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2a00:1450:4007:80e::200e', '::ffff:8.8.8.8', '2606:4700::1111']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('wants https, except to hosts the operator lists, and no literal internal address', () => {
    expect(webhookUrlProblem('https://hooks.example.com/encours', [])).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/encours', [])).toBe('must be an https URL');
    expect(webhookUrlProblem('http://127.0.0.1:5432/x', [])).toBe('must be an https URL');
    expect(webhookUrlProblem('https://127.0.0.1:5432/x', [])).toBe('must not point to a private, loopback, link-local or multicast address');
    expect(webhookUrlProblem('https://[::1]:8443/x', [])).toBe('must not point to a private, loopback, link-local or multicast address');
    expect(webhookUrlProblem('https://169.254.169.254/latest/meta-data', [])).toBe('must not point to a private, loopback, link-local or multicast address');
    expect(webhookUrlProblem('https://user:pw@hooks.example.com/', [])).toBe('must not carry credentials');
    expect(webhookUrlProblem('ftp://hooks.example.com/', [])).toBe('must be an https URL');
    const allow = parseAllowHosts(' 127.0.0.1 , Hooks.Internal,[::1]');
    expect(allow).toEqual(['127.0.0.1', 'hooks.internal', '::1']);
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', allow)).toBeNull();
    expect(webhookUrlProblem('http://hooks.internal/x', allow)).toBeNull();
    expect(webhookUrlProblem('http://[::1]:9/x', allow)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.2:8080/x', allow)).toBe('must be an https URL');
  });
});
