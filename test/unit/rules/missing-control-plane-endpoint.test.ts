import * as assert from 'node:assert/strict';
import { check, cluster, controlPlane, expectRule, inventory, join, ofRule, ROOT, spanOf } from '../../helpers';

describe('missing-control-plane-endpoint', () => {
  it('reports on the ClusterConfiguration kind when the inventory has several control-plane nodes', () => {
    const inv = inventory(controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + controlPlane('cp-3', 13));
    const kubeadm = cluster('networking:\n  podSubnet: 10.244.0.0/16\n');
    expectRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), 'missing-control-plane-endpoint', [
      {
        range: spanOf(kubeadm, 'ClusterConfiguration'),
        message: /no controlPlaneEndpoint, but the inventory has 3 control-plane nodes/,
      },
    ]);
    const withEndpoint = cluster('controlPlaneEndpoint: k8s-api.lab:6443\n');
    assert.deepEqual(
      ofRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': withEndpoint })('kubeadm.yaml'), 'missing-control-plane-endpoint'),
      [],
    );
  });
  it('reports when a JoinConfiguration joins a control-plane node', () => {
    const kubeadm = cluster('clusterName: lab\n');
    const joinText = join(
      'controlPlane:\n  certificateKey: abc\ndiscovery:\n  file:\n    kubeConfigPath: /etc/kubernetes/discovery.yaml\n',
    );
    const findings = check({ 'cluster.yaml': kubeadm, 'join.yaml': joinText })('cluster.yaml');
    expectRule(findings, 'missing-control-plane-endpoint', [
      { range: spanOf(kubeadm, 'ClusterConfiguration'), message: /join\.yaml joins a control-plane node/ },
    ]);
    assert.equal(findings[0].related?.[0].uri, `${ROOT}join.yaml`);
  });
});
