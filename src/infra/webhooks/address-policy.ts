/**
 * Which addresses a tenant's webhook may reach: an organisation's admin must
 * not turn webhook deliveries into a scanner of the server's own network. Pure: addresses in,
 * verdicts out, no network.
 */
import { BlockList, isIP } from 'node:net';

/** Non-public IPv4 ranges: this network, private, shared (CGNAT), loopback, link-local, IETF, documentation, benchmarking, multicast, reserved, broadcast. */
const V4_RANGES: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
/** Non-public IPv6 ranges: unspecified, loopback, discard, documentation, unique local, link-local, site-local, multicast. */
const V6_RANGES: [string, number][] = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];
const blocked = new BlockList();
for (const [net, prefix] of V4_RANGES) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6_RANGES) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible, NAT64 64:ff9b::/96), if any. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const [high, low] = [Number.parseInt(hex[1], 16), Number.parseInt(hex[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Whether an IP address (v4 or v6 text) is public, i.e. neither loopback, private, link-local, multicast nor otherwise reserved. Not an IP: false. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return !blocked.check(bare, 'ipv4');
  if (version === 6) {
    const v4 = embeddedV4(bare);
    if (v4 !== null) return isIP(v4) === 4 && !blocked.check(v4, 'ipv4');
    return !blocked.check(bare, 'ipv6');
  }
  return false;
}

/** Hosts the operator allows beyond the rule (plain http, any address): `ENCOURS_WEBHOOK_ALLOW_HOSTS=hooks.internal,127.0.0.1`. */
export function parseAllowHosts(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, '')).filter(Boolean);
}

/**
 * Whether a webhook URL may be registered and called: https only, plain http only to a host the
 * operator listed. The address it resolves to is checked again when connecting (`isPublicAddress`).
 */
export function webhookUrlProblem(url: string, allowHosts: string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = allowHosts.includes(host);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowed)) return 'must be an https URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (!allowed && isIP(host) !== 0 && !isPublicAddress(host)) return 'must not point to a private, loopback, link-local or multicast address';
  return null;
}
