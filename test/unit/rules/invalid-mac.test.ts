import * as assert from 'node:assert/strict';
import { expectRule, findingsOf, inventory, ofRule, spanOf, worker } from '../../helpers';

describe('invalid-mac', () => {
  it('accepts colon, hyphen and dotted notations in any case', () => {
    const macs = ['52:54:00:AA:BB:01', '52-54-00-aa-bb-02', '5254.00aa.bb03', '02:00:00:00:00:04'];
    const text = inventory(macs.map((mac, i) => worker(`w-${i}`, i).replace(/mac: "[^"]+"/, `mac: "${mac}"`)).join(''));
    assert.deepEqual(ofRule(findingsOf(text), 'invalid-mac'), []);
  });
  it('reports unparseable, multicast, broadcast and all-zero addresses on the value', () => {
    const macs = [
      '52:54:00:aa:bb',
      '52:54:00:aa:bb:zz',
      '01:00:5e:00:00:01',
      'ff:ff:ff:ff:ff:ff',
      '00:00:00:00:00:00',
      '525400aabb01',
    ];
    const text = inventory(macs.map((mac, i) => worker(`w-${i}`, i).replace(/mac: "[^"]+"/, `mac: "${mac}"`)).join(''));
    expectRule(
      findingsOf(text),
      'invalid-mac',
      macs.map((m) => ({ range: spanOf(text, `"${m}"`) })),
    );
    assert.match(ofRule(findingsOf(text), 'invalid-mac')[2].message, /multicast\/broadcast/);
  });
});
