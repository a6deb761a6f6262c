import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, findingsOf, init, inventory, ofRule, spanOf } from '../../helpers';

describe('unknown-node', () => {
  it('unknown-node warns about names and addresses the inventory does not have', () => {
    const inv = inventory(controlPlane('cp-1', 11));
    const kubeadm =
      init('localAPIEndpoint:\n  advertiseAddress: 192.168.1.99\nnodeRegistration:\n  name: cp-01\n') +
      '---\n' +
      init('localAPIEndpoint:\n  advertiseAddress: 192.168.1.11\nnodeRegistration:\n  name: CP-1\n');
    expectRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), 'unknown-node', [
      {
        range: spanOf(kubeadm, '192.168.1.99'),
        severity: 'warning',
        message: /advertiseAddress 192\.168\.1\.99 is no interface address of a node in the inventory \(inventory\.yaml\)/,
      },
      {
        range: spanOf(kubeadm, 'cp-01'),
        severity: 'warning',
        message: /nodeRegistration\.name "cp-01" matches no node of the inventory/,
      },
    ]);
    assert.deepEqual(ofRule(findingsOf(kubeadm, 'kubeadm.yaml'), 'unknown-node'), [], 'no inventory, no check');
  });
});
