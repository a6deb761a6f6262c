import { DOCS } from '../knowledge/docs';
import { formatPortRange, parsePortRange, rangesOverlap } from '../knowledge/net/portRange';
import { componentPort } from '../knowledge/ports';
import type { Rule } from './types';
import { describePort } from './util/describe';

export const nodeportRangeOverlap: Rule = {
  meta: {
    id: 'nodeport-range-overlap',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: 'The NodePort range includes a Kubernetes component port',
    description:
      "kube-proxy serves every NodePort on every node, so a NodePort range that includes a port a Kubernetes component binds (10000-32767 swallows 10250, the kubelet) lets a Service take that port away from the component. Checked for the inventory's nodePortRange and for kube-apiserver's service-node-port-range in kubeadm configs, against the ports as this cluster configures them.",
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: { bad: 'nodePortRange: 10000-32767', good: 'nodePortRange: 30000-32767' },
  },
  checkCluster(cluster, report) {
    const { settings } = cluster;
    // Each value a file writes, against the ports as the cluster configures them.
    for (const setting of cluster.nodePortRanges.filter((r) => r.against === 'cluster')) {
      const parsed = parsePortRange(setting.value, setting.lowestPort);
      if (!parsed.ok) continue;
      const swallowed = [...settings.ports.values()]
        .filter((p) => p.port.id !== 'nodeport-services' && !p.disabled && rangesOverlap(p.range, parsed.range))
        .sort((a, b) => a.range.low - b.range.low);
      if (swallowed.length) {
        report(
          setting.at,
          `${setting.name} ${setting.value} includes ${swallowed.map((p) => describePort(p)).join(', ')}; a NodePort Service could take ${swallowed.length === 1 ? 'that port' : 'those ports'} from Kubernetes.`,
        );
      }
    }
    // The installer's value, against the ports its own configuration gives its components.
    const configured = settings.configured;
    const range = configured?.ports.get('nodeport-services');
    if (!configured || !range?.setting?.place) return;
    const swallowed = [...configured.ports.values()]
      .filter((p) => p.id !== 'nodeport-services' && !p.disabled && rangesOverlap(p.range, range.range))
      .sort((a, b) => a.range.low - b.range.low);
    if (swallowed.length === 0) return;
    const named = swallowed.map(
      (p) => `${formatPortRange(p.range)}/TCP (${componentPort(p.id).purpose}${p.setting ? `, ${p.setting.description}` : ''})`,
    );
    report(
      range.setting.place,
      `service-node-port-range ${formatPortRange(range.range)} includes ${named.join(', ')}; a NodePort Service could take ${swallowed.length === 1 ? 'that port' : 'those ports'} from Kubernetes.`,
    );
  },
};
