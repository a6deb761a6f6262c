import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanOf, worker, KUBESPRAY } from '../../helpers';

/** Three control-plane nodes (stacked etcd) and a worker; cp-3 lives in another network. */
function cluster(cp1Extra = '', sourceOn2380 = ''): string {
  const cp1 = controlPlane('cp-1', 11).replace('        - port: 2379-2380\n', `        - port: 2379-2380\n${sourceOn2380}`);
  const cp3 = controlPlane('cp-3', 13).replace('192.168.1.13/24', '10.20.0.13/24');
  return inventory(cp1 + cp1Extra + controlPlane('cp-2', 12) + cp3 + worker('w-1', 1));
}

describe('firewall-source-excludes-peers', () => {
  it('reports a source that leaves out etcd members, on the source, naming each left-out member', () => {
    const text = cluster('', '          source: 192.168.1.0/24\n');
    const findings = check({ 'inventory.yaml': text })('inventory.yaml');
    expectRule(findings, 'firewall-source-excludes-peers', [
      {
        range: spanOf(text, '192.168.1.0/24'),
        severity: 'error',
        message:
          /Source 192\.168\.1\.0\/24 of node "cp-1"'s rule for 2379\/TCP \(etcd server client API\) leaves out control-plane node "cp-3" \(10\.20\.0\.13\), which needs to reach it\./,
      },
      { range: spanOf(text, '192.168.1.0/24'), message: /2380\/TCP \(etcd peer communication\) leaves out etcd member "cp-3"/ },
    ]);
    const related = ofRule(findings, 'firewall-source-excludes-peers')[0].related!;
    assert.deepEqual(related[0].range, spanOf(text, '10.20.0.13/24'));
    assert.equal(related[0].message, '"cp-3" is outside 192.168.1.0/24');
  });

  it('accepts sources that include every peer, a second entry without a source, and single-address sources', () => {
    for (const source of [
      '          source: 0.0.0.0/0\n',
      '          source: 10.0.0.0/8\n        - port: 2379-2380\n          source: 192.168.1.0/24\n',
    ]) {
      const text = cluster('', source);
      assert.deepEqual(ofRule(check({ 'inventory.yaml': text })('inventory.yaml'), 'firewall-source-excludes-peers'), [], source);
    }
    const open = cluster('        - port: 2380\n', '          source: 192.168.1.0/24\n');
    // 2380 has an entry without a source; 2379 still excludes cp-3.
    expectRule(check({ 'inventory.yaml': open })('inventory.yaml'), 'firewall-source-excludes-peers', [
      { range: spanOf(open, '192.168.1.0/24'), message: /2379\/TCP/ },
    ]);
  });

  it("checks the network plugin's ports against every other node, as a warning for health ports", () => {
    const text = inventory(
      controlPlane(
        'cp-1',
        11,
        '        - port: 4240\n          source: 192.168.1.11/32\n        - port: 8472\n          protocol: UDP\n',
      ) +
        worker('w-1', 1, '        - port: 4240\n        - port: 8472\n          protocol: UDP\n          source: 192.168.1.12\n'),
      '  cni:\n    plugin: cilium\n',
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), 'firewall-source-excludes-peers', [
      {
        range: spanOf(text, '192.168.1.11/32'),
        severity: 'warning',
        message: /4240\/TCP \(Cilium health checks\) leaves out node "w-1"/,
      },
      {
        range: spanOf(text, '192.168.1.12'),
        severity: 'error',
        message:
          /Source 192\.168\.1\.12 of node "w-1"'s rule for 8472\/UDP \(Cilium VXLAN\) leaves out node "cp-1" \(192\.168\.1\.11\)/,
      },
    ]);
  });
});

/** Four Kubespray nodes behind one AWS security group, linked by private_ip. */
const behindGroup = (ingress: string) =>
  `resource "aws_security_group" "k8s" {\n${ingress}}\n\nresource "aws_instance" "node" {\n  count                  = 4\n  private_ip             = "10.0.1.\${11 + count.index}"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n`;

