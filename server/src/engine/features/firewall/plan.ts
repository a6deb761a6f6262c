/**
 * The firewall a cluster needs, format-neutral: per role group and per node, which ports and IP
 * protocols to admit, from which networks, with the component, severity and docs behind each.
 * Built on the same placement as the requirements the map and `--format json` show
 * (`model/placement.ts`), so the rules written are exactly what missing-port-rule asks for.
 * The renderers (one module per target syntax) only write this down.
 *
 * Sources: a port the table says peers connect to (`from`) admits those peers' addresses (or
 * their subnets); a port only the node itself uses admits the nodes that run its component, so
 * that nodes with the same roles share one rule set; a port clients outside the cluster use
 * (`fromOutside`: the API server, NodePorts, load-balancer health checks) admits the networks the
 * user names, or anywhere when none is named. What cannot be known (a node without an address,
 * a template) becomes a note, never a guessed address.
 */
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { formatPortRange } from '../../knowledge/net/portRange';
import { DISTRIBUTIONS } from '../../knowledge/distributions';
import {
  IP_PROTOCOL_NUMBERS,
  isIpProtocol,
  ROLES,
  type Distribution,
  type Placement,
  type PortRange,
  type Role,
  type Transport,
} from '../../knowledge/ports';
import type { ClusterModel, NodeFacts } from '../../model/cluster';
import { etcdMembership, firewallRequirements, placedOn, placementContext, type PlacementContext } from '../../model/placement';
import type { EffectivePort } from '../../model/settings';
import { nodeName, roleGroupName } from '../requirements';
import { NetworkCollector, networkOf, type Networks } from './addressSets';

export interface FirewallOptions {
  /** Admit the peers' subnets (their addresses' prefixes) rather than each address. */
  peers: 'node' | 'subnet';
  /** Who may reach the ports used from outside the cluster; empty: anywhere. Already validated CIDRs. */
  allowFrom: readonly string[];
  /** Leave out what is only recommended (the table's warnings). */
  essentialOnly: boolean;
  /** Only this node (by the name reports give it). */
  node?: string;
  /** Only the nodes with this role, and only this role's group. */
  role?: Role;
}

export const DEFAULT_FIREWALL_OPTIONS: FirewallOptions = { peers: 'node', allowFrom: [], essentialOnly: false };

/** The nodes a source names, by their placement in the table. */
export interface AddressSet {
  /** "etcd-member": stable, used for names in the outputs (`etcd_members`). */
  id: Placement;
  /** "etcd members" */
  label: string;
  networks: Networks;
  /** Nodes of the set whose address is unknown: a note each, for the user to fill in. */
  unresolved: string[];
}

export type Sources =
  /** Anyone: a port used from outside the cluster, and no --allow-from. */
  | { kind: 'anywhere' }
  /** The nodes of a set, and for a port used from outside the cluster the --allow-from networks too. */
  | { kind: 'networks'; peers?: Placement; outside: Networks };

export interface FirewallRule {
  /** The requirement's id in the port table ("etcd-peer", "cni-calico-bgp"). */
  id: string;
  component: string;
  purpose: string;
  protocol: Transport;
  /** Absent for an IP protocol, which has no ports. */
  ports?: PortRange;
  /** The IP protocol's number (4 for IP-in-IP): targets that take names disagree on them (/etc/protocols calls 4 "ipencap"). */
  protocolNumber?: number;
  icmp?: { type: number; code: number };
  /** What a missing rule costs: error (the cluster breaks) or warning (health, metrics: optional). */
  severity: 'error' | 'warning';
  docs: string;
  sources: Sources;
}

export interface RuleGroup {
  /** A single role: a node with several roles needs the union of their groups' rules. */
  role: Role;
  /** "control-plane nodes", "RKE2 agents" */
  name: string;
  /** The members' names, in the model's order. */
  members: string[];
  rules: FirewallRule[];
}

export interface NodeRules {
  name: string;
  roles: Role[];
  addresses: string[];
  rules: FirewallRule[];
  /** The key of its role combination: nodes with the same key have the same rules. */
  rolesKey: string;
}

export interface FirewallPlan {
  /** How outputs name the cluster. */
  cluster: string;
  distribution: { id: Distribution; label: string };
  /** The network plugin as the model has it ("Calico (ipip)"), or undefined. */
  cni?: string;
  options: FirewallOptions;
  /** The address sets the rules name, keyed by id; only those some rule uses. */
  sets: ReadonlyMap<Placement, AddressSet>;
  groups: RuleGroup[];
  nodes: NodeRules[];
  /** What the user must know or fill in: nodes without addresses, no nodes at all, a --node that matched nothing. */
  notes: string[];
  /** The --allow-from networks, parsed (empty: anywhere). */
  outside: Networks;
}

const SET_LABELS: Record<Placement, string> = {
  'control-plane': 'control-plane nodes',
  worker: 'workers',
  'etcd-member': 'etcd members',
  'kubernetes-node': 'Kubernetes nodes',
  'any-node': 'all nodes',
};

