/**
 * What each node of a cluster needs its firewall to admit, and whether it does: the one answer
 * the cluster map, `--format json` and the text output's "… need …" lines all read, so that they
 * can never disagree. A status follows the findings the user sees (a rule turned off or a disable
 * comment changes it as it changes the Problems panel); a node whose format describes no firewall
 * has every requirement "not described".
 */
import type { Workspace } from '../analysis/workspace';
import type { Finding } from '../core/findings';
import { absoluteRange } from '../core/located';
import type { Range } from '../core/text/positions';
import { formatPortRange } from '../knowledge/net/portRange';
import { PROTOCOLS, ROLES, type Distribution, type Protocol, type Role, type Transport } from '../knowledge/ports';
import { nodeLabel, placeOf, type ClusterModel, type NodeFacts } from '../model/cluster';
import { guardsOf, type NodeGuard } from '../model/firewalls';
import { etcdMembership, firewallRequirements, placementContext, type PlacementContext } from '../model/placement';
import type { EffectivePort } from '../model/settings';
import { ruleMeta } from '../rules/catalogue';

export type RequirementStatus = 'open' | 'missing' | 'partly-open' | 'source-excludes-peers' | 'not-described';

export interface RequirementState {
  requirement: EffectivePort;
  status: RequirementStatus;
  /** The finding behind "missing", "partly-open" and "source-excludes-peers". */
  finding?: Finding;
  /** The file the finding is in, when not the node's (a security group's Terraform file). */
  findingUri?: string;
}

export interface NodeRequirements {
  node: NodeFacts;
  /** The file the node's entry is written in: its findings are there. */
  uri: string;
  /** Whether the node's format describes its firewall (the kinds missing-port-rule checks), and the entry could be read. */
  described: boolean;
  requirements: RequirementState[];
  /** The findings inside the node's entry, for other per-node views (the map's listener conflicts). */
  findings: Finding[];
}

export interface ClusterRequirements {
  model: ClusterModel;
  placement: PlacementContext;
  /** Every file of the cluster with its findings (after rule control). */
  findings: ReadonlyMap<string, Finding[]>;
  /** In the model's order. */
  nodes: NodeRequirements[];
}

/** What missing-port-rule and firewall-source-excludes-peers attach to their findings. */
interface PortFindingData {
  componentPort?: string;
  /** Part of the range is admitted (missing-port-rule). */
  partial?: boolean;
  /** On a cloud firewall's findings: which firewall (model/firewalls.ts), and every requirement a source finding is about. */
  firewall?: string;
  componentPorts?: string[];
}

const MISSING_PORT_RULE = 'missing-port-rule';
const SOURCE_EXCLUDES_PEERS_RULE = 'firewall-source-excludes-peers';

/** The kinds whose nodes carry firewall entries: the ones missing-port-rule checks. */
function describesFirewall(node: NodeFacts): boolean {
  return !node.broken && (ruleMeta(MISSING_PORT_RULE)?.appliesTo.includes(node.kind) ?? false);
}

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * Findings grouped by node entry without comparing every node with every finding: each file's
 * findings sorted once, then a binary search per node for the first that starts inside it.
 */
function findingsWithin(sorted: readonly Finding[], outer: Range): Finding[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (before(sorted[middle].range.start, outer.start)) low = middle + 1;
    else high = middle;
  }
  const inside: Finding[] = [];
  for (let i = low; i < sorted.length && !before(outer.end, sorted[i].range.start); i++)
    if (!before(outer.end, sorted[i].range.end)) inside.push(sorted[i]);
  return inside;
}

