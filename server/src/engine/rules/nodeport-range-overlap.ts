import { DOCS } from '../kubernetes/docs';
import { componentPort } from '../kubernetes/ports';
import { formatPortRange, parsePortRange, rangesOverlap } from '../net/portRange';
import { describePort } from './describe';
import type { Rule } from './types';

export const nodeportRangeOverlap: Rule = {
  meta: {
    id: 'nodeport-range-overlap',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: 'The NodePort range includes a Kubernetes component port',
    description:
      "kube-proxy serves every NodePort on every node, so a NodePort range that includes a port a Kubernetes component binds (10000-32767 swallows 10250, the kubelet) lets a Service take that port away from the component. Checked for the inventory's nodePortRange and for kube-apiserver's service-node-port-range in kubeadm configs, against the ports as this cluster configures them.",
    appliesTo: ['inventory', 'kubeadm'],
    example: { bad: 'nodePortRange: 10000-32767', good: 'nodePortRange: 30000-32767' },
  },
  checkInventory({ head, ctx, at }, report) {
    if (!head.nodePortRange) return;
    const parsed = parsePortRange(head.nodePortRange.value);
    if (!parsed.ok) return;
    const swallowed = [...ctx.ports.values()]
      .filter((p) => p.port.id !== 'nodeport-services' && !p.disabled && rangesOverlap(p.range, parsed.range))
      .sort((a, b) => a.range.low - b.range.low);
    if (swallowed.length) {
      report(
        at(head, head.nodePortRange.range),
        `nodePortRange ${head.nodePortRange.value} includes ${swallowed.map((p) => describePort(p)).join(', ')}; a NodePort Service could take ${swallowed.length === 1 ? 'that port' : 'those ports'} from Kubernetes.`,
      );
    }
  },
  checkCluster({ settings }, report) {
    const range = settings.configured.ports.get('nodeport-services');
    if (!range?.setting) return;
    const swallowed = [...settings.configured.ports.values()]
      .filter((p) => p.id !== 'nodeport-services' && !p.disabled && rangesOverlap(p.range, range.range))
      .sort((a, b) => a.range.low - b.range.low);
    if (swallowed.length === 0) return;
    const named = swallowed.map(
      (p) => `${formatPortRange(p.range)}/TCP (${componentPort(p.id).purpose}${p.setting ? `, ${p.setting.description}` : ''})`,
    );
    report(
      range.setting.uri,
      range.setting.range,
      `service-node-port-range ${formatPortRange(range.range)} includes ${named.join(', ')}; a NodePort Service could take ${swallowed.length === 1 ? 'that port' : 'those ports'} from Kubernetes.`,
    );
  },
};
