/**
 * iptables-restore input: a chain CLUSTER-PREFLIGHT in the filter table, one rule per source
 * network. Declaring the chain flushes it, so loading the file again (`iptables-restore --noflush`)
 * replaces the rules rather than doubling them; INPUT jumps to it once. IPv6 sources go to a
 * second block for ip6tables-restore, which reads the same syntax.
 */
import type { FirewallPlan, FirewallRule } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, hostSections, sectionTitle, shortLabel } from '../text';

function match(rule: FirewallRule, family: 'ipv4' | 'ipv6'): string {
  if (rule.ports) {
    const proto = rule.protocol.toLowerCase();
    const ports = rule.ports.low === rule.ports.high ? `${rule.ports.low}` : `${rule.ports.low}:${rule.ports.high}`;
    return `-p ${proto} -m ${proto} --dport ${ports}`;
  }
  if (rule.icmp)
    return family === 'ipv4'
      ? `-p icmp -m icmp --icmp-type ${rule.icmp.type}/${rule.icmp.code}`
      : `-p ipv6-icmp -m icmp6 --icmpv6-type ${rule.icmp.type === 8 ? 128 : rule.icmp.type}/${rule.icmp.code}`;
  return `-p ${rule.protocolNumber}`;
}

function block(plan: FirewallPlan, rules: readonly FirewallRule[], family: 'ipv4' | 'ipv6'): string[] {
  const lines = ['*filter', ':CLUSTER-PREFLIGHT - [0:0]'];
  for (const rule of rules) {
    const networks = ruleNetworks(plan, rule);
    const sources = networks ? networks[family] : [undefined];
    if (sources.length === 0) continue;
    lines.push(`# ${shortLabel(rule)}: ${ruleReason(rule)}`);
    for (const source of sources)
      lines.push(
        `-A CLUSTER-PREFLIGHT${source ? ` -s ${source}` : ''} ${match(rule, family)} -m comment --comment "${shortLabel(rule)}" -j ACCEPT`,
      );
  }
  lines.push('COMMIT');
  return lines;
}

export function renderIptables(plan: FirewallPlan): string {
  const out: string[] = [
    ...commentLines(headerLines(plan, 'iptables-restore')),
    '#',
    '# Each section is for the nodes it names (--node <name> prints one node alone). Load a section with',
    '# `iptables-restore --noflush < file`, then once: `iptables -I INPUT -j CLUSTER-PREFLIGHT`. The jump must',
    '# come before any DROP or REJECT rule of INPUT: iptables stops at the first rule that decides.',
  ];
  for (const section of hostSections(plan)) {
    out.push('', ...commentLines([sectionTitle(section)]), ...block(plan, section.rules, 'ipv4'));
    const v6 = section.rules.some((r) => {
      const n = ruleNetworks(plan, r);
      return n !== undefined && n.ipv6.length > 0;
    });
    if (v6) out.push('# For ip6tables-restore (IPv6 sources): save this block apart.', ...block(plan, section.rules, 'ipv6'));
  }
  if (hostSections(plan).length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}