describe('firewall-source-excludes-peers: Terraform security groups', () => {
  const files = (inventoryText: string, tf: string) => check({ 'inventory.ini': inventoryText, 'tf/main.tf': tf })('tf/main.tf');
  const everything = (source: string) =>
    `  ingress {\n    from_port = 0\n    to_port   = 0\n    protocol  = "-1"\n    ${source}\n  }\n`;

  it('is silent when the CIDR holds every peer, or the peers are members at private addresses', () => {
    assert.deepEqual(files(KUBESPRAY, behindGroup(everything('cidr_blocks = ["10.0.0.0/16"]'))), []);
    assert.deepEqual(files(KUBESPRAY, behindGroup(everything('self = true'))), []);
  });

  it('reports a CIDR that leaves out peers on the CIDR, naming them, with their addresses as related information', () => {
    const tf = behindGroup(everything('cidr_blocks = ["10.0.1.0/30"]'));
    const findings = files(KUBESPRAY, tf);
    // One finding per set of peers left out: the control-plane ports' peers, then every node's.
    expectRule(findings, 'firewall-source-excludes-peers', [
      {
        range: spanOf(tf, '"10.0.1.0/30"'),
        severity: 'error',
        message:
          /^aws_security_group "k8s"'s rule for 2379\/TCP \(etcd server client API\), 2380\/TCP \(etcd peer communication\), 10250\/TCP \(Kubelet API\) leaves out nodes "node1" \(10\.0\.1\.11\), "node2" \(10\.0\.1\.12\), "node3" \(10\.0\.1\.13\), which need to reach them\.$/,
      },
      {
        range: spanOf(tf, '"10.0.1.0/30"'),
        severity: 'error',
        message:
          /^aws_security_group "k8s"'s rule for 6443\/TCP \(Kubernetes API server\), 4789\/UDP \(Calico VXLAN\) leaves out nodes "node1" \(10\.0\.1\.11\), "node2" \(10\.0\.1\.12\), "node3" \(10\.0\.1\.13\), "node4" \(10\.0\.1\.14\), which need to reach them\.$/,
      },
    ]);
    assert.deepEqual(
      findings[1].related!.map((r) => r.message),
      [
        '"node1" reaches it from 10.0.1.11',
        '"node2" reaches it from 10.0.1.12',
        '"node3" reaches it from 10.0.1.13',
        '"node4" reaches it from 10.0.1.14',
      ],
    );
  });

  it("reports members that the cluster reaches at public addresses (Kubespray's access_ip) on `self`", () => {
    const publicInventory = KUBESPRAY.replace(/ip=10\.0\.1\.(\d+)/g, 'access_ip=203.0.113.$1');
    const tf = behindGroup(everything('self = true')).replace(
      'private_ip             = "10.0.1.${11 + count.index}"',
      'tags = { Name = "node${count.index + 1}" }',
    );
    const why =
      /A group reference admits its members by their private addresses; traffic to a public address arrives from a public one\.$/;
    expectRule(files(publicInventory, tf), 'firewall-source-excludes-peers', [
      {
        range: spanOf(tf, 'true'),
        severity: 'error',
        message:
          /2379\/TCP .*leaves out nodes "node1" \(203\.0\.113\.11\), "node2" \(203\.0\.113\.12\), "node3" \(203\.0\.113\.13\), which/,
      },
      { range: spanOf(tf, 'true'), severity: 'error', message: why },
    ]);
  });

  it('skips peers whose membership is not known and entries with unknown sources', () => {
    // node4 is named by no instance: whether it is in the group is not known.
    const tf = behindGroup(everything('self = true')).replace('count                  = 4', 'count                  = 3');
    assert.deepEqual(
      files(
        KUBESPRAY.replace(/ip=10\.0\.1\.(\d+)/g, 'access_ip=203.0.113.$1'),
        tf.replace('private_ip             = "10.0.1.${11 + count.index}"', 'tags = { Name = "node${count.index + 1}" }'),
      ).filter((f) => f.message.includes('node4')),
      [],
    );
    assert.deepEqual(files(KUBESPRAY, behindGroup(everything('cidr_blocks = [var.vpc]'))), []);
  });
});
