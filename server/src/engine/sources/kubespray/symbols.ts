/** The outline of Kubespray files: an inventory's groups with their hosts; a vars file's variables. */
import type { Range } from '../../core/text/positions';
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import { KubesprayInventoryDocument, type KubesprayVarsDocument } from './document';

export function kubespraySymbols(
  doc: KubesprayInventoryDocument | KubesprayVarsDocument,
  at: SymbolRanges,
): DocumentSymbolData[] {
  const place = (range: Range) => at.place({ origin: { uri: '', chunk: doc.chunk }, range });
  // A vars file may belong to another Ansible project: its outline is the YAML language's, not ours.
  if (!(doc instanceof KubesprayInventoryDocument)) return [];
  return doc.inventory.groups.map((group) => {
    const key = place(group.keyRange);
    const seen = new Set<string>();
    const hosts: DocumentSymbolData[] = [];
    for (const host of group.hosts) {
      if (seen.has(host.name)) continue;
      seen.add(host.name);
      const name = place(host.nameRange);
      const address = host.vars.find((v) => v.name === 'ip' || v.name === 'ansible_host');
      hosts.push({
        name: host.name,
        detail: address && !address.templated ? String(address.value) : undefined,
        kind: 'host',
        range: name,
        selectionRange: name,
      });
    }
    return {
      name: group.name,
      detail: `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`,
      kind: 'group' as const,
      range: key,
      selectionRange: key,
      children: hosts,
    };
  });
}
