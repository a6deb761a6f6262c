import * as assert from 'node:assert/strict';
import { applyEdits } from '../../edits';
import { check, controlPlane, expectRule, inventory, ofRule, ROOT, ruleFixes, spanOf, worker } from '../../helpers';

const RULE = 'mtu-overlay-overhead';

/** A node item with `mtu` on its interface. */
function withMtu(node: string, mtu: number): string {
  return node.replace(/(          address: [^\n]+\n)/, `$1          mtu: ${mtu}\n`);
}

function cni(plugin: string, mode: string | undefined, mtu: number | undefined, wireguard = false): string {
  return `  cni:\n    plugin: ${plugin}\n${mode ? `    mode: ${mode}\n` : ''}${wireguard ? '    wireguard: true\n' : ''}${mtu !== undefined ? `    mtu: ${mtu}\n` : ''}`;
}

describe('mtu-overlay-overhead', () => {
  it('reports the CNI MTU when it plus VXLAN does not fit a node interface, naming the node, the MTUs and the largest that fits', () => {
    const text = inventory(
      withMtu(controlPlane('cp-1', 11), 1500) + withMtu(worker('w-1', 1), 1450),
      cni('calico', 'vxlan', 1450),
    );
    const findings = check({ 'inventory.yaml': text })('inventory.yaml');
    expectRule(findings, RULE, [
      {
        range: spanOf(text, '1450'),
        message:
          /^spec\.cni\.mtu 1450 plus Calico's VXLAN 50 bytes makes 1500-byte packets, larger than the MTU 1450 of eth0 of node "w-1": large packets between nodes are dropped while small ones pass\. The largest spec\.cni\.mtu that fits is 1400\.$/,
      },
    ]);
    const [finding] = ofRule(findings, RULE);
    assert.deepEqual(
      finding.related?.map((r) => [r.range, r.message]),
      [[spanOf(text, '1450', 1), 'eth0 of node "w-1": MTU 1450, fits 1400 with VXLAN 50 bytes']],
    );
  });

  it('the quick-fix sets the largest MTU that fits, keeps every other byte, and the file is then clean of the rule', () => {
    const text = inventory(
      withMtu(controlPlane('cp-1', 11), 1450) + withMtu(worker('w-1', 1), 1450),
      cni('calico', 'ipip', 1500, true).replace('    mtu: 1500\n', '    mtu: 1500 # pods\n'),
    ).replace(/\n/g, '\r\n');
    const fixes = ruleFixes({ 'inventory.yaml': text }, 'inventory.yaml', RULE);
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Set the MTU to 1390, the largest that fits'],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.equal(fixed, text.replace('mtu: 1500 # pods', 'mtu: 1390 # pods'));
    assert.deepEqual(ofRule(check({ 'inventory.yaml': fixed })('inventory.yaml'), RULE), []);
  });

  it("WireGuard replaces Calico's tunnel: 1440 fits a 1500 network, 1450 does not", () => {
    const nodes = withMtu(controlPlane('cp-1', 11), 1500) + withMtu(worker('w-1', 1), 1500);
    assert.deepEqual(
      ofRule(check({ 'inventory.yaml': inventory(nodes, cni('calico', 'vxlan', 1440, true)) })('inventory.yaml'), RULE),
      [],
    );
    const text = inventory(nodes, cni('calico', 'vxlan', 1450, true));
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      {
        range: spanOf(text, '1450'),
        message: /plus Calico's WireGuard 60 bytes makes 1510-byte packets.*The largest spec\.cni\.mtu that fits is 1440\./,
      },
    ]);
  });

  it('over IPv6 interfaces VXLAN costs 70 bytes', () => {
    const v6 = (node: string, n: number) => node.replace(/address: 192\.168\.1\.\d+\/24/, `address: fd00::${n}/64`);
    const text = inventory(
      withMtu(v6(controlPlane('cp-1', 11), 11), 1500) + withMtu(v6(worker('w-1', 1), 101), 1500),
      cni('flannel', 'vxlan', 1450),
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      { range: spanOf(text, '1450'), message: /flannel's VXLAN 70 bytes makes 1520-byte packets.*fits is 1430\./ },
    ]);
  });

  it('with nodes of both families, the overhead named is the one of the interface that does not fit', () => {
    const text = inventory(
      withMtu(controlPlane('cp-1', 11), 1500) +
        withMtu(worker('w-1', 1).replace(/address: 192\.168\.1\.101\/24/, 'address: fd00::101/64'), 1500),
      cni('calico', 'vxlan', 1440),
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      {
        range: spanOf(text, '1440'),
        message:
          /^spec\.cni\.mtu 1440 plus Calico's VXLAN 70 bytes makes 1510-byte packets, larger than the MTU 1500 of eth0 of node "w-1":.*fits is 1430\.$/,
      },
    ]);
  });

  it("Cilium's MTU is the network's own: it must fit the interface as it is", () => {
    const nodes = withMtu(controlPlane('cp-1', 11), 1450) + withMtu(worker('w-1', 1), 1450);
    const text = inventory(nodes, cni('cilium', 'vxlan', 1500));
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      {
        range: spanOf(text, '1500'),
        message:
          /^spec\.cni\.mtu 1500 is the MTU of the network under Cilium, larger than the MTU 1450 of eth0 of node "cp-1" and 1 other interface:.*fits is 1450\.$/,
      },
    ]);
    assert.deepEqual(
      ofRule(check({ 'inventory.yaml': inventory(nodes, cni('cilium', 'vxlan', 1450)) })('inventory.yaml'), RULE),
      [],
    );
  });

  it('without encapsulation the MTU itself must fit (flannel host-gw, Calico BGP)', () => {
    const text = inventory(
      withMtu(controlPlane('cp-1', 11), 1500) + withMtu(worker('w-1', 1), 1450),
      cni('flannel', 'host-gw', 1500),
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      {
        range: spanOf(text, '1500'),
        message:
          /^spec\.cni\.mtu 1500 \(flannel adds no encapsulation here\) is larger than the MTU 1450 of eth0 of node "w-1":.*fits is 1450\.$/,
      },
    ]);
  });

  it('is silent when nothing is known or nothing is encapsulated: no CNI MTU, no interface MTU, one node, native routing', () => {
    const two = (mtu: number) => withMtu(controlPlane('cp-1', 11), mtu) + withMtu(worker('w-1', 1), mtu);
    const quiet = [
      inventory(two(1450), cni('calico', 'vxlan', undefined)),
      inventory(controlPlane('cp-1', 11) + worker('w-1', 1), cni('calico', 'vxlan', 1500)),
      inventory(withMtu(controlPlane('cp-1', 11), 1450), cni('calico', 'vxlan', 1500)),
      inventory(two(1500), cni('calico', 'bgp', 1500)),
      inventory(two(1500), cni('flannel', 'host-gw', 1500)),
      inventory(two(1450), cni('kube-router', undefined, 1450)),
      inventory(two(1500), cni('other', undefined, 9000)),
      // The overhead of flannel's UDP backend is not in the table: no guess.
      inventory(two(1500), cni('flannel', 'udp', 1500)),
    ];
    for (const text of quiet) assert.deepEqual(ofRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE), [], text);
  });

  it('a node with several interfaces counts only those in a network another node shares', () => {
    // cp-1's eth1 (a management network no one else is in) has a small MTU: it carries no cluster traffic.
    const mgmt =
      '        - name: eth1\n          mac: "52:54:00:00:02:01"\n          address: 10.99.0.1/24\n          mtu: 1280\n';
    const cp = withMtu(controlPlane('cp-1', 11), 1500).replace('      firewall:\n', `${mgmt}      firewall:\n`);
    const text = inventory(cp + withMtu(worker('w-1', 1), 1500), cni('calico', 'vxlan', 1450));
    assert.deepEqual(ofRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE), []);
  });

  it("k0s's network.calico.mtu beside the inventory is checked against its nodes (cross-file)", () => {
    const inv = inventory(withMtu(controlPlane('cp-1', 11), 1450) + withMtu(worker('w-1', 1), 1450));
    const k0s =
      'apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n  network:\n    provider: calico\n    calico:\n      mode: vxlan\n      mtu: 1450\n';
    const findings = check({ 'inventory.yaml': inv, 'k0s.yaml': k0s })('k0s.yaml');
    expectRule(findings, RULE, [
      {
        range: spanOf(k0s, '1450'),
        message: /^spec\.network\.calico\.mtu 1450 plus Calico's VXLAN 50 bytes makes 1500-byte packets.*fits is 1400\.$/,
      },
    ]);
    assert.equal(ofRule(findings, RULE)[0].related?.[0].uri, `${ROOT}inventory.yaml`);
  });

  it("Kubespray's calico_veth_mtu in group_vars, in a cluster declared with the inventory: reported there, and fixed there", () => {
    const files = {
      '.cluster-preflight.yaml': 'clusters:\n  - name: lab\n    files: ["*.yaml", "*.ini", "group_vars/**"]\n',
      'inventory.yaml': inventory(withMtu(controlPlane('cp-1', 11), 1450) + withMtu(worker('w-1', 1), 1450)),
      'hosts.ini':
        '[kube_control_plane]\ncp-1 ip=192.168.1.11\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=192.168.1.101\n',
      'group_vars/k8s_cluster.yml': 'calico_mtu: 1450\ncalico_veth_mtu: "1440" # tunnels\n',
    };
    const vars = files['group_vars/k8s_cluster.yml'];
    expectRule(check(files)('group_vars/k8s_cluster.yml'), RULE, [
      {
        range: spanOf(vars, '"1440"'),
        message:
          /^calico_veth_mtu 1440 plus Calico's VXLAN 50 bytes makes 1490-byte packets, larger than the MTU 1450 of eth0 of node "cp-1" and 1 other interface:.*fits is 1400\.$/,
      },
    ]);
    const fixes = ruleFixes(files, 'group_vars/k8s_cluster.yml', RULE);
    assert.equal(fixes.length, 1);
    const fixed = applyEdits(vars, fixes[0].edits);
    assert.equal(fixed, 'calico_mtu: 1450\ncalico_veth_mtu: "1400" # tunnels\n');
    assert.deepEqual(ofRule(check({ ...files, 'group_vars/k8s_cluster.yml': fixed })('group_vars/k8s_cluster.yml'), RULE), []);
  });
});
