import { DOCS } from '../kubernetes/docs';
import { missingPorts } from '../inventory/requirements';
import { formatPortRange } from '../net/portRange';
import { describePort, describeRoles, describeSource } from './describe';
import { nodeAnchor, nodeLabel, type Rule } from './types';

export const missingPortRule: Rule = {
  meta: {
    id: 'missing-port-rule',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: "A node's firewall does not admit a port its roles need",
    description:
      "Required inbound ports per role, from the Kubernetes Ports and Protocols page: control-plane nodes need the API server port (6443 or spec.apiServerPort), 10250 (kubelet), 10259 (kube-scheduler) and 10257 (kube-controller-manager); etcd members need 2379, and 2380 as well when there is more than one member (the nodes with role etcd, or the control-plane nodes when no node has that role); workers need 10250, 10256 (kube-proxy) and the NodePort range. A node with several roles needs the union. Rules of the same protocol may cover a range together; a partly covered range is reported with the missing part. Severity: error for the API server port, 2379, 2380 and 10250 (kubeadm init/join or the control plane fail without them), warning for the others. One diagnostic per missing port, on the node's `firewall` key (or its hostname when it has no firewall). Quick-fixes add the rules.",
    appliesTo: ['inventory'],
    example: {
      bad: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 10250',
      good: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 10250\n    - port: 6443\n    - port: 2379\n    - port: 10257\n    - port: 10259',
    },
  },
  checkNode(node, ctx, report) {
    const at = node.firewallKey ?? nodeAnchor(node);
    for (const { requirement, missing } of missingPorts(node, ctx)) {
      const full = missing.length === 1 && missing[0].low === requirement.range.low && missing[0].high === requirement.range.high;
      const message = full
        ? `Node ${nodeLabel(node)} (${describeRoles(node.roles)}) has no firewall rule admitting ${describePort(requirement)}${describeSource(requirement)}.`
        : `Node ${nodeLabel(node)} (${describeRoles(node.roles)}) admits only part of ${describePort(requirement)}; ${missing.map(formatPortRange).join(', ')}/${requirement.port.protocol} ${missing.length === 1 ? 'is' : 'are'} not covered${describeSource(requirement)}.`;
      report(at, message, { severity: requirement.port.missingSeverity, data: { componentPort: requirement.port.id } });
    }
  },
};
