/**
 * ufw: `ufw allow` commands, one per source network. ufw cannot name IP-in-IP, ICMP or SCTP in
 * a rule; for those the output gives the lines to add to /etc/ufw/before.rules instead, where
 * ufw keeps its raw iptables rules.
 */
import type { FirewallPlan, FirewallRule } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, hostSections, sectionTitle, shortLabel } from '../text';

/** IP protocols ufw's `proto` takes by name. */
const UFW_PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', ESP: 'esp', GRE: 'gre' };

function beforeRule(rule: FirewallRule, source: string | undefined): string {
  const from = source ? ` -s ${source}` : '';
  if (rule.ports) {
    const proto = rule.protocol.toLowerCase();
    return `-A ufw-before-input${from} -p ${proto} -m ${proto} --dport ${rule.ports.low}:${rule.ports.high} -j ACCEPT`;
  }
  if (rule.icmp) return `-A ufw-before-input${from} -p icmp --icmp-type ${rule.icmp.type}/${rule.icmp.code} -j ACCEPT`;
  return `-A ufw-before-input${from} -p ${rule.protocolNumber} -j ACCEPT`;
}

export function renderUfw(plan: FirewallPlan): string {
  const out: string[] = [
    '#!/bin/sh',
    ...commentLines(headerLines(plan, 'ufw')),
    '#',
    '# Each section is for the nodes it names (--node <name> prints one node alone): run it there.',
    '# ufw adds its allow rules before its default deny, so their order does not matter here.',
    'set -eu',
  ];
  for (const section of hostSections(plan)) {
    out.push('', ...commentLines([sectionTitle(section)]));
    for (const rule of section.rules) {
      out.push(`# ${shortLabel(rule)}: ${ruleReason(rule)}`);
      const networks = ruleNetworks(plan, rule);
      const sources: Array<string | undefined> = networks ? [...networks.ipv4, ...networks.ipv6] : [undefined];
      if (sources.length === 0) {
        out.push('# Not written: no address is known for its sources.');
        continue;
      }
      const proto = UFW_PROTOCOLS[rule.protocol];
      if (!proto) {
        out.push(
          `# ufw cannot admit ${rule.protocol} in a rule: add these lines to /etc/ufw/before.rules (before COMMIT), then run ufw reload.`,
        );
        for (const source of sources) if (!source?.includes(':')) out.push(`#   ${beforeRule(rule, source)}`);
        if (sources.some((s) => s?.includes(':')))
          out.push('#   (IPv6 sources: the same lines in /etc/ufw/before6.rules, ufw6-before-input)');
        continue;
      }
      const ports = rule.ports
        ? ` port ${rule.ports.low === rule.ports.high ? rule.ports.low : `${rule.ports.low}:${rule.ports.high}`}`
        : '';
      for (const source of sources)
        out.push(`ufw allow proto ${proto} from ${source ?? 'any'} to any${ports} comment '${shortLabel(rule)}'`);
    }
  }
  if (hostSections(plan).length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}
