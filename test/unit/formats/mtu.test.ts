import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { CNI_PLUGINS, encapsulationOverhead, type CniPlugin } from '../../../server/src/engine/knowledge/cni';
import { inventory, controlPlane, ROOT, worker } from '../../helpers';

/**
 * Bytes each plugin's mode adds, without and with WireGuard, over IPv4 and IPv6 underlays:
 * written out from the plugins' docs (Calico's MTU page, Cilium's mtu package, flannel's
 * backends, Antrea's tunnel types), not computed. undefined: the table does not know (no check).
 */
const EXPECTED: Array<
  [CniPlugin, string, { v4: number | undefined; v6: number | undefined; wg4: number | undefined; wg6: number | undefined }]
> = [
  ['calico', 'ipip', { v4: 20, v6: undefined, wg4: 60, wg6: undefined }],
  ['calico', 'vxlan', { v4: 50, v6: 70, wg4: 60, wg6: 80 }],
  ['calico', 'bgp', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  ['calico', 'none', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  // Cilium's WireGuard wraps its tunnel.
  ['cilium', 'vxlan', { v4: 50, v6: 70, wg4: 110, wg6: 150 }],
  ['cilium', 'geneve', { v4: 50, v6: 70, wg4: 110, wg6: 150 }],
  ['cilium', 'native', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  ['flannel', 'vxlan', { v4: 50, v6: 70, wg4: 60, wg6: 80 }],
  ['flannel', 'host-gw', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  ['flannel', 'wireguard', { v4: 60, v6: 80, wg4: 60, wg6: 80 }],
  ['flannel', 'udp', { v4: undefined, v6: undefined, wg4: undefined, wg6: undefined }],
  ['canal', 'vxlan', { v4: 50, v6: 70, wg4: 60, wg6: 80 }],
  ['antrea', 'geneve', { v4: 50, v6: 70, wg4: 60, wg6: 80 }],
  ['antrea', 'vxlan', { v4: 50, v6: 70, wg4: 60, wg6: 80 }],
  ['antrea', 'gre', { v4: 38, v6: 58, wg4: 60, wg6: 80 }],
  ['antrea', 'stt', { v4: undefined, v6: undefined, wg4: undefined, wg6: undefined }],
  ['antrea', 'noEncap', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  ['kube-router', 'bgp', { v4: 0, v6: 0, wg4: 60, wg6: 80 }],
  ['weave', 'sleeve', { v4: undefined, v6: undefined, wg4: undefined, wg6: undefined }],
];

describe('MTU: encapsulation overhead and the MTU settings of each format', () => {
  it('the table covers every mode of every plugin', () => {
    const modes = (Object.keys(CNI_PLUGINS) as CniPlugin[]).flatMap((p) => CNI_PLUGINS[p].modes.map((m) => `${p}/${m}`));
    assert.deepEqual(EXPECTED.map(([p, m]) => `${p}/${m}`).sort(), modes.sort());
  });

  for (const [plugin, mode, expected] of EXPECTED) {
    it(`${plugin} ${mode}: ${JSON.stringify(expected)}`, () => {
      const bytes = (wireguard: boolean, family: 'ipv4' | 'ipv6') =>
        encapsulationOverhead({ plugin, mode, wireguard }, family)?.bytes;
      assert.deepEqual(
        { v4: bytes(false, 'ipv4'), v6: bytes(false, 'ipv6'), wg4: bytes(true, 'ipv4'), wg6: bytes(true, 'ipv6') },
        expected,
      );
    });
  }

  it('the default mode applies when none is written; unknown plugins have no overhead to count', () => {
    assert.equal(encapsulationOverhead({ plugin: 'calico' }, 'ipv4')?.bytes, 20);
    assert.equal(encapsulationOverhead({ plugin: 'antrea' }, 'ipv6')?.bytes, 70);
    assert.equal(encapsulationOverhead({ plugin: 'other', mode: 'vxlan' }, 'ipv4'), undefined);
    assert.equal(encapsulationOverhead({ plugin: 'none' }, 'ipv4'), undefined);
    assert.deepEqual(encapsulationOverhead({ plugin: 'calico', mode: 'vxlan', wireguard: true }, 'ipv4')?.parts, [
      'WireGuard 60',
    ]);
    assert.deepEqual(encapsulationOverhead({ plugin: 'cilium', mode: 'vxlan', wireguard: true }, 'ipv4')?.parts, [
      'VXLAN 50',
      'WireGuard 60',
    ]);
  });

  /** The MTU settings a cluster's files contribute: [name, value, plugin] of each. */
  function mtus(files: Record<string, string>, of: string): Array<[string, number, string | undefined]> {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
    return workspace.model(ROOT + of).cniMtus.map((m) => [m.name, m.value, m.plugin]);
  }

  const INI = '[kube_control_plane]\ncp-1 ip=10.0.0.1\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=10.0.0.2\n';
  const kubespray = (vars: string) => mtus({ 'inventory.ini': INI, 'group_vars/k8s_cluster.yml': vars }, 'inventory.ini');

  it('Kubespray: Calico runs with calico_veth_mtu when calico_mtu is set too, else calico_mtu; neither alone without calico_mtu', () => {
    assert.deepEqual(kubespray('calico_mtu: 1500\n'), [['calico_mtu', 1500, 'calico']]);
    assert.deepEqual(kubespray('calico_mtu: 1500\ncalico_veth_mtu: 1440\n'), [['calico_veth_mtu', 1440, 'calico']]);
    // calico-node.yml.j2 sets the MTUs only `if calico_mtu is defined`.
    assert.deepEqual(kubespray('calico_veth_mtu: 1440\n'), []);
    // A Calico variable in a Cilium cluster is not the plugin's.
    assert.deepEqual(kubespray('kube_network_plugin: cilium\ncalico_mtu: 1500\n'), []);
  });

  it("Kubespray: cilium_mtu, where 0 (its default) means detect; flannel's role has no MTU variable", () => {
    assert.deepEqual(kubespray('kube_network_plugin: cilium\ncilium_mtu: "1450"\n'), [['cilium_mtu', 1450, 'cilium']]);
    assert.deepEqual(kubespray('kube_network_plugin: cilium\ncilium_mtu: "0"\n'), []);
    assert.deepEqual(kubespray('kube_network_plugin: flannel\n'), []);
    // A templated value is unknown, not guessed.
    assert.deepEqual(kubespray('calico_mtu: "{{ mtu }}"\n'), []);
  });

  const k0s = (network: string) =>
    mtus(
      {
        'k0s.yaml': `apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n  network:\n${network}`,
      },
      'k0s.yaml',
    );

  it('k0s: network.calico.mtu with Calico (0 detects); network.kuberouter.mtu only with autoMTU false', () => {
    assert.deepEqual(k0s('    provider: calico\n    calico:\n      mtu: 1400\n'), [['spec.network.calico.mtu', 1400, 'calico']]);
    assert.deepEqual(k0s('    provider: calico\n    calico:\n      mtu: 0\n'), []);
    assert.deepEqual(k0s('    provider: kuberouter\n    kuberouter:\n      autoMTU: false\n      mtu: 1400\n'), [
      ['spec.network.kuberouter.mtu', 1400, 'kube-router'],
    ]);
    assert.deepEqual(k0s('    provider: kuberouter\n    kuberouter:\n      mtu: 1400\n'), []);
    assert.deepEqual(k0s('    provider: kuberouter\n    calico:\n      mtu: 1400\n'), []);
  });

  it("k0sctl: the embedded ClusterConfig's network.calico.mtu", () => {
    const k0sctl =
      'apiVersion: k0sctl.k0sproject.io/v1beta1\nkind: Cluster\nmetadata:\n  name: lab\nspec:\n  hosts:\n    - role: controller\n      ssh:\n        address: 10.0.0.1\n  k0s:\n    config:\n      spec:\n        network:\n          provider: calico\n          calico:\n            mtu: 1440\n';
    assert.deepEqual(mtus({ 'k0sctl.yaml': k0sctl }, 'k0sctl.yaml'), [
      ['spec.k0s.config.spec.network.calico.mtu', 1440, 'calico'],
    ]);
  });

  it("the inventory: spec.cni.mtu for whichever plugin runs, and each interface's mtu", () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('address: 192.168.1.11/24\n', 'address: 192.168.1.11/24\n          mtu: 1450\n') +
        worker('w-1', 1),
      '  cni:\n    plugin: calico\n    mtu: 1400\n',
    );
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, text);
    const model = workspace.model(`${ROOT}inventory.yaml`);
    assert.deepEqual(
      model.cniMtus.map((m) => [m.name, m.value, m.plugin, m.tier]),
      [['spec.cni.mtu', 1400, undefined, 'inventory']],
    );
    assert.deepEqual(
      model.nodes.map((n) => n.interfaces?.map((i) => i.mtu?.value)),
      [[1450], [undefined]],
    );
  });
});
