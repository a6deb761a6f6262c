import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanOf } from '../../helpers';

describe('nodeport-range-ephemeral-overlap', () => {
  it("warns when the NodePort range reaches into Linux's ephemeral ports, on the value", () => {
    const text = inventory(controlPlane('cp-1', 11), '  nodePortRange: 30000-40000\n');
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), 'nodeport-range-ephemeral-overlap', [
      {
        range: spanOf(text, '30000-40000'),
        severity: 'warning',
        message: /shares 32768-40000 with Linux's ephemeral ports \(32768-60999 by default\)/,
      },
    ]);
    const kubeadm =
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: service-node-port-range\n      value: 50000-52767\n';
    expectRule(check({ 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), 'nodeport-range-ephemeral-overlap', [
      { range: spanOf(kubeadm, '50000-52767') },
    ]);
  });

  it('accepts the default range, which ends just below 32768', () => {
    const text = inventory(controlPlane('cp-1', 11), '  nodePortRange: 30000-32767\n');
    assert.deepEqual(ofRule(check({ 'inventory.yaml': text })('inventory.yaml'), 'nodeport-range-ephemeral-overlap'), []);
  });
});
