/**
 * Terraform: one security group (AWS, OpenStack) or firewall (Hetzner Cloud) per role group,
 * with its ingress rules. Every string written comes from our own tables or from parsed
 * addresses, and still goes through `hclString` (quotes, backslashes and `${`/`%{` templates
 * escaped); user text appears only in comments.
 */
import type { Role } from '../../../knowledge/ports';
import type { FirewallPlan, FirewallRule } from '../plan';
import { ruleNetworks, ruleReason } from '../plan';
import { commentLines, headerLines, identifier, shortLabel } from '../text';

/** An HCL quoted string. */
export function hclString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

const list = (items: readonly string[]) => `[${items.map(hclString).join(', ')}]`;

/** AWS accepts only these characters in a rule's description. */
const awsDescription = (text: string) => text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '').slice(0, 255);

const resourceName = (role: Role) => `cluster_preflight_${identifier(role)}`;

function header(plan: FirewallPlan, format: string, extra: string[]): string[] {
  return [...commentLines(headerLines(plan, format)), '#', ...commentLines(extra)];
}

/** Assignments aligned on their "=", as `terraform fmt` writes them. */
function block(open: string, fields: Array<[string, string]>, indent = ''): string[] {
  const width = Math.max(...fields.map(([k]) => k.length));
  return [`${indent}${open} {`, ...fields.map(([k, v]) => `${indent}  ${k.padEnd(width)} = ${v}`), `${indent}}`];
}

/** The networks of a rule, with "anywhere" spelled out for clouds, which have no "no source". */
function cloudNetworks(plan: FirewallPlan, rule: FirewallRule): { ipv4: string[]; ipv6: string[] } {
  return ruleNetworks(plan, rule) ?? { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] };
}

const reason = (rule: FirewallRule) => `# ${shortLabel(rule)}: ${ruleReason(rule)}`;

