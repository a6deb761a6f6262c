/**
 * Which components run on a node and which ports its firewall must admit, from its roles and
 * the cluster's settings. Node rules and hovers read this; nothing here depends on the format
 * that described the node.
 */
import { DISTRIBUTIONS } from '../knowledge/distributions';
import { isIpProtocol, type Distribution, type Placement, type PortRange, type Role, type Transport } from '../knowledge/ports';
import { portRangeOf, uncoveredParts } from '../knowledge/net/portRange';
import type { NodeFacts } from './cluster';
import type { ClusterPorts, EffectivePort, EffectiveSettings } from './settings';

/** What decides which components a node runs, beyond its own roles. */
export interface PlacementContext {
  /** Whose table `ports` come from (kubeadm's when no file names a distribution). */
  distribution: Distribution;
  ports: ClusterPorts;
  /** What the cluster's network plugin needs on every node (empty when no file names one and the distribution has no default). */
  cniPorts: readonly EffectivePort[];
  /** Whether any node has role etcd; if none, the control-plane nodes are the etcd members. */
  anyEtcdRole: boolean;
  /** More than one etcd member: the members need the peer port. */
  etcdHasPeers: boolean;
  /** More than one control-plane node: they need the ports only controllers use between them (k0s's 9443). */
  controlPlaneHasPeers: boolean;
  /** Changes exactly when anything above does, so that node findings can be cached under it. */
  key: string;
}

export interface EtcdMembership {
  anyEtcdRole: boolean;
  members: number;
  /** The control-plane nodes, etcd members or not. */
  controlPlanes: number;
}

/**
 * Whether the etcd members are the nodes with role etcd rather than the control-plane nodes:
 * when some node has that role, and always where the control plane does not stack etcd by
 * default (K3s on SQLite). Placement and the etcd-quorum check both ask this.
 */
export function etcdByRole(distribution: Distribution, anyEtcdRole: boolean): boolean {
  return anyEtcdRole || !DISTRIBUTIONS[distribution].stackedEtcd;
}

export function isEtcdMember(roles: readonly Role[], anyEtcdRole: boolean): boolean {
  return anyEtcdRole ? roles.includes('etcd') : roles.includes('control-plane');
}

/** The etcd members among `nodes`: the nodes with role etcd, or the control-plane nodes when none has it (stacked etcd). */
export function etcdMembership(nodes: readonly NodeFacts[]): EtcdMembership {
  const anyEtcdRole = nodes.some((n) => n.roles.includes('etcd'));
  let members = 0;
  let controlPlanes = 0;
  for (const n of nodes) {
    if (isEtcdMember(n.roles, anyEtcdRole)) members++;
    if (n.roles.includes('control-plane')) controlPlanes++;
  }
  return { anyEtcdRole, members, controlPlanes };
}

export function placementContext(settings: EffectiveSettings, membership: EtcdMembership): PlacementContext {
  const distribution = settings.distribution.id;
  // Where the control plane does not stack etcd by default (K3s on SQLite), only nodes with role etcd are members.
  const explicitEtcd = etcdByRole(distribution, membership.anyEtcdRole);
  const members = explicitEtcd && !membership.anyEtcdRole ? 0 : membership.members;
  const etcdHasPeers = members > 1;
  const controlPlaneHasPeers = membership.controlPlanes > 1;
  return {
    distribution,
    ports: settings.ports,
    cniPorts: settings.cni?.ports ?? [],
    anyEtcdRole: explicitEtcd,
    etcdHasPeers,
    controlPlaneHasPeers,
    key: `${settings.portsKey}|${explicitEtcd}|${etcdHasPeers}|${controlPlaneHasPeers}`,
  };
}

export function placedOn(placement: Placement, roles: readonly Role[], anyEtcdRole: boolean): boolean {
  switch (placement) {
    case 'control-plane':
      return roles.includes('control-plane');
    case 'worker':
      return roles.includes('worker');
    case 'etcd-member':
      return isEtcdMember(roles, anyEtcdRole);
    case 'kubernetes-node':
      return roles.includes('control-plane') || roles.includes('worker');
    case 'any-node':
      return true;
  }
}

/**
 * Lists per role combination, computed once per context: a 5,000-node inventory has a
 * handful of role combinations, not 5,000.
 */
const memo = new WeakMap<PlacementContext, Map<string, EffectivePort[]>>();

function memoized(kind: string, roles: readonly Role[], ctx: PlacementContext, compute: () => EffectivePort[]): EffectivePort[] {
  let lists = memo.get(ctx);
  if (!lists) memo.set(ctx, (lists = new Map()));
  const key = `${kind}:${roles.join(',')}`;
  let list = lists.get(key);
  if (!list) lists.set(key, (list = compute()));
  return list;
}

/** The component ports bound on a node with these roles. */
export function componentsOn(roles: readonly Role[], ctx: PlacementContext): EffectivePort[] {
  return memoized('runs', roles, ctx, () =>
    [...ctx.ports.values(), ...ctx.cniPorts].filter(
      (p) => !p.disabled && p.port.runsOn.some((placement) => placedOn(placement, roles, ctx.anyEtcdRole)),
    ),
  );
}

/** The ports a node's firewall must admit, per its roles (the union for several roles). */
export function firewallRequirements(roles: readonly Role[], ctx: PlacementContext): EffectivePort[] {
  return memoized('open', roles, ctx, () =>
    [...ctx.ports.values(), ...ctx.cniPorts].filter(
      (p) =>
        !p.disabled &&
        p.port.openOn?.some((placement) => placedOn(placement, roles, ctx.anyEtcdRole)) &&
        (!p.port.onlyWithPeers || (p.port.onlyWithPeers === 'etcd-member' ? ctx.etcdHasPeers : ctx.controlPlaneHasPeers)),
    ),
  );
}

export interface MissingPort {
  requirement: EffectivePort;
  /** The uncovered parts of the requirement's range (all of it when nothing covers it). */
  missing: PortRange[];
}

/** Firewall entry ranges per protocol; entries whose port is malformed cover nothing. An IP protocol entry covers it whole. */
function firewallCoverage(node: NodeFacts, protocol: Transport): PortRange[] {
  const covered: PortRange[] = [];
  for (const entry of node.firewall) {
    if (entry.protocol !== protocol) continue;
    if (isIpProtocol(protocol)) {
      covered.push(WHOLE_PROTOCOL);
      continue;
    }
    if (entry.port === undefined) continue;
    const ports = portRangeOf(entry.port.value);
    if (ports) covered.push(ports);
  }
  return covered;
}

/** What an IP protocol entry covers: requirements for IP protocols carry the empty range 0-0. */
const WHOLE_PROTOCOL: PortRange = { low: 0, high: 65535 };

export function missingPorts(node: NodeFacts, ctx: PlacementContext): MissingPort[] {
  const result: MissingPort[] = [];
  const coverage = new Map<Transport, PortRange[]>();
  for (const requirement of firewallRequirements(node.roles, ctx)) {
    const protocol = requirement.port.protocol;
    if (!coverage.has(protocol)) coverage.set(protocol, firewallCoverage(node, protocol));
    const missing = uncoveredParts(requirement.range, coverage.get(protocol)!);
    if (missing.length) result.push({ requirement, missing });
  }
  return result;
}

/** A placement for a cluster with no nodes in view (hovers in kubeadm files). */
export function placementOf(settings: EffectiveSettings): PlacementContext {
  return placementContext(settings, { anyEtcdRole: false, members: 0, controlPlanes: 0 });
}
