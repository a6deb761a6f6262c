/**
 * Completion in an inventory: the schema's keys and values, and what the cluster needs: in a
 * firewall `port:` the ports the node's roles (and the network plugin) need and it does not
 * admit yet, first; a whole missing rule as a new firewall entry; a new node with the rules
 * its roles need.
 */
import { formatPortRange } from '../../knowledge/net/portRange';
import { isIpProtocol, type Role } from '../../knowledge/ports';
import { firewallRequirements, missingPorts } from '../../model/placement';
import type { EffectivePort } from '../../model/settings';
import { schemaCompletions, type CompletionCandidate, type CompletionPlace } from '../../schema/complete';
import { schemaDocument } from '../../schema/registry';
import type { CompletionContext } from '../kind';

/** A firewall entry's lines for a requirement (the first without indentation: it follows "- "). */
function entryLines(p: EffectivePort, ports = p.range): string[] {
  if (isIpProtocol(p.port.protocol)) return [`protocol: ${p.port.protocol}`, `comment: ${p.port.purpose}`];
  const port = ports.low === ports.high ? String(ports.low) : formatPortRange(ports);
  return [`port: ${port}`, ...(p.port.protocol === 'TCP' ? [] : [`protocol: ${p.port.protocol}`]), `comment: ${p.port.purpose}`];
}

function nodeSnippet(role: Role, context: CompletionContext, column: number): CompletionCandidate {
  const pad = ' '.repeat(column);
  const rules = firewallRequirements([role], { ...context.placement, etcdHasPeers: true, controlPlaneHasPeers: true }).map(
    (p) => `${pad}  - ${entryLines(p).join(`\n${pad}    `)}`,
  );
  const name = role === 'control-plane' ? 'cp-1' : 'worker-1';
  const text = [
    `hostname: \${1:${name}}`,
    `${pad}roles: [${role}]`,
    `${pad}interfaces:`,
    `${pad}  - name: \${2:eth0}`,
    `${pad}    mac: "\${3:52:54:00:00:00:01}"`,
    `${pad}    address: \${4:192.168.1.11/24}`,
    `${pad}firewall:`,
    ...rules,
  ].join('\n');
  return {
    label: `${role} node`,
    kind: 'snippet',
    detail: `A ${role} node with the ${rules.length} firewall rules it needs`,
    insertText: text + '\n',
    snippet: true,
    sortText: '0',
  };
}

export function inventoryComplete(place: CompletionPlace, context: CompletionContext): CompletionCandidate[] {
  const out: CompletionCandidate[] = [];
  const [spec, nodes, , list, , key] = place.path;
  const inNode = spec === 'spec' && nodes === 'nodes' && typeof place.path[2] === 'number';
  const node = context.node;
  // A firewall port: what the node still needs, first.
  if (inNode && place.position === 'value' && list === 'firewall' && key === 'port' && node) {
    for (const { requirement, missing } of missingPorts(node, context.placement)) {
      if (isIpProtocol(requirement.port.protocol)) continue;
      for (const ports of missing) {
        const label = ports.low === ports.high ? String(ports.low) : formatPortRange(ports);
        out.push({
          label,
          kind: 'value',
          detail: `${requirement.port.purpose} (${requirement.port.component}), needed by this node`,
          sortText: `0${label.padStart(11, '0')}`,
        });
      }
    }
  }
  // A new firewall entry: each missing rule whole.
  const newEntry =
    inNode && list === 'firewall' && place.path.length === 5 && (place.position === 'value' || place.present.size === 0);
  if (newEntry && node) {
    const pad = ' '.repeat(place.column);
    for (const { requirement, missing } of missingPorts(node, context.placement)) {
      for (const ports of isIpProtocol(requirement.port.protocol) ? [requirement.range] : missing) {
        const lines = entryLines(requirement, ports);
        out.push({
          label: `${lines[0]} (${requirement.port.purpose})`,
          kind: 'snippet',
          detail: 'A firewall rule this node needs',
          insertText: lines.join(`\n${pad}`),
          snippet: false,
          sortText: '0',
        });
      }
    }
  }
  // A new node.
  if (inNode && place.path.length === 3 && (place.position === 'value' || place.present.size === 0)) {
    out.push(nodeSnippet('control-plane', context, place.column), nodeSnippet('worker', context, place.column));
  }
  const root = schemaDocument('inventory');
  out.push(...schemaCompletions(root, root, place));
  return out;
}
