/**
 * The output formats of `cluster-preflight firewall` and the editor command, in one table: the
 * CLI validates `--format` against it, the editor offers it in a quick pick and opens the result
 * in the language named here.
 */
import type { FirewallPlan } from './plan';
import { renderAnsible } from './render/ansible';
import { renderFirewalldScript, renderFirewalldXml } from './render/firewalld';
import { renderInventory } from './render/inventory';
import { renderIptables } from './render/iptables';
import { renderJson } from './render/json';
import { renderNftables } from './render/nftables';
import { renderTerraformAws, renderTerraformHcloud, renderTerraformOpenstack } from './render/terraform';
import { renderUfw } from './render/ufw';

/** What a renderer may know beyond the plan: whether the cluster is described by a Kubespray inventory. */
export interface RenderContext {
  kubespray: boolean;
}

export interface FirewallFormat {
  id: string;
  /** For the quick pick. */
  label: string;
  description: string;
  /** The VS Code language the result opens in. */
  language: string;
  render(plans: readonly FirewallPlan[], context: readonly RenderContext[]): string;
}

/** Clusters one after the other, each output complete in itself. */
const each =
  (render: (plan: FirewallPlan, context: RenderContext) => string) =>
  (plans: readonly FirewallPlan[], context: readonly RenderContext[]) =>
    plans.map((plan, i) => render(plan, context[i] ?? { kubespray: false })).join('\n');

export const FIREWALL_FORMATS: readonly FirewallFormat[] = [
  {
    id: 'nftables',
    label: 'nftables',
    description: 'a chain and sets for `nft -f`',
    language: 'plaintext',
    render: each(renderNftables),
  },
  {
    id: 'firewalld',
    label: 'firewalld',
    description: 'a firewall-cmd script',
    language: 'shellscript',
    render: each(renderFirewalldScript),
  },
  {
    id: 'firewalld-xml',
    label: 'firewalld zone file',
    description: 'a zone XML file',
    language: 'xml',
    render: each(renderFirewalldXml),
  },
  { id: 'ufw', label: 'ufw', description: 'ufw allow commands', language: 'shellscript', render: each(renderUfw) },
  {
    id: 'iptables',
    label: 'iptables',
    description: 'iptables-restore input',
    language: 'plaintext',
    render: each(renderIptables),
  },
  {
    id: 'ansible',
    label: 'Ansible',
    description: 'ansible.posix.firewalld tasks per role group',
    language: 'yaml',
    render: each((plan, context) => renderAnsible(plan, context.kubespray)),
  },
  {
    id: 'terraform-aws',
    label: 'Terraform: AWS',
    description: 'aws_security_group and rules per role group',
    language: 'terraform',
    render: each(renderTerraformAws),
  },
  {
    id: 'terraform-hcloud',
    label: 'Terraform: Hetzner Cloud',
    description: 'hcloud_firewall per role group',
    language: 'terraform',
    render: each(renderTerraformHcloud),
  },
  {
    id: 'terraform-openstack',
    label: 'Terraform: OpenStack',
    description: 'openstack_networking_secgroup_v2 and rules per role group',
    language: 'terraform',
    render: each(renderTerraformOpenstack),
  },
  {
    id: 'inventory',
    label: 'Cluster Preflight inventory',
    description: 'firewall: lists for spec.nodes',
    language: 'yaml',
    render: each(renderInventory),
  },
  {
    id: 'json',
    label: 'JSON',
    description: 'the rule set, format-neutral',
    language: 'json',
    render: (plans) => renderJson(plans),
  },
];

export const FIREWALL_FORMAT_IDS = FIREWALL_FORMATS.map((f) => f.id);

export function firewallFormat(id: string): FirewallFormat | undefined {
  return FIREWALL_FORMATS.find((f) => f.id === id);
}
