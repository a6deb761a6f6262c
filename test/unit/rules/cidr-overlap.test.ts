import * as assert from 'node:assert/strict';
import { check, cluster, controlPlane, expectRule, findingsOf, inventory, ROOT, spanOf, worker } from '../../helpers';

describe('cidr-overlap', () => {
  it('reports podSubnet and serviceSubnet overlapping, on both', () => {
    const text = cluster('networking:\n  podSubnet: 10.96.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'cidr-overlap', [
      { range: spanOf(text, '10.96.0.0/16'), message: /podSubnet 10\.96\.0\.0\/16 overlaps serviceSubnet 10\.96\.0\.0\/12/ },
      { range: spanOf(text, '10.96.0.0/12'), message: /serviceSubnet 10\.96\.0\.0\/12 overlaps podSubnet/ },
    ]);
  });
  it("reports a subnet that contains the inventory's node addresses (cross-file)", () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    const kubeadm = cluster('networking:\n  podSubnet: 192.168.0.0/16\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml');
    expectRule(findings, 'cidr-overlap', [
      {
        range: spanOf(kubeadm, '192.168.0.0/16'),
        message: /contains 2 addresses of the cluster's nodes: 192\.168\.1\.11 \(node "cp-1"\), 192\.168\.1\.101 \(node "w-1"\)/,
      },
    ]);
    assert.equal(findings[0].related?.[0].uri, `${ROOT}inventory.yaml`);
  });
});
