import { DOCS } from '../knowledge/docs';
import { nodeAnchor, nodeLabel } from '../model/cluster';
import type { Rule } from './types';

export const missingInterface: Rule = {
  meta: {
    id: 'missing-interface',
    severity: 'error',
    docs: DOCS.networking,
    title: 'A node has no network interfaces',
    description:
      "Every node needs at least one interface with an address to join the cluster network. Reported on the node's hostname when `interfaces` is absent, empty or null.",
    appliesTo: ['inventory'],
    example: {
      bad: '- hostname: worker-1\n  roles: [worker]',
      good: '- hostname: worker-1\n  roles: [worker]\n  interfaces:\n    - name: eth0\n      mac: "52:54:00:aa:bb:02"\n      address: 192.168.1.21/24',
    },
  },
  checkNode(node, _ctx, report) {
    if (node.interfaces === undefined || node.interfaces.length === 0) {
      report(
        nodeAnchor(node),
        `Node ${nodeLabel(node)} has no network interfaces; add at least one with a name, mac and address.`,
      );
    }
  },
};