/** The requirements of every node of the cluster a file belongs to, with their status (analysing what needs it first). */
export function clusterRequirements(workspace: Workspace, uri: string): ClusterRequirements {
  const model = workspace.model(uri);
  const findings = new Map<string, Finding[]>();
  const sortedByFile = new Map<string, Finding[]>();
  for (const file of workspace.clusterFiles(uri)) {
    const list = workspace.findings(file.uri);
    findings.set(file.uri, list);
    sortedByFile.set(
      file.uri,
      [...list].sort((a, b) => (before(a.range.start, b.range.start) ? -1 : before(b.range.start, a.range.start) ? 1 : 0)),
    );
  }
  const placement = placementContext(model.settings, etcdMembership(model.nodes));
  // Cloud firewalls in front of nodes (Terraform security groups), when every one of a node's is known.
  const guards = new Map<NodeFacts, NodeGuard[]>();
  for (const g of guardsOf(model.firewalls, model.nodes)) {
    if (g.alsoUnknown || g.firewalls.length === 0 || g.firewalls.some((f) => f.incomplete)) continue;
    const list = guards.get(g.node);
    if (list) list.push(g);
    else guards.set(g.node, [g]);
  }
  const guardFindings = guards.size
    ? [...findings].flatMap(([uri, list]) =>
        list.filter((f) => (f.data as PortFindingData | undefined)?.firewall).map((finding) => ({ uri, finding })),
      )
    : [];
  const nodes = model.nodes.map((node): NodeRequirements => {
    const item = placeOf(node, node.itemRange);
    const own = findingsWithin(sortedByFile.get(item.origin.uri) ?? [], absoluteRange(item));
    const ownFirewall = describesFirewall(node);
    const nodeGuards = guards.get(node) ?? [];
    const described = ownFirewall || nodeGuards.length > 0;
    const requirements = firewallRequirements(node.roles, placement).map((requirement): RequirementState => {
      if (!described) return { requirement, status: 'not-described' as const };
      let state: RequirementState = ownFirewall ? stateOf(requirement, own) : { requirement, status: 'open' };
      // Traffic passes the host's firewall and the cloud's: the first that stops it decides.
      for (const guard of nodeGuards) {
        if (state.status !== 'open') break;
        state = guardedState(requirement, node, guard, guardFindings);
      }
      return state;
    });
    return { node, uri: item.origin.uri, described, requirements, findings: own };
  });
  return { model, placement, findings, nodes };
}

/** A requirement's status behind cloud firewalls: their findings that name the node (missing) or their entries (sources). */
function guardedState(
  requirement: EffectivePort,
  node: NodeFacts,
  guard: NodeGuard,
  candidates: ReadonlyArray<{ uri: string; finding: Finding }>,
): RequirementState {
  const ids = new Set(guard.firewalls.map((f) => f.id));
  const anchor = placeOf(node, node.hostname ?? node.itemRange);
  const uri = anchor.origin.uri;
  const line = absoluteRange(anchor).start.line;
  const about = (f: Finding) => {
    const data = f.data as PortFindingData;
    return (
      !!data.firewall &&
      ids.has(data.firewall) &&
      (data.componentPort === requirement.port.id || !!data.componentPorts?.includes(requirement.port.id))
    );
  };
  const missing = candidates.find(
    ({ finding: f }) =>
      f.ruleId === MISSING_PORT_RULE && about(f) && f.related?.some((r) => r.uri === uri && r.range.start.line === line),
  );
  if (missing)
    return {
      requirement,
      status: (missing.finding.data as PortFindingData).partial ? 'partly-open' : 'missing',
      finding: missing.finding,
      findingUri: missing.uri,
    };
  const excluded = candidates.find(({ finding: f }) => f.ruleId === SOURCE_EXCLUDES_PEERS_RULE && about(f));
  if (excluded) return { requirement, status: 'source-excludes-peers', finding: excluded.finding, findingUri: excluded.uri };
  return { requirement, status: 'open' };
}

function stateOf(requirement: EffectivePort, own: readonly Finding[]): RequirementState {
  const about = (f: Finding) => (f.data as PortFindingData | undefined)?.componentPort === requirement.port.id;
  const missing = own.find((f) => f.ruleId === MISSING_PORT_RULE && about(f));
  if (missing)
    return {
      requirement,
      status: (missing.data as PortFindingData).partial ? 'partly-open' : 'missing',
      finding: missing,
    };
  const excluded = own.find((f) => f.ruleId === SOURCE_EXCLUDES_PEERS_RULE && about(f));
  if (excluded) return { requirement, status: 'source-excludes-peers', finding: excluded };
  return { requirement, status: 'open' };
}

