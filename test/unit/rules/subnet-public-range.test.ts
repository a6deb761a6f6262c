import * as assert from 'node:assert/strict';
import { check, cluster, expectRule, findingsOf, ofRule, spanOf } from '../../helpers';

const RULE = 'subnet-public-range';

describe('subnet-public-range', () => {
  it('reports a pod subnet in public space (172.168/16 is not 172.16/12), on the value', () => {
    const text = cluster('networking:\n  podSubnet: 172.168.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), RULE, [
      {
        range: spanOf(text, '172.168.0.0/16'),
        severity: 'warning',
        message:
          /^podSubnet 172\.168\.0\.0\/16 is publicly routed address space: traffic to the real hosts at those addresses would be captured by the cluster\. Use RFC 1918 space/,
      },
    ]);
  });

  it('reports a subnet only partly inside private space, and an IPv6 global prefix of a dual-stack pair', () => {
    const text = cluster('networking:\n  podSubnet: 10.244.0.0/16,2001:cafe:42::/56\n  serviceSubnet: 172.0.0.0/8\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), RULE, [
      {
        range: spanOf(text, '10.244.0.0/16,2001:cafe:42::/56'),
        severity: 'warning',
        message: /^podSubnet 2001:cafe:42::\/56 is publicly routed.*unique local range/,
      },
      { range: spanOf(text, '172.0.0.0/8'), severity: 'warning', message: /^serviceSubnet 172\.0\.0\.0\/8 is publicly routed/ },
    ]);
  });

  it("is silent for the installers' defaults and for private, shared, unique local and documentation space", () => {
    const quiet: Record<string, string> = {
      // kubeadm's defaults, Cilium's cluster-pool default (10.0.0.0/8) and its IPv6 default.
      'kubeadm.yaml': cluster('networking:\n  podSubnet: 10.0.0.0/8,fd00::/104\n  serviceSubnet: 10.96.0.0/12\n'),
      'shared/kubeadm.yaml': cluster('networking:\n  podSubnet: 100.64.0.0/16\n  serviceSubnet: 192.168.0.0/20\n'),
      'doc/kubeadm.yaml': cluster('networking:\n  podSubnet: 2001:db8:42::/56\n  serviceSubnet: 172.16.0.0/16\n'),
      'ula/kubeadm.yaml': cluster(
        'networking:\n  podSubnet: fd85:ee78:d8a6:8607::1:0/112\n  serviceSubnet: fd85:ee78:d8a6:8607::1000/116\n',
      ),
      // k0s's defaults.
      'k0s/k0s.yaml':
        'apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n  network:\n    podCIDR: 10.244.0.0/16\n    serviceCIDR: 10.96.0.0/12\n',
      // RKE2's defaults.
      'rke2/etc/rancher/rke2/config.yaml': 'cluster-cidr: 10.42.0.0/16\nservice-cidr: 10.43.0.0/16\ncni: canal\n',
      // Kubespray's defaults.
      'ks/inventory.ini':
        '[kube_control_plane]\ncp-1 ip=10.0.0.1\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=10.0.0.2\n',
      'ks/group_vars/k8s_cluster/k8s-cluster.yml':
        'kube_pods_subnet: 10.233.64.0/18\nkube_service_addresses: 10.233.0.0/18\nipv6_stack: true\nkube_pods_subnet_ipv6: fd85:ee78:d8a6:8607::1:0000/112\nkube_service_addresses_ipv6: fd85:ee78:d8a6:8607::1000/116\n',
    };
    const findings = check(quiet);
    for (const name of Object.keys(quiet)) assert.deepEqual(ofRule(findings(name), RULE), [], name);
  });
});
