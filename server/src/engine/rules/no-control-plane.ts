import { DOCS } from '../kubernetes/docs';
import type { Rule } from './types';

export const noControlPlane: Rule = {
  meta: {
    id: 'no-control-plane',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: 'An inventory has nodes but none with role control-plane',
    description:
      'A cluster needs at least one control-plane node to run the API server; kubeadm init runs there. Reported on the `nodes` key. While a node item has YAML syntax errors (its roles may be half-typed), the rule waits.',
    appliesTo: ['inventory'],
    example: {
      bad: 'nodes:\n  - hostname: worker-1\n    roles: [worker]',
      good: 'nodes:\n  - hostname: cp-1\n    roles: [control-plane]\n  - hostname: worker-1\n    roles: [worker]',
    },
  },
  checkInventory({ head, nodes, anyNodeBroken, at }, report) {
    if (anyNodeBroken || !head.nodesKey || nodes.length === 0) return;
    if (nodes.some((n) => n.roles.includes('control-plane'))) return;
    report(
      at(head, head.nodesKey),
      `The inventory has ${nodes.length} ${nodes.length === 1 ? 'node' : 'nodes'} but none with role control-plane; the cluster needs one to run the API server (kubeadm init runs there).`,
    );
  },
};
