import { isScalar } from 'yaml';
import { findPair, locatePath, stringValue } from '../../core/yaml/ast';
import { parsePortRange, portRangeOf } from '../../knowledge/net/portRange';
import {
  formatTransport,
  IP_PROTOCOL_NUMBERS,
  IP_PROTOCOLS,
  PROTOCOLS,
  ROLES,
  type Protocol,
  type Role,
} from '../../knowledge/ports';
import { CNI_PLUGINS, encapsulationOverhead } from '../../knowledge/cni';
import { nodeLabel } from '../../model/cluster';
import { clusterInterfaces, cniMtuInForce, describeOverhead, mtuBudget, underlayFamily, type MtuBudget } from '../../model/mtu';
import { DISTRIBUTIONS } from '../../knowledge/distributions';
import { firewallRequirements } from '../../model/placement';
import { portHover, roleHover } from '../../model/portDocs';
import { schemaHover } from '../../schema/hover';
import { schemaDocument } from '../../schema/registry';
import type { HoverContext, LocatedYaml } from '../kind';

/** Ports (what uses them, whether this node needs them), roles (what runs there) and keys (the schema's words). */
export function inventoryHover(located: LocatedYaml, context: HoverContext): string | undefined {
  const { at } = located;
  if (!at) return undefined;
  const ctx = context.placement;
  const path = at.path;
  const valueText = isScalar(at.node) ? at.node.value : undefined;
  if (!at.onKey && located.region === 'item') {
    // firewall[i].port, listeners[i].port, roles[i]
    if ((path[0] === 'firewall' || path[0] === 'listeners') && path[2] === 'port') {
      const range = portRangeOf(valueText);
      const entry = locatePath(located.itemNode, path.slice(0, -1).map(String), located.parsed.doc).node;
      const protocolText = stringValue(findPair(entry, 'protocol')?.value);
      const protocol = PROTOCOLS.includes(protocolText as Protocol) ? (protocolText as Protocol) : 'TCP';
      if (range) return portHover(range, protocol, ctx, located.node?.roles);
    }
    if (path[0] === 'roles' && ROLES.includes(valueText as Role)) return roleHover(valueText as Role, ctx);
    // interfaces[i].mtu: what the overlay leaves of it.
    if (path[0] === 'interfaces' && path[2] === 'mtu' && typeof valueText === 'number') {
      const schema = schemaHover(schemaDocument('inventory'), schemaDocument('inventory'), ['spec', 'nodes', 0, ...path], false);
      return [schema, '', interfaceMtuHover(valueText, context)].filter((part) => part !== undefined).join('\n');
    }
    // protocol: IPIP on an entry without a port
    if (path[0] === 'firewall' && path[2] === 'protocol') {
      const protocol = IP_PROTOCOLS.find((p) => p === valueText || IP_PROTOCOL_NUMBERS[p] === valueText);
      if (protocol) return portHover({ low: 0, high: 0 }, protocol, ctx, located.node?.roles);
    }
  }
  if (!at.onKey && located.region === 'document' && path[0] === 'spec' && path[1] === 'cni' && path[2] === 'mtu') {
    const schema = schemaHover(schemaDocument('inventory'), schemaDocument('inventory'), path, false);
    if (typeof valueText === 'number')
      return [schema, '', cniMtuHover(valueText, context)].filter((part) => part !== undefined).join('\n');
  }
  if (located.region === 'document' && path[0] === 'spec' && (path[1] === 'cni' || (path[1] === 'nodes' && path.length === 2))) {
    const schema = schemaHover(schemaDocument('inventory'), schemaDocument('inventory'), path, at.onKey);
    return [schema, '', cniHover(context)].filter((part) => part !== undefined).join('\n');
  }
  if (located.region === 'document' && path[0] === 'spec' && path[1] === 'distribution') {
    const schema = schemaHover(schemaDocument('inventory'), schemaDocument('inventory'), path, at.onKey);
    return [schema, '', distributionHover(context)].filter((part) => part !== undefined).join('\n');
  }
  if (!at.onKey && located.region === 'document' && path[0] === 'spec') {
    if (path[1] === 'apiServerPort' && typeof valueText === 'number')
      return portHover({ low: valueText, high: valueText }, 'TCP', ctx);
    if (path[1] === 'nodePortRange' && typeof valueText === 'string') {
      const parsed = parsePortRange(valueText);
      if (parsed.ok) return portHover(parsed.range, 'TCP', ctx);
    }
  }
  const root = schemaDocument('inventory');
  return schemaHover(root, root, located.region === 'item' ? ['spec', 'nodes', 0, ...path] : path, at.onKey);
}

/** What the cluster's network plugin is, where it was named, which mode applies, and what every node must admit for it. */
export function cniHover(context: HoverContext): string {
  const cni = context.settings.cni;
  if (!cni)
    return "No file of this cluster names a network plugin (`spec.cni`, or an installer's setting) and kubeadm deploys none, so no CNI port is required. Name it to have its ports checked.";
  const info = CNI_PLUGINS[cni.choice.plugin];
  const mode = cni.choice.mode ?? info.defaultMode;
  const lines = [
    `**Network plugin: ${info.label}**${mode ? `, mode ${mode}${cni.modeWritten ? '' : ` (the default${cni.choice.mode ? ' of its installer' : ''})`}` : ''}${cni.choice.wireguard ? ', WireGuard on' : ''}, from ${cni.source.description}.`,
  ];
  if (cni.ports.length) {
    lines.push('', 'The nodes that run it must admit from each other:');
    for (const p of cni.ports)
      lines.push(
        `- ${formatTransport(p.range, p.port.protocol)} — ${p.port.purpose}${p.port.missingSeverity === 'warning' ? ' (health or control; a warning when missing)' : ''}`,
      );
  } else {
    lines.push('', 'It needs no port of its own between nodes in this mode.');
  }
  lines.push('', `[${info.label} requirements](${info.docs})`);
  return lines.join('\n');
}

