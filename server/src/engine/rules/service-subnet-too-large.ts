import { DOCS } from '../knowledge/docs';
import type { Rule } from './types';

/** kube-apiserver's limit: a Service network may hold at most 2^20 addresses (IPv4 /12, IPv6 /108). */
const SHORTEST_PREFIX = { ipv4: 12, ipv6: 108 } as const;

export const serviceSubnetTooLarge: Rule = {
  meta: {
    id: 'service-subnet-too-large',
    severity: 'error',
    docs: DOCS.kubeApiserver,
    title: 'The Service network is larger than kube-apiserver accepts (IPv4 shorter than /12, IPv6 shorter than /108)',
    description:
      'kube-apiserver refuses to start with a --service-cluster-ip-range of more than 2^20 addresses: an IPv4 prefix shorter than /12 or an IPv6 prefix shorter than /108 ("specified --service-cluster-ip-range is too large"). Checked for kubeadm serviceSubnet, Kubespray kube_service_addresses, k0s serviceCIDR and RKE2/K3s service-cidr; reported on the value.',
    appliesTo: ['kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: { bad: 'serviceSubnet: 10.0.0.0/8', good: 'serviceSubnet: 10.96.0.0/12' },
  },
  checkCluster({ subnets }, report) {
    for (const setting of subnets.filter((s) => s.role === 'service')) {
      for (const cidr of setting.cidrs) {
        const shortest = SHORTEST_PREFIX[cidr.family];
        if (cidr.prefix >= shortest) continue;
        report(
          setting.at,
          `${setting.name} ${cidr.text} has 2^${(cidr.family === 'ipv4' ? 32 : 128) - cidr.prefix} addresses; kube-apiserver refuses a Service network larger than /${shortest} for ${cidr.family === 'ipv4' ? 'IPv4' : 'IPv6'} and does not start.`,
        );
      }
    }
  },
};
