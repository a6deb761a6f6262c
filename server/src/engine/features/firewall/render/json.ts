/**
 * The rule set itself, format-neutral, for scripts and other generators: per cluster its address
 * sets (each once), role groups and nodes, rules naming the sets they admit.
 */
import type { FirewallPlan, FirewallRule } from '../plan';

function ruleJson(rule: FirewallRule) {
  return {
    id: rule.id,
    component: rule.component,
    purpose: rule.purpose,
    protocol: rule.protocol,
    ...(rule.ports
      ? { ports: rule.ports.low === rule.ports.high ? `${rule.ports.low}` : `${rule.ports.low}-${rule.ports.high}` }
      : {}),
    ...(rule.protocolNumber !== undefined ? { protocolNumber: rule.protocolNumber } : {}),
    ...(rule.icmp ? { icmp: rule.icmp } : {}),
    severity: rule.severity,
    optional: rule.severity === 'warning',
    docs: rule.docs,
    sources:
      rule.sources.kind === 'anywhere'
        ? { anywhere: true }
        : { ...(rule.sources.peers ? { set: rule.sources.peers } : {}), networks: rule.sources.outside },
  };
}

export function planJson(plan: FirewallPlan) {
  return {
    cluster: plan.cluster,
    distribution: plan.distribution.id,
    cni: plan.cni ?? null,
    peers: plan.options.peers,
    allowFrom: plan.outside,
    essentialOnly: plan.options.essentialOnly,
    notes: plan.notes,
    sets: [...plan.sets.values()].map((s) => ({ id: s.id, label: s.label, networks: s.networks, unresolved: s.unresolved })),
    groups: plan.groups.map((g) => ({ role: g.role, name: g.name, members: g.members, rules: g.rules.map(ruleJson) })),
    nodes: plan.nodes.map((n) => ({ name: n.name, roles: n.roles, addresses: n.addresses, rules: n.rules.map((r) => r.id) })),
  };
}

export function renderJson(plans: readonly FirewallPlan[]): string {
  return JSON.stringify({ clusters: plans.map(planJson) }, null, 2) + '\n';
}
