import { DOCS } from '../knowledge/docs';
import { parsePortRange } from '../knowledge/net/portRange';
import { placeOf } from '../model/cluster';
import type { Rule } from './types';
import { replacementData, replacementFixes } from './util/replace-fix';

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
      if (!parsed.ok) report(placeOf(node, entry.port), `Invalid port range: ${parsed.problem}.`, swapped(entry.port.value));
    }
  },
  checkCluster({ nodePortRanges }, report) {
    for (const setting of nodePortRanges) {
      const parsed = parsePortRange(setting.value, setting.lowestPort);
      if (!parsed.ok) report(setting.at, `Invalid ${setting.name}: ${parsed.problem}.`, swapped(setting.value));
    }
  },
  /** A reversed range is swapped. */
  fixes: (request) => replacementFixes(request, (r) => `Swap the range to ${r.to}`),
};

/** The fix for a reversed range (and only for that): the same ports, low first. */
function swapped(value: string): { data: ReturnType<typeof replacementData> } | undefined {
  const match = /^(\d+)-(\d+)$/.exec(value);
  if (!match || Number(match[2]) >= Number(match[1])) return undefined;
  const to = `${match[2]}-${match[1]}`;
  return parsePortRange(to).ok ? { data: replacementData(value, to) } : undefined;
}
