import { DOCS } from '../kubernetes/docs';
import type { InterfaceModel, NodeModel } from '../inventory/model';
import { nodeLabel, type Rule } from './types';

interface Occurrence {
  node: NodeModel;
  iface: InterfaceModel & { address: NonNullable<InterfaceModel['address']> };
}

export const duplicateIp: Rule = {
  meta: {
    id: 'duplicate-ip',
    severity: 'error',
    docs: DOCS.networking,
    title: 'The same IP address is on two different nodes',
    description:
      'Two nodes answering for one address break the API server\'s, kubelet\'s and etcd\'s connections to them. Addresses are compared without their prefix length and in canonical form (fd00::1 equals fd00:0::1). Reported on every occurrence, each pointing at the other nodes.',
    appliesTo: ['inventory'],
    example: { bad: 'cp-1 address: 192.168.1.11/24\nworker-1 address: 192.168.1.11/24', good: 'worker-1 address: 192.168.1.21/24' },
  },
  checkInventory({ nodes, at }, report) {
    const byAddress = new Map<string, Occurrence[]>();
    for (const node of nodes) {
      for (const iface of node.interfaces ?? []) {
        if (!iface.address || !iface.addressKey) continue;
        const group = byAddress.get(iface.addressKey);
        const occurrence = { node, iface: iface as Occurrence['iface'] };
        if (group) group.push(occurrence);
        else byAddress.set(iface.addressKey, [occurrence]);
      }
    }
    for (const [address, group] of byAddress) {
      const owners = new Set(group.map((o) => o.node));
      if (owners.size < 2) continue;
      const names = [...owners].map(nodeLabel).join(', ');
      for (const { node, iface } of group) {
        report(at(node, iface.address.range), `Address ${address} is on ${owners.size} nodes (${names}); each node needs its own address.`, {
          related: group
            .filter((o) => o.node !== node)
            .map((o) => ({ range: at(o.node, o.iface.address.range), message: `Same address on node ${nodeLabel(o.node)}` })),
        });
      }
    }
  },
};
