import { DOCS } from '../knowledge/docs';
import { parsePortRange } from '../knowledge/net/portRange';
import { placeOf } from '../model/cluster';
import type { Rule } from './types';

export const invalidPortRange: Rule = {
  meta: {
    id: 'invalid-port-range',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: 'A "low-high" port range is malformed, reversed or outside 1-65535',
    description:
      'Applies to firewall rule ports written as strings, the inventory\'s nodePortRange and kube-apiserver\'s service-node-port-range in kubeadm configs. A range is two port numbers joined by "-", both inclusive, low first.',
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: { bad: 'nodePortRange: 32767-30000', good: 'nodePortRange: 30000-32767' },
  },
  checkNode(node, _ctx, report) {
    for (const entry of node.firewall) {
      if (typeof entry.port?.value !== 'string') continue;
      const parsed = parsePortRange(entry.port.value);
      if (!parsed.ok) report(placeOf(node, entry.port), `Invalid port range: ${parsed.problem}.`);
    }
  },
  checkCluster({ nodePortRanges }, report) {
    for (const setting of nodePortRanges) {
      const parsed = parsePortRange(setting.value, setting.lowestPort);
      if (!parsed.ok) report(setting.at, `Invalid ${setting.name}: ${parsed.problem}.`);
    }
  },
};
