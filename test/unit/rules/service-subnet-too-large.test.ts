import * as assert from 'node:assert/strict';
import { check, expectRule, ofRule, spanOf } from '../../helpers';

const clusterConfig = (networking: string) =>
  `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n${networking}`;

describe('service-subnet-too-large', () => {
  it('reports an IPv4 Service network shorter than /12 and an IPv6 one shorter than /108, on the value', () => {
    const text = clusterConfig('  serviceSubnet: 10.0.0.0/8,fd00::/64\n');
    expectRule(check({ 'kubeadm.yaml': text })('kubeadm.yaml'), 'service-subnet-too-large', [
      {
        range: spanOf(text, '10.0.0.0/8,fd00::/64'),
        message:
          /serviceSubnet 10\.0\.0\.0\/8 has 2\^24 addresses; kube-apiserver refuses a Service network larger than \/12 for IPv4/,
      },
      { range: spanOf(text, '10.0.0.0/8,fd00::/64'), message: /fd00::\/64 has 2\^64 addresses; .* larger than \/108 for IPv6/ },
    ]);
  });

  it('accepts /12 and /108, and reads the other formats', () => {
    assert.deepEqual(
      ofRule(
        check({ 'kubeadm.yaml': clusterConfig('  serviceSubnet: 10.96.0.0/12,fd00::/108\n') })('kubeadm.yaml'),
        'service-subnet-too-large',
      ),
      [],
    );
    const rke2 = 'token: secret\ncni: canal\nservice-cidr: 10.0.0.0/10\n';
    expectRule(check({ 'rke2/server-1/config.yaml': rke2 })('rke2/server-1/config.yaml'), 'service-subnet-too-large', [
      { range: spanOf(rke2, '10.0.0.0/10') },
    ]);
  });
});
