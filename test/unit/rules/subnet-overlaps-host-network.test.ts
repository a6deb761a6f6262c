import * as assert from 'node:assert/strict';
import { check, cluster, controlPlane, expectRule, inventory, ofRule, ROOT, spanOf, worker } from '../../helpers';

const RULE = 'subnet-overlaps-host-network';

describe('subnet-overlaps-host-network', () => {
  it("reports a subnet overlapping a node interface's network, on the subnet, naming the network and its nodes", () => {
    // The nodes are 192.168.1.11/24 and 192.168.1.101/24; the service subnet takes the top of that /24 without their addresses.
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    const kubeadm = cluster('networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 192.168.1.128/25\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml');
    expectRule(findings, RULE, [
      {
        range: spanOf(kubeadm, '192.168.1.128/25'),
        message:
          /^serviceSubnet 192\.168\.1\.128\/25 overlaps 192\.168\.1\.0\/24, the network of 2 nodes: "cp-1", "w-1": the cluster would route the rest of that network into itself/,
      },
    ]);
    const related = ofRule(findings, RULE)[0].related!;
    assert.deepEqual(
      related.map((r) => [r.uri, r.range, r.message]),
      [
        [`${ROOT}inventory.yaml`, spanOf(inv, '192.168.1.11/24'), 'Node "cp-1" is in 192.168.1.0/24'],
        [`${ROOT}inventory.yaml`, spanOf(inv, '192.168.1.101/24'), 'Node "w-1" is in 192.168.1.0/24'],
      ],
    );
  });

  it("leaves a subnet that contains a node's own address to cidr-overlap: the pair is reported once", () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    const kubeadm = cluster('networking:\n  podSubnet: 192.168.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml');
    assert.deepEqual(ofRule(findings, RULE), []);
    assert.equal(ofRule(findings, 'cidr-overlap').length, 1);
  });

  it('reports a subnet overlapping a network the inventory declares in spec.networks', () => {
    const inv = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1),
      '  networks:\n    - name: office-vpn\n      cidr: 10.8.0.0/16\n',
    );
    const kubeadm = cluster('networking:\n  podSubnet: 10.0.0.0/12\n  serviceSubnet: 10.96.0.0/12\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml');
    expectRule(findings, RULE, [
      {
        range: spanOf(kubeadm, '10.0.0.0/12'),
        message: /^podSubnet 10\.0\.0\.0\/12 overlaps the network "office-vpn" \(10\.8\.0\.0\/16\) the nodes use/,
      },
    ]);
    assert.deepEqual(
      ofRule(findings, RULE)[0].related?.map((r) => [r.range, r.message]),
      [[spanOf(inv, '10.8.0.0/16'), 'Network "office-vpn"']],
    );
  });

  it("warns about Docker's default bridge when Kubespray's container_manager is docker", () => {
    const ini = '[kube_control_plane]\ncp-1 ip=10.0.0.1\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=10.0.0.2\n';
    const vars = 'container_manager: docker\nkube_pods_subnet: 172.16.0.0/12\nkube_service_addresses: 10.233.0.0/18\n';
    const findings = check({ 'inventory.ini': ini, 'group_vars/k8s_cluster.yml': vars })('group_vars/k8s_cluster.yml');
    expectRule(findings, RULE, [
      {
        range: spanOf(vars, '172.16.0.0/12'),
        severity: 'warning',
        message:
          /^kube_pods_subnet 172\.16\.0\.0\/12 overlaps Docker's default bridge 172\.17\.0\.0\/16, and the nodes run Docker \(container_manager: docker\)/,
      },
    ]);
    // containerd (Kubespray's default) has no such bridge.
    const containerd = vars.replace('docker', 'containerd');
    assert.deepEqual(
      ofRule(check({ 'inventory.ini': ini, 'group_vars/k8s_cluster.yml': containerd })('group_vars/k8s_cluster.yml'), RULE),
      [],
    );
  });

  it("warns about Docker's bridge on a K3s node with docker: true", () => {
    const config = 'cluster-cidr: 172.17.0.0/16\nservice-cidr: 10.43.0.0/16\ndocker: true\n';
    const name = 'k3s/etc/rancher/k3s/config.yaml';
    expectRule(check({ [name]: config })(name), RULE, [
      { range: spanOf(config, '172.17.0.0/16'), severity: 'warning', message: /\(docker: true \(node .*\)\)/ },
    ]);
  });

  it('is silent for separate networks', () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1), '  networks:\n    - name: vpn\n      cidr: 10.8.0.0/16\n');
    const kubeadm = cluster('networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
    assert.deepEqual(ofRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), RULE), []);
  });
});
