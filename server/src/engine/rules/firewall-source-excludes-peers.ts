import type { Place } from '../core/located';
import { DOCS } from '../knowledge/docs';
import { cidrContains, parseInterfaceAddress, type ParsedAddress, type ParsedCidr } from '../knowledge/net/addresses';
import { portRangeOf, rangesOverlap } from '../knowledge/net/portRange';
import { isIpProtocol, type Placement } from '../knowledge/ports';
import { nodeLabel, placeOf, type FirewallEntry, type NodeFacts } from '../model/cluster';
import {
  guardsOf,
  isPrivateAddress,
  type ExternalFirewallEntry,
  type FirewallContribution,
  type NodeGuard,
} from '../model/firewalls';
import { etcdMembership, firewallRequirements, placedOn, placementContext, type PlacementContext } from '../model/placement';
import type { EffectivePort } from '../model/settings';
import type { Rule } from './types';
import { describePort } from './util/describe';

/** Which nodes must reach a requirement's port on a node, from its table row; undefined: nobody this rule checks (the node itself, load balancers). */
type Peers = Placement;

function peersOf(requirement: EffectivePort): Peers | undefined {
  // One kind of peer per requirement: every table row names one.
  return requirement.port.from?.[0];
}

const PEER_TEXT: Record<Peers, [string, string]> = {
  'any-node': ['node', 'nodes'],
  'etcd-member': ['etcd member', 'etcd members'],
  'control-plane': ['control-plane node', 'control-plane nodes'],
  'kubernetes-node': ['node', 'nodes'],
  worker: ['worker node', 'worker nodes'],
};

/** A source as a network: a CIDR, or one address (a /32 or /128). */
function sourceNetwork(text: string): ParsedCidr | undefined {
  const parsed = parseInterfaceAddress(text.trim());
  if (!parsed) return undefined;
  const prefix = parsed.prefix ?? (parsed.family === 'ipv4' ? 32 : 128);
  return { text: text.trim(), family: parsed.family, bytes: parsed.bytes, prefix };
}

function covers(entry: FirewallEntry, requirement: EffectivePort): boolean {
  if (entry.protocol !== requirement.port.protocol) return false;
  if (isIpProtocol(entry.protocol)) return true;
  const ports = entry.port && portRangeOf(entry.port.value);
  return !!ports && rangesOverlap(ports, requirement.range);
}

/** Whether any firewall entry of a node has a source, once per node object. */
const withSources = new WeakMap<NodeFacts, boolean>();
function hasSources(node: NodeFacts): boolean {
  let has = withSources.get(node);
  if (has === undefined) withSources.set(node, (has = node.firewall.some((e) => e.source)));
  return has;
}

/** A node's parsed addresses, once per node object (an edit elsewhere keeps the other nodes' objects). */
const parsedAddresses = new WeakMap<NodeFacts, Array<{ parsed: ParsedAddress; at: Place }>>();
function addressesOf(node: NodeFacts): Array<{ parsed: ParsedAddress; at: Place }> {
  let list = parsedAddresses.get(node);
  if (!list) {
    list = (node.interfaces ?? []).flatMap((iface) => {
      const parsed = iface.address && parseInterfaceAddress(iface.address.value);
      return parsed && iface.address ? [{ parsed, at: placeOf(node, iface.address) }] : [];
    });
    parsedAddresses.set(node, list);
  }
  return list;
}

interface SourceCheck {
  requirement: EffectivePort;
  /** The entries admitting the requirement, every one with a source. */
  covering: FirewallEntry[];
  networks: ParsedCidr[];
  peers: Peers;
}

/** What a node's sources must admit: the requirements only source-restricted entries cover. Once per node object and placement. */
const checksByNode = new WeakMap<NodeFacts, { key: string; checks: SourceCheck[] }>();
function sourceChecks(node: NodeFacts, ctx: PlacementContext): SourceCheck[] {
  const cached = checksByNode.get(node);
  if (cached?.key === ctx.key) return cached.checks;
  const checks: SourceCheck[] = [];
  if (hasSources(node)) {
    for (const requirement of firewallRequirements(node.roles, ctx)) {
      const peers = peersOf(requirement);
      if (!peers) continue;
      const covering = node.firewall.filter((entry) => covers(entry, requirement));
      // No entry: missing-port-rule's finding. An entry without a source (or one we cannot read) admits everyone.
      if (covering.length === 0 || covering.some((e) => !e.source)) continue;
      const networks = covering.map((e) => sourceNetwork(e.source!.value));
      if (networks.some((n) => !n)) continue;
      checks.push({ requirement, covering, networks: networks as ParsedCidr[], peers });
    }
  }
  checksByNode.set(node, { key: ctx.key, checks });
  return checks;
}

