import { DOCS } from '../knowledge/docs';
import { nodeLabel, placeOf } from '../model/cluster';
import { clusterInterfaces, type NodeInterface } from '../model/mtu';
import type { Rule } from './types';

export const mtuMismatch: Rule = {
  meta: {
    id: 'mtu-mismatch',
    severity: 'warning',
    docs: DOCS.networkPlugins,
    title: "Nodes' cluster-network interfaces have different MTUs",
    description:
      "Network plugins size their pod MTU from each node's own interface, so nodes with different MTUs build overlays that disagree: packets a 1500-byte node sends in one piece are dropped on the way to a 1450-byte one (flannel#1614). Compared: the `mtu` of each node's interface that carries cluster traffic (its only addressed interface, or those in a network another node shares); interfaces without an `mtu` are not compared. Reported on each interface whose MTU differs from the one most nodes use (on a tie, the smallest), naming it.",
    appliesTo: ['inventory'],
    example: {
      bad: 'cp-1 eth0 mtu: 1500\nworker-1 eth0 mtu: 1500\nworker-2 eth0 mtu: 1450',
      good: 'give every node the same MTU (or set the smallest in the plugin)',
    },
  },
  checkNodes: {
    reads: ['mtus', 'addresses', 'hostname'],
    check({ nodes }, report) {
      const withMtu = clusterInterfaces(nodes).filter(
        (e): e is NodeInterface & { mtu: NonNullable<NodeInterface['mtu']> } => !!e.mtu,
      );
      const counts = new Map<number, NodeInterface[]>();
      for (const entry of withMtu) {
        const list = counts.get(entry.mtu.value);
        if (list) list.push(entry);
        else counts.set(entry.mtu.value, [entry]);
      }
      if (counts.size < 2) return;
      let majority = -1;
      for (const [mtu, list] of counts) {
        const best = counts.get(majority)?.length ?? 0;
        if (list.length > best || (list.length === best && mtu < majority)) majority = mtu;
      }
      const sharing = counts.get(majority)!;
      for (const entry of withMtu) {
        if (entry.mtu.value === majority) continue;
        const name = entry.facts.name?.value;
        report(
          placeOf(entry.node, entry.mtu),
          `${name ? `Interface ${name} of node` : 'The cluster interface of node'} ${nodeLabel(entry.node)} has MTU ${entry.mtu.value}, but ${sharing.length} of the ${withMtu.length} cluster interfaces have ${majority}: the overlay's packets must fit every node's interface, so give them one MTU (or set the plugin's MTU for the smallest).`,
          {
            related: sharing.slice(0, 3).map((other) => ({
              at: placeOf(other.node, other.mtu!),
              message: `Node ${nodeLabel(other.node)} has MTU ${majority}`,
            })),
          },
        );
      }
    },
  },
};
