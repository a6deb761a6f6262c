import { expectRule, findingsOf, inventory, spanAfter, spanOf, worker } from '../../helpers';

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