export const firewallSourceExcludesPeers: Rule = {
  meta: {
    id: 'firewall-source-excludes-peers',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: "A firewall rule's source leaves out nodes that must reach the port",
    description:
      "A firewall entry with a `source` admits only that network. When every entry that admits a required port carries a source, the nodes that must reach the port have to be inside one of them, as the table of the cluster's distribution says: under kubeadm every node for the API server port, the other etcd members for 2380, the control-plane nodes for 2379 and 10250, and every other node for the network plugin's ports; under RKE2 every node for 9345 and 10250 too; under k0s the workers for konnectivity (8132), the other controllers for 9443, and every node for a worker's kubelet (10250). Otherwise the port is open on paper and closed to them: etcd never forms a quorum, pods cannot reach pods on other nodes. Error for 6443, 2379, 2380, 10250, the distribution's join ports and the plugin's data plane; warning for health, metrics and registry ports. Reported on each `source` value, naming the nodes left out (each as related information); nodes without an address in the inventory cannot be checked and are skipped. A cloud firewall written in Terraform (an AWS security group in front of the nodes) is checked the same way over the group's entries that admit the port: a CIDR admits the peers whose address is inside it; a group reference (`self = true`, `source_security_group_id`) admits the members of that group by their private addresses, so a peer behind the group whose cluster address is a public one (a Kubespray `access_ip` on the Internet) is left out. Peers whose membership is not known (no instance in the Terraform files names them) are skipped, and so are entries with a source Terraform knows only when it runs.",
    appliesTo: ['inventory', 'terraform', 'ansible-firewall'],
    example: {
      bad: '- hostname: etcd-1   # 192.168.10.11\n  firewall:\n    - port: 2380\n      source: 10.0.0.0/24',
      good: '- hostname: etcd-1   # 192.168.10.11\n  firewall:\n    - port: 2380\n      source: 192.168.10.0/24',
    },
  },
  checkCluster(model, report) {
    checkExternal(model, report);
    const nodes = model.nodes.filter((n) => n.kind === 'inventory' && !n.broken && hasSources(n));
    if (nodes.length === 0) return;
    const ctx = placementContext(model.settings, etcdMembership(model.nodes));
    const isPeer = (peers: Peers, n: NodeFacts) => placedOn(peers, n.roles, ctx.anyEtcdRole);
    // Nodes left out by one list of sources, per kind of peer: computed once for every node whose firewall repeats it.
    const excludedBy = new Map<string, NodeFacts[]>();
    const excluded = (networks: readonly ParsedCidr[], peers: Peers): NodeFacts[] => {
      const key = `${peers}|${networks.map((n) => n.text).join(',')}`;
      let list = excludedBy.get(key);
      if (!list) {
        list = model.nodes.filter((peer) => {
          const own = addressesOf(peer);
          return isPeer(peers, peer) && own.length > 0 && !own.some((a) => networks.some((n) => cidrContains(n, a.parsed)));
        });
        excludedBy.set(key, list);
      }
      return list;
    };
    for (const node of nodes) {
      for (const { requirement, covering, networks, peers } of sourceChecks(node, ctx)) {
        const left = excluded(networks, peers).filter((peer) => peer !== node);
        if (left.length === 0) continue;
        const named = left.slice(0, 5).map((peer) => `${nodeLabel(peer)} (${addressesOf(peer)[0].parsed.canonical})`);
        const severity = requirement.port.missingSeverity;
        for (const entry of covering) {
          report(
            placeOf(node, entry.source!),
            `Source ${entry.source!.value} of node ${nodeLabel(node)}'s rule for ${describePort(requirement)} leaves out ${PEER_TEXT[peers][left.length === 1 ? 0 : 1]} ${named.join(', ')}${left.length > 5 ? `, and ${left.length - 5} more` : ''}, which ${left.length === 1 ? 'needs' : 'need'} to reach it.`,
            {
              severity,
              // Which requirement: the cluster map and --format json read it rather than the message.
              data: { componentPort: requirement.port.id },
              related: left.slice(0, 10).map((peer) => ({
                at: addressesOf(peer)[0].at,
                message: `${nodeLabel(peer)} is outside ${entry.source!.value}`,
              })),
            },
          );
        }
      }
    }
  },
};

