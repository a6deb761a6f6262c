import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanOf, worker } from '../../helpers';

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
