import type { Value } from '../../core/located';
import { placeOf, type InterfaceFacts, type NodeFacts } from '../../model/cluster';
import type { NodesView, Report } from '../types';
import { firstOthers, MAX_RELATED } from './bounded-group';

interface Occurrence {
  node: NodeFacts;
  value: Value<string>;
}

/**
 * For duplicate-mac and duplicate-ip: finds interface values (by their normalised key) that
 * more than one node has, and reports every occurrence, each pointing at the other nodes.
 * One node may repeat a value on several interfaces (a bond and its VLANs). Each finding points at no more
 * than MAX_RELATED others, so a group of thousands costs linear time; `message` bounds the names it lists.
 */
export function reportValuesSharedByNodes(
  { nodes }: NodesView,
  report: Report,
  pick: (iface: InterfaceFacts) => { key: string; value: Value<string> } | undefined,
  message: (key: string, owners: readonly NodeFacts[]) => string,
  relatedMessage: (other: NodeFacts) => string,
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
      report(placeOf(node, value), text, {
        related: firstOthers(group, (o) => o.node === node, MAX_RELATED).map((o) => ({
          at: placeOf(o.node, o.value),
          message: relatedMessage(o.node),
        })),
      });
    }
  }
}