/** Addresses that never cross the Internet's routing: what AWS matches a group's members by. */
const isPrivate = isPrivateAddress;

type PeerVerdict = 'admitted' | 'excluded' | 'unknown';

/** Whether the entries' sources admit a peer at its cluster address. */
function admits(
  entries: readonly ExternalFirewallEntry[],
  peer: NodeFacts,
  guardOf: ReadonlyMap<NodeFacts, NodeGuard>,
): PeerVerdict {
  const own = addressesOf(peer);
  if (own.length === 0) return 'unknown';
  let verdict: PeerVerdict = 'excluded';
  for (const entry of entries) {
    if (entry.sources.length === 0) return 'admitted';
    for (const { source } of entry.sources) {
      if (source.kind === 'any') return 'admitted';
      if (source.kind === 'unknown') verdict = 'unknown';
      else if (source.kind === 'cidr') {
        if (own.some((a) => cidrContains(source.cidr, a.parsed))) return 'admitted';
      } else {
        const guard = guardOf.get(peer);
        // Not named by any instance: whether it is a member is not known.
        if (!guard || guard.alsoUnknown) verdict = 'unknown';
        else if (guard.firewalls.some((f) => f.id === source.firewall) && own.some((a) => isPrivate(a.parsed))) return 'admitted';
      }
    }
  }
  return verdict;
}

