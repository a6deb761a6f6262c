import { DOCS } from '../knowledge/docs';
import type { Rule } from './types';

export const noControlPlane: Rule = {
  meta: {
    id: 'no-control-plane',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: 'An inventory has nodes but none with role control-plane',
    description:
      'A cluster needs at least one control-plane node to run the API server; kubeadm init runs there. Reported on the `nodes` key. While a node item has YAML syntax errors (its roles may be half-typed), the rule waits.',
    appliesTo: ['inventory', 'kubespray', 'k0sctl'],
    example: {
      bad: 'nodes:\n  - hostname: worker-1\n    roles: [worker]',
      good: 'nodes:\n  - hostname: cp-1\n    roles: [control-plane]\n  - hostname: worker-1\n    roles: [worker]',
    },
  },
  checkNodes: {
    reads: ['roles', 'broken'],
    check({ rosters }, report) {
      for (const { nodes, anchors } of rosters) {
        const anchor = anchors.controlPlane ?? anchors.nodes;
        if (!anchor || nodes.length === 0 || nodes.some((n) => n.broken)) continue;
        if (nodes.some((n) => n.roles.includes('control-plane'))) continue;
        report(
          anchor,
          `The inventory has ${nodes.length} ${nodes.length === 1 ? 'node' : 'nodes'} but none with role control-plane; the cluster needs one to run the API server (kubeadm init runs there).`,
        );
      }
    },
  },
};
