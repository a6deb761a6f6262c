import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanOf, worker } from '../../helpers';

describe('etcd-quorum', () => {
  it('warns about an even number of stacked etcd members', () => {
    const text = inventory(controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + worker('w-1', 1));
    expectRule(findingsOf(text), 'etcd-quorum', [
      { range: spanOf(text, 'nodes'), severity: 'warning', message: /2 etcd members \(control-plane nodes, stacked etcd\)/ },
    ]);
  });
  it('counts the nodes with role etcd when there are any', () => {
    const etcd = (name: string, octet: number) =>
      controlPlane(name, octet)
        .replace('roles: [control-plane]', 'roles: [etcd]')
        .replace(/        - port: (6443|10250|10257|10259)\n/g, '');
    const three = inventory(
      controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + etcd('etcd-1', 21) + etcd('etcd-2', 22) + etcd('etcd-3', 23),
    );
    assert.deepEqual(ofRule(findingsOf(three), 'etcd-quorum'), []);
    const four = inventory(
      controlPlane('cp-1', 11) + etcd('etcd-1', 21) + etcd('etcd-2', 22) + etcd('etcd-3', 23) + etcd('etcd-4', 24),
    );
    expectRule(findingsOf(four), 'etcd-quorum', [
      { range: spanOf(four, 'nodes'), severity: 'warning', message: /4 etcd members \(nodes with role etcd\)/ },
    ]);
  });
  it('under K3s counts only the nodes with role etcd: servers on an external datastore or SQLite are no members', () => {
    const servers = controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + worker('w-1', 1);
    assert.deepEqual(ofRule(findingsOf(inventory(servers, '  distribution: k3s\n')), 'etcd-quorum'), []);
    // With embedded etcd the servers carry the role, and two of them are reported.
    const embedded = inventory(
      servers.replace(/roles: \[control-plane\]/g, 'roles: [control-plane, etcd]'),
      '  distribution: k3s\n',
    );
    expectRule(findingsOf(embedded), 'etcd-quorum', [
      { range: spanOf(embedded, 'nodes'), severity: 'warning', message: /2 etcd members \(nodes with role etcd\)/ },
    ]);
    // RKE2 stacks etcd on its servers, as kubeadm does.
    const rke2 = inventory(servers, '  distribution: rke2\n');
    expectRule(findingsOf(rke2), 'etcd-quorum', [
      { range: spanOf(rke2, 'nodes'), severity: 'warning', message: /2 etcd members \(control-plane nodes, stacked etcd\)/ },
    ]);
  });
});
