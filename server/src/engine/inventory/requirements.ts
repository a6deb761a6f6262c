import type { ClusterPorts, EffectivePort } from '../cluster/ports';
import type { Placement, Protocol, Role } from '../kubernetes/ports';
import { portRangeOf, uncoveredParts } from '../net/portRange';
import type { PortRange } from '../kubernetes/ports';
import type { NodeModel } from './model';

/** What decides which components a node runs, beyond its own roles. */
export interface PlacementContext {
  ports: ClusterPorts;
  /** Whether any node has role etcd; if none, the control-plane nodes are the etcd members. */
  anyEtcdRole: boolean;
  /** More than one etcd member: the members need the peer port. */
  etcdHasPeers: boolean;
}

export function isEtcdMember(roles: readonly Role[], anyEtcdRole: boolean): boolean {
  return anyEtcdRole ? roles.includes('etcd') : roles.includes('control-plane');
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
    [...ctx.ports.values()].filter(
      (p) => !p.disabled && p.port.runsOn.some((placement) => placedOn(placement, roles, ctx.anyEtcdRole)),
    ),
  );
}

/** The ports a node's firewall must admit, per its roles (the union for several roles). */
export function firewallRequirements(roles: readonly Role[], ctx: PlacementContext): EffectivePort[] {
  return memoized('open', roles, ctx, () =>
    [...ctx.ports.values()].filter(
      (p) =>
        !p.disabled &&
        p.port.openOn?.some((placement) => placedOn(placement, roles, ctx.anyEtcdRole)) &&
        (!p.port.onlyWithEtcdPeers || ctx.etcdHasPeers),
    ),
  );
}

export interface MissingPort {
  requirement: EffectivePort;
  /** The uncovered parts of the requirement's range (all of it when nothing covers it). */
  missing: PortRange[];
}

/** Firewall rule ranges per protocol; rules whose port is malformed cover nothing. */
export function firewallCoverage(node: NodeModel, protocol: Protocol): PortRange[] {
  const covered: PortRange[] = [];
  for (const rule of node.firewall) {
    if (rule.protocol !== protocol || rule.port === undefined) continue;
    const ports = portRangeOf(rule.port.value);
    if (ports) covered.push(ports);
  }
  return covered;
}

export function missingPorts(node: NodeModel, ctx: PlacementContext): MissingPort[] {
  const result: MissingPort[] = [];
  const coverage = new Map<Protocol, PortRange[]>();
  for (const requirement of firewallRequirements(node.roles, ctx)) {
    const protocol = requirement.port.protocol;
    if (!coverage.has(protocol)) coverage.set(protocol, firewallCoverage(node, protocol));
    const missing = uncoveredParts(requirement.range, coverage.get(protocol)!);
    if (missing.length) result.push({ requirement, missing });
  }
  return result;
}