/** How reports name a node: its hostname, else what its format calls it ("host 10.0.0.1", an RKE2 node's directory). */
export function nodeName(node: NodeFacts): string {
  return node.hostname?.value || nodeLabel(node);
}

/** A transport that has ports (TCP, UDP, SCTP); the others (IP-in-IP, ESP, GRE, ICMP) are admitted whole. */
export function hasPorts(protocol: Transport): protocol is Protocol {
  return (PROTOCOLS as readonly string[]).includes(protocol);
}

/** One requirement as `--format json` writes it. */
export interface RequirementOutput {
  /** "6443" or "30000-32767"; absent for an IP protocol. */
  port?: string;
  protocol: Transport;
  component: string;
  /** Who connects to the port, in the port table's words. */
  from: string;
  severity: 'error' | 'warning';
  status: RequirementStatus;
  docs: string;
}

export function requirementOutput(state: RequirementState): RequirementOutput {
  const { requirement, status } = state;
  const { protocol, component, usedBy, missingSeverity, docs } = requirement.port;
  // Two literals rather than a conditional spread, which cost some 20 µs a requirement (a second for a 5,000-node inventory).
  if (!hasPorts(protocol)) return { protocol, component, from: usedBy, severity: missingSeverity, status, docs };
  return { port: formatPortRange(requirement.range), protocol, component, from: usedBy, severity: missingSeverity, status, docs };
}

/** One node as `--format json` writes it. */
export interface NodeOutput {
  name: string;
  roles: Role[];
  addresses: string[];
  requirements: RequirementOutput[];
}

export function nodeOutput(entry: NodeRequirements): NodeOutput {
  const { node } = entry;
  return {
    name: nodeName(node),
    roles: [...node.roles],
    addresses: (node.interfaces ?? []).flatMap((i) => (i.address?.value ? [i.address.value] : [])),
    requirements: entry.requirements.map(requirementOutput),
  };
}

/** How the text output names the nodes of one role combination, in kubeadm's words. */
const ROLE_GROUP_NAMES: Readonly<Record<string, string>> = {
  'control-plane': 'control-plane nodes',
  worker: 'workers',
  etcd: 'etcd members',
  'control-plane,etcd': 'control-plane nodes (etcd members)',
  'control-plane,worker': 'control-plane nodes that are also workers',
  'control-plane,worker,etcd': 'control-plane nodes that are also workers (etcd members)',
  'worker,etcd': 'workers that are etcd members',
};

/**
 * The names each distribution's own docs and files use: RKE2 and K3s have servers and agents, k0s
 * controllers and workers. Combinations a distribution does not name keep kubeadm's words.
 */
const DISTRIBUTION_GROUP_NAMES: Readonly<Partial<Record<Distribution, Readonly<Record<string, string>>>>> = {
  rke2: { 'control-plane': 'RKE2 servers', 'control-plane,etcd': 'RKE2 servers', worker: 'RKE2 agents' },
  k3s: {
    'control-plane': 'K3s servers',
    'control-plane,etcd': 'K3s servers (embedded etcd)',
    worker: 'K3s agents',
  },
  k0s: {
    'control-plane': 'k0s controllers',
    'control-plane,etcd': 'k0s controllers',
    'control-plane,worker': 'k0s controllers that are also workers',
    'control-plane,worker,etcd': 'k0s controllers that are also workers',
    worker: 'k0s workers',
  },
};

/** Roles in the table's order, whatever order a file wrote them in. */
const roleKey = (roles: readonly Role[]) => ROLES.filter((r) => roles.includes(r)).join(',');

/**
 * How the nodes of one role combination are named; `sentenceStart` capitalises kubeadm's generic words
 * ("Workers"), while a distribution's own names keep the case their project writes them in ("k0s workers").
 */
