/**
 * Firewalls written outside the node's own description: a Terraform security group guarding
 * the hosts of a Kubespray inventory, say. Any document kind may contribute them; which nodes
 * each guards is decided here, after every kind contributed, by the address or the name its
 * guarded machines are written with.
 *
 * A node's own `firewall` (our inventory's) is the host's firewall; these are filters in front
 * of it (a cloud security group). Traffic passes both, so each is checked on its own. A node
 * guarded by several contributions gets the union of their allows (AWS, OpenStack and Hetzner
 * Cloud semantics).
 */
import type { Place } from '../core/located';
import { cidrContains, parseCidr, parseInterfaceAddress, type ParsedAddress } from '../knowledge/net/addresses';
import { uncoveredParts } from '../knowledge/net/portRange';
import type { PortRange, Transport } from '../knowledge/ports';
import type { NodeFacts } from './cluster';
import type { ExternalFirewallEntry, FirewallContribution, FirewallFacts } from './firewallFacts';
export type { ExternalFirewallEntry, FirewallContribution, FirewallFacts, FirewallSource, GuardSelector } from './firewallFacts';
import { firewallRequirements, type PlacementContext } from './placement';
import type { EffectivePort } from './settings';

/** The external firewalls in front of one node. */
export interface NodeGuard {
  node: NodeFacts;
  /** The layer these firewalls filter at (see FirewallContribution.layer); a node has one guard per layer. */
  layer: 'cloud' | 'host';
  firewalls: FirewallContribution[];
  /** The machines (resources) that linked the node. */
  machines: Place[];
  /** Set when some firewall of the node is not known: nothing can be called missing. */
  alsoUnknown?: string;
}

const linked = new WeakMap<FirewallFacts, WeakMap<readonly NodeFacts[], NodeGuard[]>>();

/**
 * Which nodes each firewall guards: a selector matches a node whose hostname (case-insensitive)
 * or one of whose addresses equals the selector's. Linear in nodes + selectors; once per model.
 */
export function guardsOf(facts: FirewallFacts, nodes: readonly NodeFacts[]): NodeGuard[] {
  let byNodes = linked.get(facts);
  if (!byNodes) linked.set(facts, (byNodes = new WeakMap()));
  const cached = byNodes.get(nodes);
  if (cached) return cached;
  const result: NodeGuard[] = [];
  if (facts.firewalls.length && facts.selectors.length) {
    const byName = new Map<string, NodeFacts[]>();
    const byAddress = new Map<string, NodeFacts[]>();
    const add = (map: Map<string, NodeFacts[]>, key: string, node: NodeFacts) => {
      const list = map.get(key);
      if (!list) map.set(key, [node]);
      else if (list[list.length - 1] !== node) list.push(node);
    };
    for (const node of nodes) {
      if (node.broken) continue;
      if (node.hostname) add(byName, node.hostname.value.toLowerCase(), node);
      for (const iface of node.interfaces ?? []) {
        const parsed = iface.address && parseInterfaceAddress(iface.address.value);
        if (parsed) add(byAddress, parsed.canonical, node);
      }
    }
    const firewalls = new Map(facts.firewalls.map((f) => [f.id, f]));
    const guards = new Map<string, Map<NodeFacts, NodeGuard>>();
    const guardOf = (node: NodeFacts, layer: NodeGuard['layer']) => {
      let byNode = guards.get(layer);
      if (!byNode) guards.set(layer, (byNode = new Map()));
      let guard = byNode.get(node);
      if (!guard) {
        guard = { node, layer, firewalls: [], machines: [] };
        byNode.set(node, guard);
        result.push(guard);
      }
      return guard;
    };
    for (const selector of facts.selectors) {
      const matched = new Set<NodeFacts>();
      const address = selector.address && parseInterfaceAddress(selector.address);
      for (const n of (address && byAddress.get(address.canonical)) || []) matched.add(n);
      for (const n of (selector.name && byName.get(selector.name.toLowerCase())) || []) matched.add(n);
      if (selector.roles) {
        const any = selector.roles.includes('any');
        for (const n of nodes) if (!n.broken && (any || n.roles.some((r) => selector.roles!.includes(r)))) matched.add(n);
      }
      const attached = selector.firewalls.map((id) => firewalls.get(id)).filter((f): f is FirewallContribution => !!f);
      for (const node of matched) {
        // Traffic to a node's private address passes a public-interface firewall by.
        if (selector.publicOnly && !hasPublicAddress(node)) continue;
        for (const layer of ['cloud', 'host'] as const) {
          const mine = attached.filter((f) => (f.layer ?? 'cloud') === layer);
          if (mine.length === 0) continue;
          const guard = guardOf(node, layer);
          guard.machines.push(selector.at);
          if (selector.alsoUnknown) guard.alsoUnknown ??= selector.alsoUnknown;
          for (const firewall of mine) if (!guard.firewalls.includes(firewall)) guard.firewalls.push(firewall);
        }
      }
    }
  }
  byNodes.set(nodes, result);
  return result;
}

