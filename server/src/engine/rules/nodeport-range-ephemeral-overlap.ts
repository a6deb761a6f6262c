import { DOCS } from '../knowledge/docs';
import { formatPortRange, parsePortRange, rangesOverlap } from '../knowledge/net/portRange';
import type { Rule } from './types';

/** Linux's default ip_local_port_range: the ports outgoing connections take their source port from. */
const LINUX_EPHEMERAL = { low: 32768, high: 60999 };

export const nodeportRangeEphemeralOverlap: Rule = {
  meta: {
    id: 'nodeport-range-ephemeral-overlap',
    severity: 'warning',
    docs: DOCS.nodePortService,
    title: "The NodePort range reaches into Linux's ephemeral port range (32768-60999)",
    description:
      "Linux picks the source ports of outgoing connections from net.ipv4.ip_local_port_range, 32768-60999 by default. A NodePort range that reaches into it lets a Service's NodePort collide with a node's own outgoing connections: the connection or the Service fails now and then. Keep the range below 32768, or move the ephemeral range (and reserve the NodePorts with net.ipv4.ip_local_reserved_ports). Reported on the range value (the inventory's nodePortRange, kube-apiserver's service-node-port-range in any format).",
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: { bad: 'nodePortRange: 30000-40000', good: 'nodePortRange: 30000-32767' },
  },
  checkCluster({ nodePortRanges }, report) {
    for (const setting of nodePortRanges) {
      const parsed = parsePortRange(setting.value, setting.lowestPort);
      if (!parsed.ok || !rangesOverlap(parsed.range, LINUX_EPHEMERAL)) continue;
      const shared = {
        low: Math.max(parsed.range.low, LINUX_EPHEMERAL.low),
        high: Math.min(parsed.range.high, LINUX_EPHEMERAL.high),
      };
      report(
        setting.at,
        `${setting.name} ${setting.value} shares ${formatPortRange(shared)} with Linux's ephemeral ports (${formatPortRange(LINUX_EPHEMERAL)} by default): a NodePort there can collide with the node's own outgoing connections. Keep the range below 32768, or reserve it with net.ipv4.ip_local_reserved_ports.`,
      );
    }
  },
};
