import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

export interface ParsedAddress {
  /** Canonical text of the address without prefix, for comparing IPv6 spellings. */
  canonical: string;
  family: IpFamily;
  prefix?: number;
  bytes: number[];
}

/** An IP address with an optional /prefix, as interface addresses are written. */
export function parseInterfaceAddress(text: string): ParsedAddress | undefined {
  const slash = text.indexOf('/');
  const addressText = (slash < 0 ? text : text.slice(0, slash)).trim();
  if (!isStrictIp(addressText)) return undefined;
  const parsed = ipaddr.parse(addressText);
  const family = parsed.kind();
  let prefix: number | undefined;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > (family === 'ipv4' ? 32 : 128)) return undefined;
  }
  return { canonical: parsed.toNormalizedString(), family, prefix, bytes: parsed.toByteArray() };
}

/**
 * ipaddr.js also accepts legacy IPv4 spellings ("10.1", octal "010.0.0.1", hex);
 * Kubernetes (Go's net.ParseIP) does not, so neither do we.
 */
export function isStrictIp(text: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return true;
  return text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%');
}

export interface ParsedCidr {
  text: string;
  family: IpFamily;
  bytes: number[];
  prefix: number;
}

/** A network in CIDR notation (prefix required). */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const parsed = parseInterfaceAddress(text.trim());
  if (!parsed || parsed.prefix === undefined) return undefined;
  return { text: text.trim(), family: parsed.family, bytes: parsed.bytes, prefix: parsed.prefix };
}

/** Whether two networks share any address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  if (a.family !== b.family) return false;
  return samePrefix(a.bytes, b.bytes, Math.min(a.prefix, b.prefix));
}

export function cidrContains(network: ParsedCidr, address: ParsedAddress): boolean {
  if (network.family !== address.family) return false;
  return samePrefix(network.bytes, address.bytes, network.prefix);
}

function samePrefix(a: number[], b: number[], bits: number): boolean {
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

/** The network an address with a prefix is in, with its own text: 192.168.1.11/24 is in 192.168.1.0/24. */
export function networkOf(address: ParsedAddress & { prefix: number }): ParsedCidr {
  const bytes = address.bytes.map((b, i) => b & ((0xff << (8 - Math.max(0, Math.min(8, address.prefix - i * 8)))) & 0xff));
  return {
    text: `${ipaddr.fromByteArray(bytes).toString()}/${address.prefix}`,
    family: address.family,
    bytes,
    prefix: address.prefix,
  };
}