/** Whose port table the cluster's firewalls are checked against, who said so, and what each role needs under it. */
export function distributionHover(context: HoverContext): string {
  const distribution = context.settings.distribution;
  const info = DISTRIBUTIONS[distribution.id];
  const ctx = { ...context.placement, etcdHasPeers: true, controlPlaneHasPeers: true };
  const lines = [
    `**Distribution: ${info.label}**${distribution.embeddedRegistry ? ', embedded registry on' : ''}, from ${distribution.source?.description ?? 'the default (no file names one)'}.`,
    '',
    `Roles: ${info.roleNames}. Inbound ports each role needs (with more than one etcd member and control-plane node):`,
  ];
  for (const role of ROLES) {
    // A node of role etcd is a member, whether or not the others say so.
    const ports = firewallRequirements([role], role === 'etcd' ? { ...ctx, anyEtcdRole: true } : ctx).map((p) =>
      formatTransport(p.range, p.port.protocol),
    );
    lines.push(`- ${role}: ${ports.join(', ') || 'none of its own'}`);
  }
  lines.push('', `[${info.tableTitle}](${info.docs})`);
  return lines.join('\n');
}

/** The arithmetic of an overlay on one underlay family, for hovers: "1450 + VXLAN 50 = 1500". */
function onWireText(setting: number, budget: MtuBudget, underlay: boolean): string {
  if (underlay)
    return `${setting} (the network's own MTU: the plugin subtracts ${describeOverhead(budget.overhead)} for the pods itself)`;
  return budget.overhead.parts.length
    ? `${setting} + ${budget.overhead.parts.join(' + ')} = ${budget.onWire} bytes on the wire`
    : `${setting} bytes on the wire (no encapsulation)`;
}

/** spec.cni.mtu: what it becomes on the wire, and whether each node's cluster interface takes it. */
export function cniMtuHover(value: number, context: HoverContext): string {
  const cni = context.settings.cni;
  if (!cni) return 'No network plugin is named, so the MTU is not checked.';
  const info = CNI_PLUGINS[cni.choice.plugin];
  const inForce = context.model && cniMtuInForce(context.model);
  const lines: string[] = [];
  if (inForce && inForce.name !== 'spec.cni.mtu')
    lines.push(`The installer's ${inForce.name} (${inForce.value}) is what ${info.label} runs with, not this value.`, '');
  const underlay = info.mtu.setting === 'underlay';
  const rows: string[] = [];
  for (const entry of context.model ? clusterInterfaces(context.model.nodes) : []) {
    if (!entry.mtu) continue;
    const budget = mtuBudget(cni, value, entry.mtu.value, underlayFamily(entry));
    if (!budget) continue;
    const fits = budget.onWire <= entry.mtu.value;
    rows.push(
      `- node ${nodeLabel(entry.node)}${entry.facts.name ? ` ${entry.facts.name.value}` : ''}: MTU ${entry.mtu.value}, ${fits ? 'fits' : '**does not fit**'} (largest ${budget.largest})`,
    );
    if (rows.length === 1) lines.push(`**MTU ${value}** for ${info.label}: ${onWireText(value, budget, underlay)}.`);
  }
  if (rows.length) {
    lines.push('', "The nodes' cluster interfaces:", ...rows.slice(0, 10));
    if (rows.length > 10) lines.push(`- … and ${rows.length - 10} more`);
  } else {
    const overhead = encapsulationOverhead(cni.choice, 'ipv4');
    lines.push(
      overhead
        ? `**MTU ${value}** for ${info.label}: ${underlay ? `the network's own; ${info.label} subtracts ${describeOverhead(overhead)} itself` : `${describeOverhead(overhead)} come on top over IPv4`}. No node's cluster interface has an \`mtu\` to compare it with.`
        : `Cluster Preflight does not know ${info.label}'s overhead in this mode, so the MTU is not checked.`,
    );
  }
  lines.push('', info.mtu.whenUnset, '', `[${info.label} MTU](${info.mtu.docs})`);
  return lines.join('\n');
}

/** interfaces[i].mtu: the largest plugin MTU it takes, and whether the configured one fits. */
export function interfaceMtuHover(value: number, context: HoverContext): string {
  const cni = context.settings.cni;
  if (!cni) return `**Interface MTU ${value}.** No network plugin is named, so no overlay overhead is counted.`;
  const info = CNI_PLUGINS[cni.choice.plugin];
  const overhead = encapsulationOverhead(cni.choice, 'ipv4');
  if (!overhead) return `**Interface MTU ${value}.** Cluster Preflight does not know ${info.label}'s overhead in this mode.`;
  const underlay = info.mtu.setting === 'underlay';
  const largest = underlay ? value : value - overhead.bytes;
  const lines = [
    `**Interface MTU ${value}.** ${info.label} (${describeOverhead(overhead)} over IPv4) leaves pods ${value - overhead.bytes} bytes; the largest MTU setting that fits is ${largest}${underlay ? ` (${info.label}'s MTU is the network's own)` : ''}.`,
  ];
  const inForce = context.model && cniMtuInForce(context.model);
  if (inForce) {
    const budget = mtuBudget(cni, inForce.value, value, 'ipv4')!;
    lines.push(
      '',
      `${inForce.name} ${inForce.value}: ${onWireText(inForce.value, budget, underlay)}, ${budget.onWire <= value ? 'fits' : '**does not fit**'}.`,
    );
  } else {
    lines.push('', info.mtu.whenUnset);
  }
  return lines.join('\n');
}
