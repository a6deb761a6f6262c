/**
 * firewalld: a `firewall-cmd` script, or a zone file. A port open to anyone is a zone port; a
 * port for some sources is a rich rule per source network (a zone's sources would admit them to
 * every port of the zone). IP protocols are written by number: /etc/protocols calls 4 "ipencap"
 * and gives "ipip" to 94, so a name would admit the wrong protocol.
 */
import type { FirewallPlan, FirewallRule } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, hostSections, oneLine, sectionTitle, shortLabel } from '../text';

/** The rich rules (without the "rule" framing) or zone port one rule needs. */
interface FirewalldEntry {
  /** `6443/tcp` for a zone port open to anyone. */
  port?: string;
  /** A rich rule in firewall-cmd's language. */
  rich?: string;
  family?: 'ipv4' | 'ipv6';
  source?: string;
}

function portsText(rule: FirewallRule): string {
  return rule.ports!.low === rule.ports!.high ? `${rule.ports!.low}` : `${rule.ports!.low}-${rule.ports!.high}`;
}

function element(rule: FirewallRule, family?: 'ipv4' | 'ipv6'): string {
  if (rule.ports) return `port port="${portsText(rule)}" protocol="${rule.protocol.toLowerCase()}"`;
  if (rule.icmp) return `icmp-type name="echo-request"`;
  return `protocol value="${family === 'ipv6' && rule.protocol === 'ICMP' ? 'ipv6-icmp' : rule.protocolNumber}"`;
}

/** What firewalld needs for one rule, in firewall-cmd's rich-rule language. */
export function firewalldEntries(plan: FirewallPlan, rule: FirewallRule): FirewalldEntry[] {
  const networks = ruleNetworks(plan, rule);
  if (!networks) {
    if (rule.ports) return [{ port: `${portsText(rule)}/${rule.protocol.toLowerCase()}` }];
    // ICMP echo to anyone: a rich rule per family (an icmp-type needs no family, but stays explicit).
    return [{ rich: `rule ${element(rule)} accept` }];
  }
  const entries: FirewalldEntry[] = [];
  for (const family of ['ipv4', 'ipv6'] as const)
    for (const source of networks[family])
      entries.push({
        rich: `rule family="${family}" source address="${source}" ${element(rule, family)} accept`,
        family,
        source,
      });
  return entries;
}

export function renderFirewalldScript(plan: FirewallPlan): string {
  const out: string[] = [
    '#!/bin/sh',
    ...commentLines(headerLines(plan, 'firewalld (firewall-cmd)')),
    '#',
    '# Each section is for the nodes it names (--node <name> prints one node alone): run it there.',
    "# The zone is the one the nodes' cluster interface is in (ZONE=internal sh <file>); rules are",
    '# permanent and loaded at the end.',
    'set -eu',
    'ZONE="${ZONE:-public}"',
  ];
  for (const section of hostSections(plan)) {
    out.push('', ...commentLines([sectionTitle(section)]));
    for (const rule of section.rules) {
      out.push(`# ${shortLabel(rule)}: ${ruleReason(rule)}`);
      const entries = firewalldEntries(plan, rule);
      if (entries.length === 0) out.push('# Not written: no address is known for its sources.');
      for (const entry of entries)
        out.push(
          entry.port
            ? `firewall-cmd --permanent --zone="$ZONE" --add-port=${entry.port}`
            : `firewall-cmd --permanent --zone="$ZONE" --add-rich-rule='${entry.rich}'`,
        );
    }
  }
  if (hostSections(plan).length === 0) out.push('', '# No rules: see the notes above.');
  else out.push('', 'firewall-cmd --reload');
  return out.join('\n') + '\n';
}

/** XML comment text: one line, and never "--", which would end the comment early. */
const xmlComment = (text: string) =>
  `<!-- ${oneLine(text, 2000)
    .replace(/-(?=-)/g, '- ')
    .replace(/-$/, '- ')} -->`;

function xmlRule(rule: FirewallRule, entry: FirewalldEntry): string {
  if (entry.port) {
    const [port, protocol] = entry.port.split('/');
    return `  <port port="${port}" protocol="${protocol}"/>`;
  }
  const family = entry.family ? ` family="${entry.family}"` : '';
  const source = entry.source ? `<source address="${entry.source}"/>` : '';
  let what: string;
  if (rule.ports) what = `<port port="${portsText(rule)}" protocol="${rule.protocol.toLowerCase()}"/>`;
  else if (rule.icmp) what = '<icmp-type name="echo-request"/>';
  else what = `<protocol value="${rule.protocolNumber}"/>`;
  return `  <rule${family}>${source}${what}<accept/></rule>`;
}

export function renderFirewalldXml(plan: FirewallPlan): string {
  const out: string[] = [
    ...headerLines(plan, 'firewalld zone file').map(xmlComment),
    xmlComment(
      'Each zone below is for the nodes it names (--node <name> prints one node alone): save it as /etc/firewalld/zones/cluster-preflight.xml there, then bind the cluster interface to it (firewall-cmd --permanent --zone=cluster-preflight --change-interface=<interface>) and run firewall-cmd --reload.',
    ),
  ];
  for (const section of hostSections(plan)) {
    // No XML declaration: it would have to come before the comments above, and firewalld needs none.
    out.push('', xmlComment(sectionTitle(section)), '<zone>');
    out.push(
      '  <short>cluster-preflight</short>',
      `  <description>Ports the ${section.name} need (Cluster Preflight)</description>`,
    );
    for (const rule of section.rules) {
      out.push(`  ${xmlComment(`${shortLabel(rule)}: ${ruleReason(rule)}`)}`);
      for (const entry of firewalldEntries(plan, rule)) out.push(xmlRule(rule, entry));
    }
    out.push('</zone>');
  }
  if (hostSections(plan).length === 0) out.push('', xmlComment('No rules: see the notes above.'));
  return out.join('\n') + '\n';
}