/** Security groups in front of nodes: the entries that admit a required port must admit the peers that need it. */
function checkExternal(
  model: Parameters<NonNullable<Rule['checkCluster']>>[0],
  report: Parameters<NonNullable<Rule['checkCluster']>>[1],
): void {
  const guards = guardsOf(model.firewalls, model.nodes);
  if (guards.length === 0) return;
  const ctx = placementContext(model.settings, etcdMembership(model.nodes));
  // Group references are the cloud's: membership is read from the cloud layer.
  const guardOf = new Map(guards.filter((g) => g.layer === 'cloud').map((g) => [g.node, g]));
  const entryIndex = new Map(model.firewalls.firewalls.flatMap((f) => f.entries).map((e, i) => [e, i]));
  const isPeer = (peers: Peers, n: NodeFacts) => !n.broken && placedOn(peers, n.roles, ctx.anyEtcdRole);
  const found = new Map<
    string,
    {
      entries: ExternalFirewallEntry[];
      firewall: FirewallContribution;
      requirement: EffectivePort;
      peers: Peers;
      left: Set<NodeFacts>;
    }
  >();
  // Nodes behind the same firewalls with the same roles need the same things through the same entries: one pass per such group.
  const groups = new Map<string, { firewalls: FirewallContribution[]; roles: NodeFacts['roles']; nodes: NodeFacts[] }>();
  for (const guard of guards) {
    if (guard.alsoUnknown || guard.firewalls.some((f) => f.incomplete)) continue;
    const key = `${guard.firewalls.map((f) => f.id).join(' ')}|${guard.node.roles.join(',')}`;
    const group = groups.get(key);
    if (group) group.nodes.push(guard.node);
    else groups.set(key, { firewalls: guard.firewalls, roles: guard.node.roles, nodes: [guard.node] });
  }
  // The peers a list of entries leaves out, per kind of peer: once for every group that reaches the port through them.
  const excludedBy = new Map<string, NodeFacts[]>();
  for (const group of groups.values()) {
    const entries = group.firewalls.flatMap((f) => f.entries.map((entry) => ({ entry, firewall: f })));
    for (const requirement of firewallRequirements(group.roles, ctx)) {
      const peers = peersOf(requirement);
      if (!peers) continue;
      const protocol = requirement.port.protocol;
      const covering = entries.filter(
        ({ entry }) =>
          !entry.unknown &&
          (entry.protocol === 'all' || entry.protocol === protocol) &&
          (entry.ports === 'all' || (typeof entry.ports === 'object' && rangesOverlap(entry.ports, requirement.range))),
      );
      // None: missing-port-rule's finding. One that cannot be known may admit anyone.
      if (covering.length === 0) continue;
      if (
        entries.some(
          ({ entry }) =>
            entry.unknown && (entry.protocol === 'unknown' || entry.protocol === 'all' || entry.protocol === protocol),
        )
      )
        continue;
      const coveringEntries = covering.map((c) => c.entry);
      const entriesKey = coveringEntries.map((e) => entryIndex.get(e)).join(',');
      let excluded = excludedBy.get(`${peers}|${entriesKey}`);
      if (!excluded) {
        excluded = model.nodes.filter((peer) => isPeer(peers, peer) && admits(coveringEntries, peer, guardOf) === 'excluded');
        excludedBy.set(`${peers}|${entriesKey}`, excluded);
      }
      // A node need not reach itself.
      const left = group.nodes.length === 1 ? excluded.filter((p) => p !== group.nodes[0]) : excluded;
      if (left.length === 0) continue;
      const key = `${requirement.port.id}|${entriesKey}`;
      let slot = found.get(key);
      if (!slot)
        found.set(
          key,
          (slot = { entries: coveringEntries, firewall: covering[0].firewall, requirement, peers, left: new Set() }),
        );
      for (const peer of left) slot.left.add(peer);
    }
  }
  // One finding per entry and set of peers left out, naming every port they need through it.
  const merged = new Map<
    string,
    {
      entries: ExternalFirewallEntry[];
      firewall: FirewallContribution;
      requirements: EffectivePort[];
      peers: Peers[];
      list: NodeFacts[];
    }
  >();
  for (const [key, { entries, firewall, requirement, peers, left }] of found) {
    const list = model.nodes.filter((n) => left.has(n));
    const mergeKey = `${key.slice(key.indexOf('|') + 1)}|${list.map((n) => model.nodes.indexOf(n)).join(',')}`;
    const slot = merged.get(mergeKey);
    if (slot) {
      slot.requirements.push(requirement);
      if (!slot.peers.includes(peers)) slot.peers.push(peers);
    } else merged.set(mergeKey, { entries, firewall, requirements: [requirement], peers: [peers], list });
  }
  for (const { entries, firewall, requirements, peers, list } of merged.values()) {
    const named = list.slice(0, 5).map((peer) => `${nodeLabel(peer)} (${addressesOf(peer)[0].parsed.canonical})`);
    const publicMembers = list.some((peer) => !addressesOf(peer).some((a) => isPrivate(a.parsed)));
    const why =
      publicMembers && entries.some((e) => e.sources.some((s) => s.source.kind === 'members'))
        ? ' A group reference admits its members by their private addresses; traffic to a public address arrives from a public one.'
        : '';
    const ports = requirements.map((r) => describePort(r)).join(', ');
    const severity = requirements.some((r) => r.port.missingSeverity === 'error') ? 'error' : 'warning';
    for (const entry of entries) {
      const at = entry.sources[0]?.at ?? entry.at;
      report(
        at,
        `${firewall.label}'s rule for ${ports} leaves out ${(peers.length === 1 ? PEER_TEXT[peers[0]] : PEER_TEXT['any-node'])[list.length === 1 ? 0 : 1]} ${named.join(', ')}${list.length > 5 ? `, and ${list.length - 5} more` : ''}, which ${list.length === 1 ? 'needs' : 'need'} to reach ${requirements.length === 1 ? 'it' : 'them'}.${why}`,
        {
          severity,
          data: {
            componentPort: requirements[0].port.id,
            componentPorts: requirements.map((r) => r.port.id),
            firewall: firewall.id,
          },
          related: list.slice(0, 10).map((peer) => ({
            at: addressesOf(peer)[0].at,
            message: `${nodeLabel(peer)} reaches it from ${addressesOf(peer)[0].parsed.canonical}`,
          })),
        },
      );
    }
  }
}
