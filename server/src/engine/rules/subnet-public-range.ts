import { DOCS } from '../knowledge/docs';
import { notPubliclyRoutedBlock } from '../knowledge/net/reservedRanges';
import type { Rule } from './types';

export const subnetPublicRange: Rule = {
  meta: {
    id: 'subnet-public-range',
    severity: 'warning',
    docs: DOCS.networking,
    title: 'A pod or Service subnet uses publicly routed addresses',
    description:
      'Pod and Service subnets should come from address space no one uses on the Internet: RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598 (100.64/10), IPv6 unique local (fc00::/7) or link-local space. A subnet in public space (172.168.0.0/16 is not 172.16/12) captures those real addresses: pods and nodes can no longer reach the Internet hosts that own them. Also left alone: blocks no one routes (documentation ranges such as 192.0.2.0/24 and 2001:db8::/32, benchmarking 198.18/15, reserved 240/4). An IPv6 global prefix your organisation holds and routes to the cluster is a deliberate choice: disable the rule for that file. Reported on the subnet value.',
    appliesTo: ['kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: {
      bad: 'networking:\n  podSubnet: 172.168.0.0/16',
      good: 'networking:\n  podSubnet: 172.16.0.0/16',
    },
  },
  checkCluster({ subnets }, report) {
    for (const subnet of subnets) {
      for (const cidr of subnet.cidrs) {
        if (notPubliclyRoutedBlock(cidr)) continue;
        report(
          subnet.at,
          `${subnet.name} ${cidr.text} is publicly routed address space: traffic to the real hosts at those addresses would be captured by the cluster. Use ${cidr.family === 'ipv4' ? 'RFC 1918 space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or 100.64.0.0/10' : 'a unique local range (fd00::/8)'} instead.`,
        );
      }
    }
  },
};
