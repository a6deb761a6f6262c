import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanOf, worker } from '../../helpers';

describe('duplicate-mac', () => {
  it('compares normalised MACs across nodes and reports every occurrence', () => {
    const text = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('"52:54:00:00:01:01"', '52-54-00-00-00-0B') + worker('w-2', 2),
    );
    const findings = findingsOf(text);
    expectRule(findings, 'duplicate-mac', [
      { range: spanOf(text, '"52:54:00:00:00:0b"'), message: /MAC address 52:54:00:00:00:0b is on 2 nodes \("cp-1", "w-1"\)/ },
      { range: spanOf(text, '52-54-00-00-00-0B') },
    ]);
    assert.equal(ofRule(findings, 'duplicate-mac')[0].related?.[0].message, 'Same MAC on node "w-1"');
  });
  it('allows one MAC on several interfaces of the same node (bonds, VLANs)', () => {
    const bond = worker('w-1', 1).replace(
      '      firewall:',
      '        - name: bond0\n          mac: "52:54:00:00:01:01"\n          address: 10.0.0.1/24\n      firewall:',
    );
    const text = inventory(controlPlane('cp-1', 11) + bond);
    assert.deepEqual(ofRule(findingsOf(text), 'duplicate-mac'), []);
  });
});
