/**
 * Address blocks that are not routed on the public Internet, and Docker's default bridge: what
 * pod and Service subnets are compared with. Sources: RFC 1918 (private IPv4), RFC 6598 (shared
 * address space 100.64/10), RFC 4193 (IPv6 unique local fc00::/7), RFC 4291 (link-local), and
 * the IANA special-purpose registries for blocks that are not globally reachable (documentation
 * ranges RFC 5737 / RFC 3849, benchmarking RFC 2544, reserved 240/4). Docker: its default bridge
 * network is 172.17.0.0/16 (docker0, `bip` in daemon.json moves it).
 */
import { cidrsOverlap, parseCidr, type ParsedCidr } from './addresses';

export interface ReservedBlock {
  cidr: ParsedCidr;
  /** How hovers and messages name it. */
  name: string;
}

function block(text: string, name: string): ReservedBlock {
  return { cidr: parseCidr(text)!, name };
}

/**
 * Blocks no one routes on the Internet: a cluster network inside one captures no real
 * addresses. Documentation ranges are here because no network on the Internet uses them
 * (and examples, ours included, do); class E (240/4) because some clusters use it on purpose
 * when RFC 1918 space runs out (GKE's "non-RFC 1918" ranges), and nothing on the Internet
 * answers there.
 */
export const NOT_PUBLICLY_ROUTED: readonly ReservedBlock[] = [
  block('10.0.0.0/8', 'RFC 1918 private space'),
  block('172.16.0.0/12', 'RFC 1918 private space'),
  block('192.168.0.0/16', 'RFC 1918 private space'),
  block('100.64.0.0/10', 'RFC 6598 shared address space'),
  block('0.0.0.0/8', '"this network" (RFC 791)'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'IPv4 link-local'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.0.2.0/24', 'documentation (RFC 5737)'),
  block('198.51.100.0/24', 'documentation (RFC 5737)'),
  block('203.0.113.0/24', 'documentation (RFC 5737)'),
  block('198.18.0.0/15', 'benchmarking (RFC 2544)'),
  block('240.0.0.0/4', 'reserved (class E)'),
  block('fc00::/7', 'IPv6 unique local addresses (RFC 4193)'),
  block('fe80::/10', 'IPv6 link-local'),
  block('2001:db8::/32', 'IPv6 documentation (RFC 3849)'),
  block('::/128', 'the unspecified address'),
  block('::1/128', 'loopback'),
];

/** The block a network lies wholly inside, if it lies in one; undefined: some of it is publicly routed. */
export function notPubliclyRoutedBlock(cidr: ParsedCidr): ReservedBlock | undefined {
  return NOT_PUBLICLY_ROUTED.find(
    (b) => b.cidr.family === cidr.family && b.cidr.prefix <= cidr.prefix && cidrsOverlap(b.cidr, cidr),
  );
}

/** Docker's default bridge (docker0), which every node running Docker routes locally. */
export const DOCKER_DEFAULT_BRIDGE: ParsedCidr = parseCidr('172.17.0.0/16')!;
