/**
 * How a document that names a node instead of a cluster finds its cluster: a kubeadm
 * InitConfiguration says `nodeRegistration.name: cp-1` or advertises 10.0.0.11, and of two
 * inventories beside it, the one listing that node is its cluster (analysis/clusterLayout.ts).
 *
 * A node is known by *identities*: its name (lowercased, as the kubelet registers it), each of
 * its addresses (canonical), and, for a control-plane node, both again marked as control-plane
 * (a JoinConfiguration's API server endpoint names a control-plane node, not any node).
 */
import { parseInterfaceAddress } from '../knowledge/net/addresses';

/** One node identity as a string; compare with `===` only. */
export type NodeIdentity = string;

/** A node's name as an identity. */
export function nameIdentity(name: string, controlPlane = false): NodeIdentity {
  return `${controlPlane ? 'cp-' : ''}name:${name.trim().toLowerCase()}`;
}

/** An address (with or without a /prefix) as an identity, or undefined when it is no IP address. */
export function addressIdentity(text: string, controlPlane = false): NodeIdentity | undefined {
  const parsed = parseInterfaceAddress(text);
  return parsed && `${controlPlane ? 'cp-' : ''}address:${parsed.canonical}`;
}

/** A host as a URL or kubeadm endpoint writes it (`10.0.0.1:6443`, `[fd00::1]:6443`, `cp-1:6443`), as a control-plane identity. */
export function endpointIdentity(endpoint: string): NodeIdentity | undefined {
  let host = endpoint
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '');
  const bracket = /^\[([^\]]+)\]/.exec(host);
  if (bracket) host = bracket[1];
  else if (host.indexOf(':') === host.lastIndexOf(':')) host = host.replace(/:\d*$/, '');
  if (!host) return undefined;
  return addressIdentity(host, true) ?? (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host) ? nameIdentity(host, true) : undefined);
}

/**
 * The identities of a node with these names and addresses (unparsable addresses are left out).
 * `canonical`: the addresses are canonical already (an inventory's `addressKey`), not parsed again.
 */
export function identitiesOf(
  names: Iterable<string | undefined>,
  addresses: Iterable<string | undefined>,
  controlPlane: boolean,
  canonical = false,
): NodeIdentity[] {
  const out: NodeIdentity[] = [];
  for (const name of names) {
    if (!name?.trim()) continue;
    out.push(nameIdentity(name));
    if (controlPlane) out.push(nameIdentity(name, true));
  }
  for (const address of addresses) {
    if (!address) continue;
    const key = canonical ? address : parseInterfaceAddress(address)?.canonical;
    if (!key) continue;
    out.push(`address:${key}`);
    if (controlPlane) out.push(`cp-address:${key}`);
  }
  return out;
}

/** A node a supporting document names, and how it names it (for the cluster hover: "node name cp-1"). */
export interface NodeClaim {
  identity: NodeIdentity;
  says: string;
}

/** Two independent 32-bit string hashes (FNV-1a with two offsets), for an order-free fingerprint of a set. */
function hashes(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

/**
 * The set of node identities an anchor describes, kept as counts so that a document can add and
 * remove one node's identities as an edit replaces it (two nodes may share an address: removing
 * one keeps it). `fingerprint` changes when the *set* changes and only then (up to a 2^-64 chance
 * of two sets colliding), at O(1) per identity added or removed: a keystroke in a 5,000-node
 * inventory never walks the nodes to tell whether its cluster layout changed.
 */
export class NodeIdentitySet {
  private readonly counts = new Map<NodeIdentity, number>();
  private sumA = 0;
  private sumB = 0;

  constructor(identities: Iterable<NodeIdentity> = []) {
    for (const identity of identities) this.add(identity);
  }

  add(identity: NodeIdentity): void {
    const count = this.counts.get(identity) ?? 0;
    this.counts.set(identity, count + 1);
    if (count === 0) this.toggle(identity, 1);
  }

  remove(identity: NodeIdentity): void {
    const count = this.counts.get(identity);
    if (!count) return;
    if (count === 1) {
      this.counts.delete(identity);
      this.toggle(identity, -1);
    } else this.counts.set(identity, count - 1);
  }

  has(identity: NodeIdentity): boolean {
    return this.counts.has(identity);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Equal for equal sets, whatever the order their identities came in. */
  get fingerprint(): string {
    return this.counts.size ? `${this.counts.size}.${this.sumA.toString(36)}.${this.sumB.toString(36)}` : '';
  }

  private toggle(identity: NodeIdentity, sign: 1 | -1): void {
    const [a, b] = hashes(identity);
    this.sumA = (this.sumA + sign * a) >>> 0;
    this.sumB = (this.sumB + sign * b) >>> 0;
  }
}
