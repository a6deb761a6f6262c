import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('node rules', () => {
  it('a complete inventory passes clean', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('worker-1', 1) + worker('worker-2', 2));
    assert.deepEqual(findingsOf(text), []);
  });

  describe('missing-interface', () => {
    it('reports a node without interfaces, empty or null interfaces on its hostname value', () => {
      const text = inventory(
        [
          '    - hostname: absent',
          '      roles: [worker]',
          '    - hostname: empty',
          '      roles: [worker]',
          '      interfaces: []',
          '    - hostname: nothing',
          '      roles: [worker]',
          '      interfaces:',
          '',
        ].join('\n'),
      );
      expectRule(findingsOf(text), 'missing-interface', [
        { range: spanOf(text, 'absent'), message: /Node "absent" has no network interfaces/ },
        { range: spanOf(text, 'empty') },
        { range: spanOf(text, 'nothing') },
      ]);
      assert.equal(ofRule(findingsOf(text), 'schema').length, 0, 'a null interfaces list is not also a schema error');
    });
  });

  describe('missing-address', () => {
    it('reports an interface without address on its name value', () => {
      const text = inventory(worker('w-1', 1).replace('          address: 192.168.1.101/24\n', ''));
      expectRule(findingsOf(text), 'missing-address', [
        { range: spanOf(text, 'eth0'), message: /Interface "eth0" of node "w-1" has no address/ },
      ]);
    });
    it('counts a null address as missing but not a wrongly typed one', () => {
      const text = inventory(
        worker('w-1', 1).replace('address: 192.168.1.101/24', 'address:') +
          worker('w-2', 2).replace('address: 192.168.1.102/24', 'address: 7'),
      );
      const findings = findingsOf(text);
      expectRule(findings, 'missing-address', [{ range: spanOf(text, 'eth0') }]);
      expectRule(findings, 'schema', [
        {
          range: spanAfter(text, 'address: ', '7'),
          message: /"interfaces\[0\]\.address" must be a string or null, not an integer/,
        },
      ]);
    });
  });

  describe('invalid-address', () => {
    it('reports values that are not IPv4/IPv6 with an optional prefix', () => {
      const bad = ['192.168.1.300/24', '010.0.0.1', '10.0.0.1/33', 'fe80::1%eth0', 'cp-1.lan', ''];
      const text = inventory(
        bad
          .map((address, i) => worker(`w-${i}`, i).replace(`address: 192.168.1.${100 + i}/24`, `address: "${address}"`))
          .join(''),
      );
      expectRule(
        findingsOf(text),
        'invalid-address',
        bad.map((a) => ({ range: spanOf(text, `"${a}"`) })),
      );
    });
    it('accepts IPv4, IPv6 and prefixes', () => {
      const good = ['10.0.0.1', '10.0.0.2/8', 'fd00::1', 'fd00::2/64', '::ffff:10.0.0.3'];
      const text = inventory(
        good
          .map((address, i) => worker(`w-${i}`, i).replace(`address: 192.168.1.${100 + i}/24`, `address: "${address}"`))
          .join(''),
      );
      assert.deepEqual(ofRule(findingsOf(text), 'invalid-address'), []);
    });
  });

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

  describe('invalid-hostname', () => {
    it('reports names that are not DNS-1123 subdomains', () => {
      const names = ['CP-1', 'cp_1', '-cp', 'cp-', 'a..b', `${'a'.repeat(64)}.lan`, 'x'.repeat(254)];
      const text = inventory(names.map((n, i) => worker(n, i)).join(''));
      expectRule(
        findingsOf(text),
        'invalid-hostname',
        names.map((n) => ({ range: spanAfter(text, '- hostname: ', n) })),
      );
      assert.match(
        ofRule(findingsOf(text), 'invalid-hostname')[0].message,
        /uppercase letters; node names are lowercase \("cp-1"\)/,
      );
    });
    it('accepts lowercase FQDNs', () => {
      const text = inventory(worker('node-1.dc1.example.com', 1));
      assert.deepEqual(ofRule(findingsOf(text), 'invalid-hostname'), []);
    });
  });
});
