import { DOCS } from '../knowledge/docs';
import { nodeLabel } from '../model/cluster';
import type { Rule } from './types';
import { joinBounded } from './util/bounded-group';
import { inventoryFilesCause } from './util/inventory-files';
import { reportValuesSharedByNodes } from './util/shared-interface-values';

export const duplicateIp: Rule = {
  meta: {
    id: 'duplicate-ip',
    severity: 'error',
    docs: DOCS.networking,
    title: 'The same IP address is on two different nodes',
    description:
      "Two nodes answering for one address break the API server's, kubelet's and etcd's connections to them. Addresses are compared without their prefix length and in canonical form (fd00::1 equals fd00:0::1). Reported on every occurrence, each pointing at the other nodes. When each node comes from a different inventory file of one Kubespray directory (a hosts.yaml beside the inventory.ini of the same machines), the message says that this is the cause.",
    appliesTo: ['inventory', 'kubespray', 'k0sctl', 'rke2'],
    example: {
      bad: 'cp-1 address: 192.168.1.11/24\nworker-1 address: 192.168.1.11/24',
      good: 'worker-1 address: 192.168.1.21/24',
    },
  },
  checkNodes: {
    reads: ['addresses', 'hostname'],
    check(view, report) {
      reportValuesSharedByNodes(
        view,
        report,
        (iface) => (iface.address && iface.addressKey ? { key: iface.addressKey, value: iface.address } : undefined),
        (address, owners) => {
          const cause = inventoryFilesCause(owners);
          const nodes = `Address ${address} is on ${owners.length} nodes (${joinBounded(owners.map(nodeLabel))})`;
          return cause ? `${nodes}: ${cause}` : `${nodes}; each node needs its own address.`;
        },
        (other) => `Same address on node ${nodeLabel(other)}`,
      );
    },
  },
};
