/**
 * What every renderer writes the same way: the header's sentences and the rule of the game for
 * text from the user's files. Hostnames, cluster names and unreadable addresses come from
 * files we do not trust; they only ever appear inside comments, made one line of printable
 * characters first, so that a name cannot end a comment and start a rule (a shell command, an
 * nft statement, an HCL block). Addresses and ports are written only after they were parsed.
 */
import { nodeGroups, type FirewallPlan, type FirewallRule } from './plan';

/** One line of printable text: line breaks, control and format characters become spaces. */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Lines of a comment block with the given marker ("#", "//"), each made safe. */
export function commentLines(lines: readonly string[], marker = '#'): string[] {
  return lines.map((line) => (line ? `${marker} ${oneLine(line, 2000)}` : marker));
}

/** The sentences every output starts with: which cluster, from what, and what the user must know. */
export function headerLines(plan: FirewallPlan, format: string): string[] {
  const lines = [
    `Cluster Preflight: ${format} firewall rules for cluster ${plan.cluster}`,
    `Distribution: ${plan.distribution.label}; network plugin: ${plan.cni ?? 'none named'}; peers admitted by ${plan.options.peers === 'subnet' ? 'subnet' : 'node address'}.`,
  ];
  const outside = [...plan.outside.ipv4, ...plan.outside.ipv6];
  lines.push(
    outside.length
      ? `Ports used from outside the cluster (API server, NodePorts, load-balancer health checks) admit ${outside.join(', ')}.`
      : 'Ports used from outside the cluster (API server, NodePorts, load-balancer health checks) admit anywhere: pass --allow-from <cidr> to narrow them.',
  );
  lines.push(
    plan.options.essentialOnly
      ? 'Only the required ports (--essential-only); health, metrics and registry ports are left out.'
      : 'Optional ports (health, metrics, registry: warnings when missing) are included and marked; --essential-only leaves them out.',
  );
  for (const note of plan.notes) lines.push(`NOTE: ${note}`);
  return lines;
}

/** "for control-plane nodes: cp-1, cp-2, cp-3": whom one section of a host firewall is for. */
export function sectionTitle(group: { name: string; members: readonly string[] }): string {
  const shown = group.members.slice(0, 20).join(', ');
  const more = group.members.length > 20 ? ` and ${group.members.length - 20} more` : '';
  return `For the ${group.name}: ${shown}${more}`;
}

/** Sections of host firewalls: one per role combination of the nodes selected. */
export function hostSections(plan: FirewallPlan) {
  return nodeGroups(plan);
}

/** A short label for a rule, from our own table only: "etcd 2380/TCP". */
export function shortLabel(rule: FirewallRule): string {
  const what = rule.ports
    ? `${rule.ports.low === rule.ports.high ? rule.ports.low : `${rule.ports.low}-${rule.ports.high}`}/${rule.protocol}`
    : rule.protocol;
  return `${rule.component} ${what}`;
}

/** An identifier made of [a-z0-9_] from our own ids ("cni-calico-bgp" → "cni_calico_bgp"). */
export function identifier(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
}
