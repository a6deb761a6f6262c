/**
 * nftables: per role combination, a chain `cluster_preflight` in `table inet filter` (where
 * Debian's and Fedora's stock rulesets keep their input chain) with one named set per kind of
 * peer. nftables evaluates every base chain of a hook and a drop anywhere wins, so the chain is
 * not hooked itself: the user's input chain jumps to it before its final drop.
 */
import type { Placement } from '../../../knowledge/ports';
import type { FirewallPlan, FirewallRule } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, hostSections, identifier, sectionTitle, shortLabel } from '../text';

const setName = (plan: FirewallPlan, id: Placement, family: 'ipv4' | 'ipv6') =>
  `cluster_preflight_${identifier(plan.sets.get(id)!.label)}_${family === 'ipv4' ? 'v4' : 'v6'}`;

function match(rule: FirewallRule, family: 'ipv4' | 'ipv6'): string {
  if (rule.ports) {
    const ports = rule.ports.low === rule.ports.high ? `${rule.ports.low}` : `${rule.ports.low}-${rule.ports.high}`;
    return `${rule.protocol.toLowerCase()} dport ${ports}`;
  }
  if (rule.icmp) {
    const type = rule.icmp.type === 8 ? 'echo-request' : String(rule.icmp.type);
    return family === 'ipv4' ? `icmp type ${type}` : `icmpv6 type ${rule.icmp.type === 8 ? 'echo-request' : type}`;
  }
  return `meta l4proto ${rule.protocolNumber}`;
}

export function renderNftables(plan: FirewallPlan): string {
  const out: string[] = [
    ...commentLines(headerLines(plan, 'nftables')),
    '#',
    '# Each section is for the nodes it names (--node <name> prints one node alone). Load it with',
    '# `nft -f <file>` and add `jump cluster_preflight` to your input chain before its final drop:',
    '# nftables stops at the first drop of any chain, so rules after it never admit anything.',
  ];
  for (const section of hostSections(plan)) {
    out.push('', ...commentLines([sectionTitle(section)]), 'table inet filter {');
    const sets = new Map<string, string[]>();
    const body: string[] = [];
    for (const rule of section.rules) {
      body.push(`\t\t# ${shortLabel(rule)}: ${ruleReason(rule)}`);
      const networks = ruleNetworks(plan, rule);
      const verdict = `accept comment "${shortLabel(rule)}"`;
      if (!networks) {
        if (rule.icmp) body.push(`\t\t${match(rule, 'ipv4')} ${verdict}`, `\t\t${match(rule, 'ipv6')} ${verdict}`);
        else body.push(`\t\t${match(rule, 'ipv4')} ${verdict}`);
        continue;
      }
      const peers = rule.sources.kind === 'networks' ? rule.sources.peers : undefined;
      const peerSet = peers ? plan.sets.get(peers)!.networks : { ipv4: [], ipv6: [] };
      const outside = rule.sources.kind === 'networks' ? rule.sources.outside : { ipv4: [], ipv6: [] };
      let written = false;
      for (const family of ['ipv4', 'ipv6'] as const) {
        const selector = family === 'ipv4' ? 'ip saddr' : 'ip6 saddr';
        if (peers && peerSet[family].length) {
          const name = setName(plan, peers, family);
          sets.set(name, peerSet[family]);
          body.push(`\t\t${selector} @${name} ${match(rule, family)} ${verdict}`);
          written = true;
        }
        if (outside[family].length) {
          body.push(`\t\t${selector} { ${outside[family].join(', ')} } ${match(rule, family)} ${verdict}`);
          written = true;
        }
      }
      if (!written)
        body.push(`\t\t# Not written: no address is known for the ${peers ? plan.sets.get(peers)!.label : 'sources'}.`);
    }
    for (const [name, elements] of sets) {
      out.push(`\tset ${name} {`, `\t\ttype ${name.endsWith('_v4') ? 'ipv4_addr' : 'ipv6_addr'}`, '\t\tflags interval');
      out.push(`\t\telements = { ${elements.join(', ')} }`, '\t}');
    }
    out.push('\tchain cluster_preflight {', ...body, '\t}', '}');
  }
  if (hostSections(plan).length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}
