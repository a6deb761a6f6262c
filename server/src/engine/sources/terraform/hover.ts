/**
 * Hovers in Terraform files: on a security group's rule, what it admits, which of the cluster's
 * requirements it serves and for which nodes, or why its port, protocol or source cannot be
 * known; on the group's resource line, the nodes behind it.
 */
import type { Position, Range } from '../../core/text/positions';
import { rangesOverlap } from '../../knowledge/net/portRange';
import { formatTransport } from '../../knowledge/ports';
import { nodeLabel } from '../../model/cluster';
import { guardsOf, type ExternalFirewallEntry, type FirewallContribution } from '../../model/firewalls';
import { firewallRequirements } from '../../model/placement';
import type { HoverContext } from '../kind';

function contains(range: Range, position: Position): boolean {
  const afterStart =
    position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd =
    position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function describeEntry(entry: ExternalFirewallEntry): string {
  const protocol = entry.protocol;
  if (protocol === 'all') return 'every protocol and port';
  if (protocol === 'unknown' || entry.ports === 'unknown') return 'ports not known';
  if (protocol === 'other') return 'a protocol Kubernetes does not use';
  return entry.ports === 'all' ? `all of ${protocol}` : formatTransport(entry.ports, protocol);
}

function describeSources(entry: ExternalFirewallEntry): string {
  if (entry.sources.length === 0) return 'no source written';
  return entry.sources
    .map(({ source }) =>
      source.kind === 'cidr'
        ? source.cidr.text
        : source.kind === 'members'
          ? `members of ${source.label}`
          : source.kind === 'any'
            ? 'anywhere'
            : `unknown (${source.why})`,
    )
    .join(', ');
}

export function terraformHover(position: Position, context: HoverContext): { markdown: string; range: Range } | undefined {
  const model = context.model;
  if (!model || model.firewalls.firewalls.length === 0) return undefined;
  const guards = guardsOf(model.firewalls, model.nodes);
  const behind = (firewall: FirewallContribution) => guards.filter((g) => g.firewalls.includes(firewall));
  for (const firewall of model.firewalls.firewalls) {
    if (firewall.header.origin.uri === context.uri && contains(firewall.header.range, position)) {
      const nodes = behind(firewall);
      const lines = [
        `**${firewall.label}**: a cloud firewall in front of ${nodes.length} node${nodes.length === 1 ? '' : 's'} of this cluster.`,
      ];
      if (nodes.length)
        lines.push(
          '',
          nodes
            .slice(0, 20)
            .map((g) => `- ${nodeLabel(g.node)} (${g.node.roles.join(', ') || 'no role'})`)
            .join('\n'),
        );
      if (firewall.incomplete)
        lines.push('', `Some of its rules are not known (${firewall.incomplete}): no port is reported missing.`);
      return { markdown: lines.join('\n'), range: firewall.header.range };
    }
    for (const entry of firewall.entries) {
      const at = entry.at;
      if (at.origin.uri !== context.uri || !contains(at.range, position)) continue;
      const lines = [`**${firewall.label}** admits ${describeEntry(entry)} from ${describeSources(entry)}.`];
      if (entry.unknown) {
        lines.push(
          '',
          `Terraform knows this rule only when it runs: ${entry.unknown}. It neither counts as admitting a port nor makes one missing.`,
        );
      } else if (entry.protocol !== 'other' && entry.protocol !== 'unknown') {
        const served = new Map<string, string[]>();
        for (const guard of behind(firewall)) {
          for (const requirement of firewallRequirements(guard.node.roles, context.placement)) {
            const protocolMatches = entry.protocol === 'all' || entry.protocol === requirement.port.protocol;
            const portsMatch =
              entry.ports === 'all' || (typeof entry.ports === 'object' && rangesOverlap(entry.ports, requirement.range));
            if (!protocolMatches || !portsMatch) continue;
            const key = `${formatTransport(requirement.range, requirement.port.protocol)} — ${requirement.port.purpose} (${requirement.port.component})`;
            const list = served.get(key) ?? [];
            list.push(nodeLabel(guard.node));
            served.set(key, list);
          }
        }
        if (served.size) {
          lines.push('', 'What the nodes behind it need through this rule:');
          for (const [what, nodes] of served)
            lines.push(`- ${what}: ${nodes.slice(0, 5).join(', ')}${nodes.length > 5 ? ` and ${nodes.length - 5} more` : ''}`);
        }
      }
      return { markdown: lines.join('\n'), range: at.range };
    }
  }
  return undefined;
}