export function renderTerraformAws(plan: FirewallPlan): string {
  const out = header(plan, 'Terraform (AWS security groups)', [
    'One security group per role group: attach each to the instances of its group (vpc_security_group_ids).',
    'Security groups are a union of allows: order does not matter. var.vpc_id is the VPC of the instances.',
  ]);
  out.push('', 'variable "vpc_id" {', '  type = string', '}');
  for (const group of plan.groups) {
    const sg = resourceName(group.role);
    out.push(
      '',
      ...commentLines([
        `The ${group.name}: ${group.members.slice(0, 20).join(', ')}${group.members.length > 20 ? ` and ${group.members.length - 20} more` : ''}`,
      ]),
      ...block(`resource "aws_security_group" "${sg}"`, [
        ['name_prefix', hclString(`cluster-preflight-${group.role}-`)],
        ['description', hclString(`Ports the ${group.name} need (Cluster Preflight)`)],
        ['vpc_id', 'var.vpc_id'],
      ]),
    );
    for (const rule of group.rules) {
      const networks = cloudNetworks(plan, rule);
      out.push('', reason(rule));
      if (networks.ipv4.length + networks.ipv6.length === 0) {
        out.push('# Not written: no address is known for its sources.');
        continue;
      }
      const variants: Array<{ suffix: string; protocol: string; from: number; to: number; v4: string[]; v6: string[] }> = [];
      if (rule.ports)
        variants.push({
          suffix: '',
          protocol: rule.protocol === 'SCTP' ? '132' : rule.protocol.toLowerCase(),
          from: rule.ports.low,
          to: rule.ports.high,
          v4: networks.ipv4,
          v6: networks.ipv6,
        });
      else if (rule.icmp) {
        if (networks.ipv4.length)
          variants.push({ suffix: '', protocol: 'icmp', from: rule.icmp.type, to: rule.icmp.code, v4: networks.ipv4, v6: [] });
        if (networks.ipv6.length)
          variants.push({ suffix: '_v6', protocol: 'icmpv6', from: 128, to: rule.icmp.code, v4: [], v6: networks.ipv6 });
      } else
        // Any protocol but TCP, UDP and ICMP admits the whole protocol; AWS ignores the ports.
        variants.push({
          suffix: '',
          protocol: String(rule.protocolNumber),
          from: 0,
          to: 0,
          v4: networks.ipv4,
          v6: networks.ipv6,
        });
      for (const v of variants) {
        const fields: Array<[string, string]> = [
          ['type', '"ingress"'],
          ['security_group_id', `aws_security_group.${sg}.id`],
          ['protocol', hclString(v.protocol)],
          ['from_port', String(v.from)],
          ['to_port', String(v.to)],
        ];
        if (v.v4.length) fields.push(['cidr_blocks', list(v.v4)]);
        if (v.v6.length) fields.push(['ipv6_cidr_blocks', list(v.v6)]);
        fields.push(['description', hclString(awsDescription(shortLabel(rule)))]);
        out.push(...block(`resource "aws_security_group_rule" "${sg}_${identifier(rule.id)}${v.suffix}"`, fields));
      }
    }
  }
  if (plan.groups.length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}

/** Hetzner Cloud firewall rules take these protocols only. */
const HCLOUD_PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', GRE: 'gre', ESP: 'esp' };

export function renderTerraformHcloud(plan: FirewallPlan): string {
  const out = header(plan, 'Terraform (Hetzner Cloud firewalls)', [
    'One firewall per role group: apply each to the servers of its group (apply_to, or hcloud_firewall_attachment).',
    'Hetzner Cloud firewalls filter the public interface only: traffic over a private network passes',
    'unfiltered, so on private networks these rules admit nothing more and block nothing; they matter for',
    'nodes that talk over public addresses. Rules are a union of allows.',
  ]);
  for (const group of plan.groups) {
    out.push(
      '',
      ...commentLines([
        `The ${group.name}: ${group.members.slice(0, 20).join(', ')}${group.members.length > 20 ? ` and ${group.members.length - 20} more` : ''}`,
      ]),
      `resource "hcloud_firewall" "${resourceName(group.role)}" {`,
      `  name = ${hclString(`cluster-preflight-${group.role}`)}`,
    );
    for (const rule of group.rules) {
      out.push('', `  ${reason(rule)}`);
      const protocol = HCLOUD_PROTOCOLS[rule.protocol];
      if (!protocol) {
        out.push(`  # Not written: Hetzner Cloud firewalls cannot admit ${rule.protocol}; it passes only on a private network.`);
        continue;
      }
      const networks = cloudNetworks(plan, rule);
      const sources = [...networks.ipv4, ...networks.ipv6];
      if (sources.length === 0) {
        out.push('  # Not written: no address is known for its sources.');
        continue;
      }
      const fields: Array<[string, string]> = [
        ['direction', '"in"'],
        ['protocol', hclString(protocol)],
      ];
      if (rule.ports)
        fields.push([
          'port',
          hclString(rule.ports.low === rule.ports.high ? `${rule.ports.low}` : `${rule.ports.low}-${rule.ports.high}`),
        ]);
      fields.push(['source_ips', list(sources)], ['description', hclString(shortLabel(rule))]);
      out.push(...block('rule', fields, '  '));
    }
    out.push('}');
  }
  if (plan.groups.length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}

export function renderTerraformOpenstack(plan: FirewallPlan): string {
  const out = header(plan, 'Terraform (OpenStack security groups)', [
    'One security group per role group: add each to the instances of its group (security_groups).',
    'Security groups are a union of allows: order does not matter.',
  ]);
  for (const group of plan.groups) {
    const sg = resourceName(group.role);
    out.push(
      '',
      ...commentLines([
        `The ${group.name}: ${group.members.slice(0, 20).join(', ')}${group.members.length > 20 ? ` and ${group.members.length - 20} more` : ''}`,
      ]),
      ...block(`resource "openstack_networking_secgroup_v2" "${sg}"`, [
        ['name', hclString(`cluster-preflight-${group.role}`)],
        ['description', hclString(`Ports the ${group.name} need (Cluster Preflight)`)],
      ]),
    );
    for (const rule of group.rules) {
      const networks = cloudNetworks(plan, rule);
      out.push('', reason(rule));
      if (networks.ipv4.length + networks.ipv6.length === 0) out.push('# Not written: no address is known for its sources.');
      for (const family of ['ipv4', 'ipv6'] as const) {
        const prefixes = networks[family];
        if (prefixes.length === 0) continue;
        let protocol: string;
        if (rule.ports) protocol = rule.protocol.toLowerCase();
        else if (rule.icmp) protocol = family === 'ipv4' ? 'icmp' : 'ipv6-icmp';
        else protocol = String(rule.protocolNumber);
        const fields: Array<[string, string]> = [
          ['for_each', `toset(${list(prefixes)})`],
          ['direction', '"ingress"'],
          ['ethertype', family === 'ipv4' ? '"IPv4"' : '"IPv6"'],
          ['protocol', hclString(protocol)],
        ];
        if (rule.ports) fields.push(['port_range_min', String(rule.ports.low)], ['port_range_max', String(rule.ports.high)]);
        else if (rule.icmp)
          fields.push(
            ['port_range_min', String(family === 'ipv4' ? rule.icmp.type : 128)],
            ['port_range_max', String(rule.icmp.code)],
          );
        fields.push(
          ['remote_ip_prefix', 'each.value'],
          ['security_group_id', `openstack_networking_secgroup_v2.${sg}.id`],
          ['description', hclString(shortLabel(rule))],
        );
        out.push(
          ...block(
            `resource "openstack_networking_secgroup_rule_v2" "${sg}_${identifier(rule.id)}_${family === 'ipv4' ? 'v4' : 'v6'}"`,
            fields,
          ),
        );
      }
    }
  }
  if (plan.groups.length === 0) out.push('', '# No rules: see the notes above.');
  return out.join('\n') + '\n';
}
