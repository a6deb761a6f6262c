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
import { CNI_PLUGINS } from '../../knowledge/cni';
import { cniMtuHover, interfaceMtuHover } from '../../model/mtuDocs';
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
      return [schema, '', interfaceMtuHover(valueText, context.settings, context.model)]
        .filter((part) => part !== undefined)
        .join('\n');
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
      return [schema, '', cniMtuHover(valueText, 'spec.cni.mtu', context.settings, context.model)]
        .filter((part) => part !== undefined)
        .join('\n');
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
