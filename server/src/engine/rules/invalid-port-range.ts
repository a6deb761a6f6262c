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
    appliesTo: ['inventory', 'kubeadm'],
    example: { bad: 'nodePortRange: 32767-30000', good: 'nodePortRange: 30000-32767' },
  },
  checkNode(node, _ctx, report) {
    for (const entry of node.firewall) {
      if (typeof entry.port?.value !== 'string') continue;
      const parsed = parsePortRange(entry.port.value);
      if (!parsed.ok) report(placeOf(node, entry.port), `Invalid port range: ${parsed.problem}.`);
    }
  },
  checkDocument: {
    inventory({ head }, report, at) {
      if (!head.nodePortRange) return;
      const parsed = parsePortRange(head.nodePortRange.value);
      if (!parsed.ok) report(at(head.nodePortRange.range), `Invalid nodePortRange: ${parsed.problem}.`);
    },
    kubeadm({ facts }, report, at) {
      const range = facts.apiServerArgs.get('service-node-port-range');
      if (!range) return;
      const parsed = parsePortRange(range.value);
      if (!parsed.ok) report(at(range.range), `Invalid service-node-port-range: ${parsed.problem}.`);
    },
  },
};