const rolesKeyOf = (roles: readonly Role[]) => ROLES.filter((r) => roles.includes(r)).join(',');

/** Who admits a requirement: its peers, else the nodes running its component ("Self" in the table). */
function peersOf(requirement: EffectivePort): Placement | undefined {
  return requirement.port.from?.[0] ?? requirement.port.runsOn[0];
}

/** The firewall rules of one cluster's model. Linear in the nodes: rule lists are built once per role combination. */
export function firewallPlan(model: ClusterModel, clusterName: string, options: FirewallOptions): FirewallPlan {
  const notes: string[] = [];
  const ctx = placementContext(model.settings, etcdMembership(model.nodes));
  const outside = new NetworkCollector();
  for (const cidr of options.allowFrom) {
    const parsed = parseInterfaceAddress(cidr);
    if (parsed) outside.add(networkOf(parsed, true));
  }
  const outsideNetworks = outside.networks();
  const anywhere = outside.size === 0;

  const usedSets = new Set<Placement>();
  const ruleOf = (requirement: EffectivePort): FirewallRule => {
    const { port } = requirement;
    const peers = peersOf(requirement);
    let sources: Sources;
    if (port.fromOutside && anywhere) sources = { kind: 'anywhere' };
    else {
      // A port of the outside only ("Self, Load balancers"; NodePorts) admits the --allow-from networks alone.
      const withPeers = port.from ? peers : port.fromOutside ? undefined : peers;
      if (withPeers) usedSets.add(withPeers);
      sources = { kind: 'networks', peers: withPeers, outside: port.fromOutside ? outsideNetworks : { ipv4: [], ipv6: [] } };
    }
    const ip = isIpProtocol(port.protocol);
    return {
      id: port.id,
      component: port.component,
      purpose: port.purpose,
      protocol: port.protocol,
      ports: ip ? undefined : requirement.range,
      protocolNumber: ip ? IP_PROTOCOL_NUMBERS[port.protocol as keyof typeof IP_PROTOCOL_NUMBERS] : undefined,
      icmp: port.icmp,
      severity: port.missingSeverity,
      docs: port.docs,
      sources,
    };
  };
  const rulesByRoles = new Map<string, FirewallRule[]>();
  const rulesFor = (roles: readonly Role[]): FirewallRule[] => {
    const key = rolesKeyOf(roles);
    let rules = rulesByRoles.get(key);
    if (!rules) {
      rules = firewallRequirements(
        ROLES.filter((r) => roles.includes(r)),
        ctx,
      )
        .filter((r) => !options.essentialOnly || r.port.missingSeverity === 'error')
        .map(ruleOf);
      rulesByRoles.set(key, rules);
    }
    return rules;
  };

  const usable = model.nodes.filter((n) => !n.broken);
  if (model.nodes.length === 0)
    notes.push("No nodes: the cluster's files list no machines, so there is nothing to write rules for.");
  else if (usable.length === 0)
    notes.push(
      "No nodes could be read: every node entry has syntax errors; fix them (run 'cluster-preflight' on the files) first.",
    );
  const broken = model.nodes.length - usable.length;
  if (broken > 0 && usable.length > 0)
    notes.push(
      `${broken} node entr${broken === 1 ? 'y has' : 'ies have'} syntax errors and are left out; fix them and generate again.`,
    );

  let selected = usable;
  if (options.node !== undefined) {
    selected = usable.filter((n) => nodeName(n) === options.node || n.hostname?.value === options.node);
    if (selected.length === 0 && usable.length > 0)
      notes.push(`No node is named ${JSON.stringify(options.node)} in this cluster.`);
  }
  if (options.role !== undefined) {
    const before = selected.length;
    selected = selected.filter((n) => n.roles.includes(options.role!));
    if (selected.length === 0 && before > 0)
      notes.push(`No ${options.node !== undefined ? 'such ' : ''}node has role ${options.role}.`);
  }
  const roleless = selected.filter((n) => n.roles.length === 0);
  if (roleless.length > 0 && rulesFor([]).length === 0)
    notes.push(
      `${describeNames(roleless.map(nodeName))} ${roleless.length === 1 ? 'has' : 'have'} no role: no rules for ${roleless.length === 1 ? 'it' : 'them'}.`,
    );

  const nodes: NodeRules[] = selected.map((node) => ({
    name: nodeName(node),
    roles: ROLES.filter((r) => node.roles.includes(r)),
    addresses: addressesOf(node),
    rules: rulesFor(node.roles),
    rolesKey: rolesKeyOf(node.roles),
  }));

  const groups: RuleGroup[] = [];
  for (const role of ROLES) {
    if (options.role !== undefined && role !== options.role) continue;
    const members = selected.filter((n) => n.roles.includes(role));
    if (members.length === 0) continue;
    const rules = rulesFor([role]);
    groups.push({
      role,
      name: roleGroupName([role], ctx.distribution),
      members: members.map(nodeName),
      rules,
    });
  }

  const sets = new Map<Placement, AddressSet>();
  for (const id of usedSets) sets.set(id, addressSet(id, usable, ctx, options.peers === 'subnet'));
  for (const set of sets.values())
    if (set.unresolved.length > 0)
      notes.push(
        `Fill in by hand: ${set.unresolved.length > 5 ? `${set.unresolved.slice(0, 5).join('; ')}; and ${set.unresolved.length - 5} more` : set.unresolved.join('; ')} (needed in the ${set.label} set).`,
      );

  const cni = model.settings.cni;
  return {
    cluster: clusterName,
    distribution: { id: ctx.distribution, label: DISTRIBUTIONS[ctx.distribution].label },
    cni: cni ? `${cni.choice.plugin}${cni.choice.mode ? ` (${cni.choice.mode})` : ''}` : undefined,
    options,
    sets,
    groups,
    nodes,
    notes,
    outside: outsideNetworks,
  };
}

function describeNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** A node's parsed interface addresses, canonical. */
function addressesOf(node: NodeFacts): string[] {
  return (node.interfaces ?? []).flatMap((i) => {
    const parsed = i.address && parseInterfaceAddress(i.address.value);
    return parsed ? [parsed.canonical] : [];
  });
}

function addressSet(id: Placement, nodes: readonly NodeFacts[], ctx: PlacementContext, subnet: boolean): AddressSet {
  const collector = new NetworkCollector();
  const unresolved: string[] = [];
  for (const node of nodes) {
    if (!placedOn(id, node.roles, ctx.anyEtcdRole)) continue;
    let found = false;
    const unreadable: string[] = [];
    for (const iface of node.interfaces ?? []) {
      if (!iface.address) continue;
      const parsed = parseInterfaceAddress(iface.address.value);
      if (parsed) {
        collector.add(networkOf(parsed, subnet));
        found = true;
      } else unreadable.push(iface.address.value);
    }
    if (!found)
      unresolved.push(
        unreadable.length
          ? `node ${nodeName(node)}'s address ${JSON.stringify(unreadable[0])} is not an IP address (a template or a name?)`
          : `node ${nodeName(node)} has no address`,
      );
  }
  return { id, label: SET_LABELS[id], networks: collector.networks(), unresolved };
}

/** "6443/TCP", "30000-32767/TCP", "IP protocol 4 (IPIP)": how comments name what a rule admits. */
export function ruleTarget(rule: FirewallRule): string {
  if (rule.ports) return `${formatPortRange(rule.ports)}/${rule.protocol}`;
  return `IP protocol ${rule.protocolNumber} (${rule.protocol})`;
}

/** The one-line why of a rule: "etcd peer communication (etcd), required: https://…". */
export function ruleReason(rule: FirewallRule): string {
  // "etcd peer communication (etcd)", but "kube-scheduler" and "Calico BGP (routes between nodes)" once.
  const named = rule.purpose.toLowerCase().includes(rule.component.toLowerCase());
  return `${rule.purpose}${named ? '' : ` (${rule.component})`}, ${rule.severity === 'error' ? 'required' : 'optional (warning)'}: ${rule.docs}`;
}

/** Who a rule admits, in words: "etcd members", "etcd members and 203.0.113.0/24", "anywhere". */
export function sourcesText(plan: FirewallPlan, rule: FirewallRule): string {
  const { sources } = rule;
  if (sources.kind === 'anywhere') return 'anywhere (no --allow-from given)';
  const parts: string[] = [];
  if (sources.peers) parts.push(plan.sets.get(sources.peers)!.label);
  const outside = [...sources.outside.ipv4, ...sources.outside.ipv6];
  if (outside.length) parts.push(outside.join(', '));
  return parts.join(' and ') || 'nobody';
}

/** The networks a rule admits per family (peers' set and --allow-from); undefined: anywhere. */
export function ruleNetworks(plan: FirewallPlan, rule: FirewallRule): Networks | undefined {
  const { sources } = rule;
  if (sources.kind === 'anywhere') return undefined;
  const set = sources.peers ? plan.sets.get(sources.peers)!.networks : { ipv4: [], ipv6: [] };
  return { ipv4: [...set.ipv4, ...sources.outside.ipv4], ipv6: [...set.ipv6, ...sources.outside.ipv6] };
}

/**
 * Nodes with the same role combination, with their (equal) rules: host firewalls are written
 * once per combination, naming the nodes each copy is for. In the model's order of first members.
 */
export function nodeGroups(plan: FirewallPlan): Array<{ roles: Role[]; name: string; members: string[]; rules: FirewallRule[] }> {
  const byKey = new Map<string, { roles: Role[]; name: string; members: string[]; rules: FirewallRule[] }>();
  for (const node of plan.nodes) {
    let group = byKey.get(node.rolesKey);
    if (!group)
      byKey.set(
        node.rolesKey,
        (group = {
          roles: node.roles,
          name: roleGroupName(node.roles, plan.distribution.id),
          members: [],
          rules: node.rules,
        }),
      );
    group.members.push(node.name);
  }
  return [...byKey.values()];
}
