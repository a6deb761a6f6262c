import type { InterfaceModel, NodeModel, Value } from '../inventory/model';
import type { InventoryView, Report } from './types';

interface Occurrence {
  node: NodeModel;
  value: Value<string>;
}

/**
 * For duplicate-mac and duplicate-ip: finds interface values (by their normalised key) that
 * more than one node has, and reports every occurrence, each pointing at the other nodes.
 * One node may repeat a value on several interfaces (a bond and its VLANs).
 */
export function reportValuesSharedByNodes(
  { nodes, at }: InventoryView,
  report: Report,
  pick: (iface: InterfaceModel) => { key: string; value: Value<string> } | undefined,
  message: (key: string, owners: readonly NodeModel[]) => string,
  relatedMessage: (other: NodeModel) => string,
): void {
  const byKey = new Map<string, Occurrence[]>();
  for (const node of nodes) {
    for (const iface of node.interfaces ?? []) {
      const picked = pick(iface);
      if (!picked) continue;
      const group = byKey.get(picked.key);
      if (group) group.push({ node, value: picked.value });
      else byKey.set(picked.key, [{ node, value: picked.value }]);
    }
  }
  for (const [key, group] of byKey) {
    const owners = [...new Set(group.map((o) => o.node))];
    if (owners.length < 2) continue;
    const text = message(key, owners);
    for (const { node, value } of group) {
      report(at(node, value.range), text, {
        related: group
          .filter((o) => o.node !== node)
          .map((o) => ({ range: at(o.node, o.value.range), message: relatedMessage(o.node) })),
      });
    }
  }
}
