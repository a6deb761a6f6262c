/**
 * Our own inventory's `firewall:` lists: per role combination, the list each of its nodes takes,
 * one entry per source network. Pasted under the nodes it names, the inventory then passes
 * missing-port-rule and firewall-source-excludes-peers (a test checks it).
 */
import type { FirewallPlan } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, hostSections, sectionTitle, shortLabel } from '../text';

export function renderInventory(plan: FirewallPlan): string {
  const out: string[] = [
    ...commentLines(headerLines(plan, 'Cluster Preflight inventory')),
    '#',
    '# Each list is for the nodes it names: paste it as their `firewall:` key (spec.nodes[].firewall).',
    '# The lists are separate YAML documents (---), one per role combination.',
  ];
  for (const section of hostSections(plan)) {
    out.push('---', ...commentLines([sectionTitle(section)]), 'firewall:');
    let entries = 0;
    for (const rule of section.rules) {
      const networks = ruleNetworks(plan, rule);
      const sources: Array<string | undefined> = networks ? [...networks.ipv4, ...networks.ipv6] : [undefined];
      out.push(`  # ${shortLabel(rule)}: ${ruleReason(rule)}`);
      if (sources.length === 0) out.push('  # Not written: no address is known for its sources.');
      for (const source of sources) {
        entries++;
        out.push(
          rule.ports
            ? `  - port: ${rule.ports.low === rule.ports.high ? rule.ports.low : `${rule.ports.low}-${rule.ports.high}`}`
            : `  - protocol: ${rule.protocol}`,
        );
        if (rule.ports && rule.protocol !== 'TCP') out.push(`    protocol: ${rule.protocol}`);
        if (source) out.push(`    source: ${source.includes(':') ? JSON.stringify(source) : source}`);
        out.push(`    comment: ${JSON.stringify(`${shortLabel(rule)}${rule.severity === 'warning' ? ' (optional)' : ''}`)}`);
      }
    }
    if (entries === 0) out.push('  # (no entries)');
  }
  if (hostSections(plan).length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}