/** Addresses that stay inside private networks (RFC 1918, CGNAT, ULA, link-local). */
const PRIVATE_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
].map((text) => parseCidr(text)!);

export function isPrivateAddress(address: ParsedAddress): boolean {
  return PRIVATE_NETWORKS.some((n) => cidrContains(n, address));
}

/** Whether the cluster reaches the node at some public address (a node without a known address: no). */
function hasPublicAddress(node: NodeFacts): boolean {
  return (node.interfaces ?? []).some((i) => {
    const parsed = i.address && parseInterfaceAddress(i.address.value);
    return !!parsed && !isPrivateAddress(parsed);
  });
}

/** Whether an entry admits some of `ports` of `protocol` (its port and protocol known). */
export function entryMatches(entry: ExternalFirewallEntry, protocol: Transport): boolean {
  return entry.protocol === 'all' || entry.protocol === protocol;
}

/** The known port ranges the entries admit for a protocol: an IP protocol or `all` covers every port. */
export function coverage(entries: readonly ExternalFirewallEntry[], protocol: Transport): PortRange[] {
  const covered: PortRange[] = [];
  for (const entry of entries) {
    if (entry.unknown || !entryMatches(entry, protocol)) continue;
    if (entry.ports === 'all') covered.push({ low: 0, high: 65535 });
    else if (entry.ports !== 'unknown') covered.push(entry.ports);
  }
  return covered;
}

/** The first entry that could admit `protocol` but cannot be known: a requirement it may cover is not reported. */
export function unknownEntry(entries: readonly ExternalFirewallEntry[], protocol: Transport): ExternalFirewallEntry | undefined {
  return entries.find(
    (e) => (e.unknown || e.ports === 'unknown') && (e.protocol === 'unknown' || e.protocol === 'all' || e.protocol === protocol),
  );
}

/** A requirement the firewalls in front of some nodes do not admit. */
export interface ExternalMissing {
  /** The firewalls guarding these nodes (the first is where the fix goes). */
  firewalls: FirewallContribution[];
  requirement: EffectivePort;
  missing: PortRange[];
  nodes: NodeFacts[];
}

/**
 * What the external firewalls in front of each node fail to admit, grouped by firewalls,
 * requirement and missing ports so that one finding names every node it concerns. Nodes whose
 * firewalls are not all known, and requirements an unknown entry may cover, are left out.
 */
export function externalMissingPorts(guards: readonly NodeGuard[], ctx: PlacementContext): ExternalMissing[] {
  const groups = new Map<string, ExternalMissing>();
  const byRoles = new Map<string, Array<{ requirement: EffectivePort; missing: PortRange[] }>>();
  for (const guard of guards) {
    if (guard.alsoUnknown || guard.firewalls.length === 0 || guard.firewalls.some((f) => f.incomplete)) continue;
    const setKey = guard.firewalls.map((f) => f.id).join(' ');
    // Nodes of one set of firewalls and roles miss the same ports: computed once per such pair.
    const rolesKey = `${setKey}|${guard.node.roles.join(',')}`;
    let missingList = byRoles.get(rolesKey);
    if (!missingList) {
      missingList = [];
      const entries = guard.firewalls.flatMap((f) => f.entries);
      for (const requirement of firewallRequirements(guard.node.roles, ctx)) {
        const protocol = requirement.port.protocol;
        const missing = uncoveredParts(requirement.range, coverage(entries, protocol));
        if (missing.length === 0 || unknownEntry(entries, protocol)) continue;
        missingList.push({ requirement, missing });
      }
      byRoles.set(rolesKey, missingList);
    }
    for (const { requirement, missing } of missingList) {
      const key = `${setKey}|${requirement.port.id}|${missing.map((m) => `${m.low}-${m.high}`).join(',')}`;
      const group = groups.get(key);
      if (group) group.nodes.push(guard.node);
      else groups.set(key, { firewalls: guard.firewalls, requirement, missing, nodes: [guard.node] });
    }
  }
  return [...groups.values()];
}

/** Markdown for a node's hover: the firewalls written elsewhere that guard it, each with its file and line. */
export function guardHover(facts: FirewallFacts, nodes: readonly NodeFacts[], node: NodeFacts): string | undefined {
  const mine = guardsOf(facts, nodes).filter((g) => g.node === node);
  if (mine.length === 0) return undefined;
  return mine.map((guard) => guardLine(guard)).join('\n\n');
}

function guardLine(guard: NodeGuard): string {
  const where = (f: FirewallContribution) => {
    const uri = f.header.origin.uri;
    return `${uri.slice(uri.lastIndexOf('/') + 1)}:${f.header.origin.chunk.startLine + f.header.range.start.line + 1}`;
  };
  const list = guard.firewalls.map((f) => `${f.label} (${where(f)})`).join(', ');
  return `${guard.layer === 'host' ? 'Host firewall rules for it' : 'Firewalls in front of it'}: ${list}${guard.alsoUnknown ? `, and one that is not known (${guard.alsoUnknown})` : ''}.`;
}
