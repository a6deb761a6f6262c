import { isScalar } from 'yaml';
import { findPair, locatePath, stringValue } from '../../core/yaml/ast';
import { parsePortRange, portRangeOf } from '../../knowledge/net/portRange';
import { PROTOCOLS, ROLES, type Protocol, type Role } from '../../knowledge/ports';
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
