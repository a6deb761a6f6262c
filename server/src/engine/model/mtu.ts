/**
 * MTU arithmetic over the cluster model: which interfaces carry traffic between nodes, which
 * MTU setting of the network plugin is in force, and what fits. Rules report with it and hovers
 * explain with it, so that both say the same numbers.
 */
import type { Range } from '../core/text/positions';
import type { Value } from '../core/located';
import { CNI_PLUGINS, encapsulationOverhead, type MtuOverhead } from '../knowledge/cni';
import { networkOf, parseInterfaceAddress, type IpFamily } from '../knowledge/net/addresses';
import type { ClusterModel, CniMtuSetting, InterfaceFacts, NodeFacts } from './cluster';
import type { EffectiveCni } from './settings';

/** One interface of a node (a dual-stack interface once), as the MTU rules see it. */
export interface NodeInterface {
  node: NodeFacts;
  /** The first of the interface's facts (name, MTU and item are the same for each of its addresses). */
  facts: InterfaceFacts;
  mtu?: Value<number>;
  /** The families of its addresses: IPv4 first when it has one. */
  families: IpFamily[];
  /** Its networks ("192.168.1.0/24"), for the addresses written with a prefix. */
  networks: string[];
}

const interfacesByNode = new WeakMap<NodeFacts, NodeInterface[]>();

/** A node's interfaces that have an address that parses, each once; remembered per node object. */
function addressedInterfaces(node: NodeFacts): NodeInterface[] {
  let list = interfacesByNode.get(node);
  if (list) return list;
  const byItem = new Map<Range, NodeInterface>();
  for (const facts of node.interfaces ?? []) {
    const parsed = facts.address && parseInterfaceAddress(facts.address.value);
    if (!parsed) continue;
    let entry = byItem.get(facts.itemRange);
    if (!entry) byItem.set(facts.itemRange, (entry = { node, facts, mtu: facts.mtu, families: [], networks: [] }));
    if (!entry.families.includes(parsed.family)) entry.families.push(parsed.family);
    if (parsed.prefix !== undefined) entry.networks.push(networkOf({ ...parsed, prefix: parsed.prefix }).text);
  }
  list = [...byItem.values()];
  for (const entry of list) entry.families.sort();
  interfacesByNode.set(node, list);
  return list;
}

/**
 * The interfaces that carry traffic between nodes: a node's only addressed interface; of a node
 * with several, those in a network (address/prefix) another node has an address in too. A node
 * whose several interfaces share no network with the others is left out: which one the cluster
 * uses is unknown, and nothing is guessed. Linear in the interfaces.
 */
export function clusterInterfaces(nodes: readonly NodeFacts[]): NodeInterface[] {
  const perNode = nodes.map(addressedInterfaces);
  const nodesPerNetwork = new Map<string, number>();
  for (const list of perNode) {
    const seen = new Set<string>();
    for (const entry of list) for (const network of entry.networks) seen.add(network);
    for (const network of seen) nodesPerNetwork.set(network, (nodesPerNetwork.get(network) ?? 0) + 1);
  }
  const out: NodeInterface[] = [];
  for (const list of perNode) {
    if (list.length === 1) out.push(list[0]);
    else for (const entry of list) if (entry.networks.some((n) => (nodesPerNetwork.get(n) ?? 0) > 1)) out.push(entry);
  }
  return out;
}

/**
 * The MTU setting the plugin runs with: an installer's over the inventory's, and only one for
 * the plugin in force (a Calico variable means nothing to a Cilium cluster).
 */
export function cniMtuInForce(model: Pick<ClusterModel, 'cniMtus' | 'settings'>): CniMtuSetting | undefined {
  const cni = model.settings.cni;
  if (!cni) return undefined;
  const applies = model.cniMtus.filter((m) => m.plugin === undefined || m.plugin === cni.choice.plugin);
  return applies.find((m) => m.tier === 'installer') ?? applies.find((m) => m.tier === 'inventory');
}

/** What a plugin MTU needs of one interface. */
export interface MtuBudget {
  overhead: MtuOverhead;
  /** The largest plugin MTU that fits this interface. */
  largest: number;
  /** The packet size on the wire for the configured MTU: the setting plus the overhead (Cilium's setting is already the wire size). */
  onWire: number;
}

/** The arithmetic for one interface MTU and family; undefined when the table does not know the overhead. */
export function mtuBudget(cni: EffectiveCni, setting: number, interfaceMtu: number, family: IpFamily): MtuBudget | undefined {
  const overhead = encapsulationOverhead(cni.choice, family);
  if (!overhead) return undefined;
  const underlay = CNI_PLUGINS[cni.choice.plugin].mtu.setting === 'underlay';
  return {
    overhead,
    largest: underlay ? interfaceMtu : interfaceMtu - overhead.bytes,
    onWire: underlay ? setting : setting + overhead.bytes,
  };
}

/** The family whose overhead is counted on an interface: IPv4 when it has it (the smaller overhead: no overflow is claimed that IPv4 would not have). */
export function underlayFamily(entry: NodeInterface): IpFamily {
  return entry.families.includes('ipv4') ? 'ipv4' : 'ipv6';
}

/** How messages name an overhead: "VXLAN 50 bytes", "no encapsulation", "WireGuard 60 bytes". */
export function describeOverhead(overhead: MtuOverhead): string {
  return overhead.parts.length ? `${overhead.parts.join(' + ')} bytes` : 'no encapsulation';
}
