import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanOf, worker } from '../../helpers';

const RULE = 'mtu-mismatch';

function withMtu(node: string, mtu: number): string {
  return node.replace(/(          address(?:es)?: [^\n]+\n)/, `$1          mtu: ${mtu}\n`);
}

describe('mtu-mismatch', () => {
  it("reports each outlier's mtu, naming the value most nodes use", () => {
    const text = inventory(
      withMtu(controlPlane('cp-1', 11), 1500) + withMtu(worker('w-1', 1), 1500) + withMtu(worker('w-2', 2), 1450),
    );
    const findings = check({ 'inventory.yaml': text })('inventory.yaml');
    expectRule(findings, RULE, [
      {
        range: spanOf(text, '1450'),
        severity: 'warning',
        message:
          /^Interface eth0 of node "w-2" has MTU 1450, but 2 of the 3 cluster interfaces have 1500: the overlay's packets must fit every node's interface/,
      },
    ]);
    assert.deepEqual(
      ofRule(findings, RULE)[0].related?.map((r) => [r.range, r.message]),
      [
        [spanOf(text, '1500'), 'Node "cp-1" has MTU 1500'],
        [spanOf(text, '1500', 1), 'Node "w-1" has MTU 1500'],
      ],
    );
  });

  it('on a tie the smallest MTU is the reference: the larger ones are reported', () => {
    const text = inventory(withMtu(controlPlane('cp-1', 11), 9000) + withMtu(worker('w-1', 1), 1500));
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      {
        range: spanOf(text, '9000'),
        severity: 'warning',
        message: /node "cp-1" has MTU 9000, but 1 of the 2 cluster interfaces have 1500/,
      },
    ]);
  });

  it('is silent when the MTUs agree, when only some nodes write one, and for interfaces that carry no cluster traffic', () => {
    const mgmt =
      '        - name: eth1\n          mac: "52:54:00:00:02:01"\n          address: 10.99.0.1/24\n          mtu: 9000\n';
    const cp = withMtu(controlPlane('cp-1', 11), 1500).replace('      firewall:\n', `${mgmt}      firewall:\n`);
    for (const text of [
      inventory(withMtu(controlPlane('cp-1', 11), 1450) + withMtu(worker('w-1', 1), 1450)),
      inventory(withMtu(controlPlane('cp-1', 11), 1450) + worker('w-1', 1)),
      inventory(cp + withMtu(worker('w-1', 1), 1500)),
    ])
      assert.deepEqual(ofRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE), [], text);
  });

  it('a dual-stack interface is one interface: its MTU counts once', () => {
    const dual = (node: string, n: number) => node.replace(/address: (192\.168\.1\.\d+\/24)/, `addresses: [$1, "fd00::${n}/64"]`);
    const text = inventory(
      withMtu(dual(controlPlane('cp-1', 11), 11), 1500) +
        withMtu(dual(worker('w-1', 1), 101), 1500) +
        withMtu(dual(worker('w-2', 2), 102), 1400),
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), RULE, [
      { range: spanOf(text, '1400'), severity: 'warning', message: /MTU 1400, but 2 of the 3 cluster interfaces have 1500/ },
    ]);
  });
});
