import * as assert from 'node:assert/strict';
import { expectRule, findingsOf, init, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('invalid-hostname', () => {
  describe('in inventories', () => {
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

  describe('in kubeadm configs', () => {
    it('invalid-hostname checks nodeRegistration.name', () => {
      const text = init('nodeRegistration:\n  name: CP_1\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'invalid-hostname', [
        { range: spanOf(text, 'CP_1'), message: /nodeRegistration\.name "CP_1" is not a valid node name \(kubeadm rejects it\)/ },
      ]);
    });
  });
});
