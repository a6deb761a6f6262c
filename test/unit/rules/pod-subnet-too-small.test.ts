import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanOf, worker } from '../../helpers';

const clusterConfig = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n${body}`;
const threeNodes = inventory(controlPlane('cp-1', 11) + worker('w-1', 1) + worker('w-2', 2));

describe('pod-subnet-too-small', () => {
  it('warns when the pod network has fewer node CIDRs than the inventory has nodes', () => {
    const text = clusterConfig('networking:\n  podSubnet: 10.244.0.0/23\n');
    expectRule(check({ 'inventory.yaml': threeNodes, 'kubeadm.yaml': text })('kubeadm.yaml'), 'pod-subnet-too-small', [
      {
        range: spanOf(text, '10.244.0.0/23'),
        severity: 'warning',
        message: /holds 2 node CIDRs of \/24 \(the default node CIDR mask \/24\), but the cluster has 3 nodes/,
      },
    ]);
  });

  it('uses the mask in force (kubeadm extraArgs, Kubespray kube_network_node_prefix) and names it', () => {
    const text = clusterConfig(
      'networking:\n  podSubnet: 10.244.0.0/22\ncontrollerManager:\n  extraArgs:\n    - name: node-cidr-mask-size\n      value: "23"\n',
    );
    const findings = check({ 'inventory.yaml': threeNodes, 'kubeadm.yaml': text })('kubeadm.yaml');
    expectRule(findings, 'pod-subnet-too-small', [
      {
        range: spanOf(text, '10.244.0.0/22'),
        message: /holds 2 node CIDRs of \/23 \(controllerManager\.extraArgs node-cidr-mask-size 23\)/,
      },
    ]);
    assert.equal(
      ofRule(findings, 'pod-subnet-too-small')[0].related?.[0].message,
      'controllerManager.extraArgs node-cidr-mask-size: 23',
    );
    const ini =
      '[kube_control_plane]\ncp1 ip=10.0.0.1\n[etcd:children]\nkube_control_plane\n[kube_node]\nw1 ip=10.0.0.2\nw2 ip=10.0.0.3\n';
    const vars = 'kube_network_plugin: flannel\nkube_pods_subnet: 10.233.64.0/24\nkube_network_node_prefix: 25\n';
    expectRule(check({ 'hosts.ini': ini, 'group_vars/all.yml': vars })('group_vars/all.yml'), 'pod-subnet-too-small', [
      {
        range: spanOf(vars, '10.233.64.0/24'),
        message: /holds 2 node CIDRs of \/25 \(kube_network_node_prefix 25\), but the cluster has 3 nodes/,
      },
    ]);
  });

  it('a pod network smaller than one node block is an error (kubeadm refuses it); one block without an inventory is a warning', () => {
    const smaller = clusterConfig('networking:\n  podSubnet: 10.244.0.0/25\n');
    expectRule(check({ 'kubeadm.yaml': smaller })('kubeadm.yaml'), 'pod-subnet-too-small', [
      { range: spanOf(smaller, '10.244.0.0/25'), severity: 'error', message: /kubeadm refuses it/ },
    ]);
    const one = clusterConfig('networking:\n  podSubnet: 10.244.0.0/24\n');
    expectRule(check({ 'kubeadm.yaml': one })('kubeadm.yaml'), 'pod-subnet-too-small', [
      { range: spanOf(one, '10.244.0.0/24'), severity: 'warning', message: /single node CIDR .* Fine for a single-node cluster/ },
    ]);
  });

  it('stays silent for large enough networks, and with Calico or Cilium, which allocate from their own pools', () => {
    assert.deepEqual(
      ofRule(
        check({ 'inventory.yaml': threeNodes, 'kubeadm.yaml': clusterConfig('networking:\n  podSubnet: 10.244.0.0/16\n') })(
          'kubeadm.yaml',
        ),
        'pod-subnet-too-small',
      ),
      [],
    );
    const calico = inventory(controlPlane('cp-1', 11) + worker('w-1', 1) + worker('w-2', 2), '  cni:\n    plugin: calico\n');
    assert.deepEqual(
      ofRule(
        check({ 'inventory.yaml': calico, 'kubeadm.yaml': clusterConfig('networking:\n  podSubnet: 10.244.0.0/24\n') })(
          'kubeadm.yaml',
        ),
        'pod-subnet-too-small',
      ),
      [],
    );
  });
});
