import { DOCS } from '../kubernetes/docs';
import type { InterfaceModel, NodeModel } from '../inventory/model';
import { nodeLabel, type Rule } from './types';

interface Occurrence {
  node: NodeModel;
  iface: InterfaceModel & { mac: NonNullable<InterfaceModel['mac']> };
}

export const duplicateMac: Rule = {
  meta: {
    id: 'duplicate-mac',
    severity: 'error',
    docs: DOCS.uniqueMac,
    title: 'The same MAC address is on two different nodes',
    description:
      'kubeadm requires a unique MAC address (and product_uuid) on every node; cloned virtual machines often keep their template\'s MAC, and the install fails or nodes fight over addresses. MACs are compared after normalising notation and case. The same MAC on two interfaces of one node (a bond and its VLANs) is fine. Reported on every occurrence, each pointing at the other nodes.',
    appliesTo: ['inventory'],
    example: { bad: 'cp-1 eth0 mac: "52:54:00:aa:bb:01"\nworker-1 eth0 mac: 52-54-00-AA-BB-01', good: 'give each VM its own MAC' },
  },
  checkInventory({ nodes, at }, report) {
    const byMac = new Map<string, Occurrence[]>();
    for (const node of nodes) {
      for (const iface of node.interfaces ?? []) {
        if (!iface.mac || !iface.macKey) continue;
        const group = byMac.get(iface.macKey);
        const occurrence = { node, iface: iface as Occurrence['iface'] };
        if (group) group.push(occurrence);
        else byMac.set(iface.macKey, [occurrence]);
      }
    }
    for (const [mac, group] of byMac) {
      const owners = new Set(group.map((o) => o.node));
      if (owners.size < 2) continue;
      const names = [...owners].map(nodeLabel).join(', ');
      for (const { node, iface } of group) {
        report(at(node, iface.mac.range), `MAC address ${mac} is on ${owners.size} nodes (${names}); every node needs its own MAC address.`, {
          related: group
            .filter((o) => o.node !== node)
            .map((o) => ({ range: at(o.node, o.iface.mac.range), message: `Same MAC on node ${nodeLabel(o.node)}` })),
        });
      }
    }
  },
};
