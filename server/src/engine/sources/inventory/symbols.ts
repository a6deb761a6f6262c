/** The outline of an inventory: its nodes by hostname, with their interfaces, firewall rules and listeners. */
import { formatTransport } from '../../knowledge/ports';
import { placeOf } from '../../model/cluster';
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { InventoryDocument } from './inventoryDocument';

export function inventorySymbols(doc: InventoryDocument, at: SymbolRanges): DocumentSymbolData[] {
  return doc.nodes.map((node, i) => {
    const range = at.place(placeOf(node, node.itemRange));
    const children: DocumentSymbolData[] = [];
    for (const iface of node.interfaces ?? []) {
      const item = at.place(placeOf(node, iface.itemRange));
      children.push({
        name: iface.name?.value ?? iface.address?.value ?? 'interface',
        detail: iface.address?.value,
        kind: 'interface',
        range: item,
        selectionRange: iface.name ? at.place(placeOf(node, iface.name)) : item,
      });
    }
    for (const entry of node.firewall) {
      const item = at.place(placeOf(node, entry.itemRange));
      const ports = entry.port ? `${entry.port.value}/${entry.protocol}` : formatTransport({ low: 0, high: 0 }, entry.protocol);
      children.push({
        name: ports,
        detail: entry.source ? `from ${entry.source.value}` : undefined,
        kind: 'rule',
        range: item,
        selectionRange: entry.port ? at.place(placeOf(node, entry.port)) : item,
      });
    }
    for (const listener of node.listeners) {
      if (!listener.itemRange) continue;
      const item = at.place(placeOf(node, listener.itemRange));
      children.push({
        name: `${listener.name ?? 'listener'} ${listener.port?.value ?? '?'}/${listener.protocol}`,
        kind: 'listener',
        range: item,
        selectionRange: listener.port ? at.place(placeOf(node, listener.port)) : item,
      });
    }
    return {
      name: node.hostname?.value || `node ${i + 1}`,
      detail: node.roles.join(', '),
      kind: 'node',
      range,
      selectionRange: node.hostname ? at.place(placeOf(node, node.hostname)) : range,
      children,
    };
  });
}