export function roleGroupName(roles: readonly Role[], distribution: Distribution = 'kubeadm', sentenceStart = false): string {
  const key = roleKey(roles);
  const own = DISTRIBUTION_GROUP_NAMES[distribution]?.[key];
  if (own) return own;
  const generic = ROLE_GROUP_NAMES[key] ?? (key ? `nodes with roles ${key.replace(/,/g, ', ')}` : 'nodes without a role');
  return sentenceStart ? generic.charAt(0).toUpperCase() + generic.slice(1) : generic;
}

/** What the nodes of one role combination need, where their firewall is not described. */
export interface UndescribedGroup {
  roles: Role[];
  name: string;
  /** The name as the first words of a sentence. */
  heading: string;
  /** The union of the group's requirements, in the port table's order. */
  requirements: EffectivePort[];
}

/**
 * The cluster's nodes without firewall data, one group per role combination (a handful,
 * whatever the number of nodes), with what they need; groups that need nothing are left out.
 */
export function undescribedGroups(cluster: ClusterRequirements): UndescribedGroup[] {
  const groups = new Map<string, { roles: Role[]; requirements: Map<string, EffectivePort> }>();
  for (const entry of cluster.nodes) {
    // A broken entry of a format with firewalls has its syntax errors reported: "no firewall is described" would mislead.
    if (entry.described || entry.node.broken) continue;
    const key = roleKey(entry.node.roles);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { roles: ROLES.filter((r) => entry.node.roles.includes(r)), requirements: new Map() }));
    for (const { requirement } of entry.requirements)
      if (!group.requirements.has(requirement.port.id)) group.requirements.set(requirement.port.id, requirement);
  }
  const order = new Map(
    [...cluster.model.settings.ports.values(), ...cluster.placement.cniPorts].map((p, index) => [p.port.id, index]),
  );
  const rank = (roles: readonly Role[]) => (roles.includes('control-plane') ? 0 : roles.includes('etcd') ? 1 : 2);
  return [...groups.values()]
    .filter((g) => g.requirements.size > 0)
    .sort((a, b) => rank(a.roles) - rank(b.roles) || roleKey(a.roles).localeCompare(roleKey(b.roles)))
    .map((g) => ({
      roles: g.roles,
      name: roleGroupName(g.roles, cluster.model.settings.distribution.id),
      heading: roleGroupName(g.roles, cluster.model.settings.distribution.id, true),
      requirements: [...g.requirements.values()].sort((a, b) => (order.get(a.port.id) ?? 0) - (order.get(b.port.id) ?? 0)),
    }));
}

/**
 * Ports grouped per protocol, the protocol once after each group, adjacent ranges joined:
 * "6443, 2379-2380, 10250/TCP, 8472/UDP, IPIP". Past `limit` items the rest is "…".
 */
export function compactPorts(requirements: readonly EffectivePort[], limit = 12): string {
  const byProtocol = new Map<Transport, Array<{ low: number; high: number }>>();
  for (const r of requirements) {
    const protocol = r.port.protocol;
    let list = byProtocol.get(protocol);
    if (!list) byProtocol.set(protocol, (list = []));
    if (!hasPorts(protocol)) continue;
    const last = list[list.length - 1];
    if (last && r.range.low >= last.low && r.range.low <= last.high + 1) last.high = Math.max(last.high, r.range.high);
    else if (!list.some((p) => p.low === r.range.low && p.high === r.range.high)) list.push({ ...r.range });
  }
  const groups: string[][] = [];
  let shown = 0;
  let truncated = false;
  for (const [protocol, ranges] of byProtocol) {
    if (shown >= limit) {
      truncated = true;
      break;
    }
    if (!hasPorts(protocol)) {
      groups.push([protocol]);
      shown++;
      continue;
    }
    const items = ranges.slice(0, limit - shown).map(formatPortRange);
    if (items.length < ranges.length) truncated = true;
    shown += items.length;
    items[items.length - 1] += `/${protocol}`;
    groups.push(items);
  }
  return groups.flat().join(', ') + (truncated ? '…' : '');
}
