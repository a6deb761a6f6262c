import * as assert from 'node:assert/strict';
import { check, expectRule, ofRule, spanOf } from '../../helpers';

const hosts = '[kube_control_plane]\ncp1 ip=10.0.0.11\n\n[kube_node]\nw1 ip=10.0.0.21\n';

describe('etcd-group-empty', () => {
  it('reports an empty etcd group on its key when etcd runs on hosts (the default)', () => {
    const text = `${hosts}\n[etcd]\n`;
    expectRule(check({ 'inventory.ini': text })('inventory.ini'), 'etcd-group-empty', [
      { range: spanOf(text, 'etcd'), message: /etcd group has no hosts, but etcd_deployment_type is host by default/ },
    ]);
  });

  it('reports a missing etcd group on the first group, and names where etcd_deployment_type was set', () => {
    const vars = 'etcd_deployment_type: docker\n';
    const findings = check({ 'inventory.ini': hosts, 'group_vars/all/etcd.yml': vars })('inventory.ini');
    expectRule(findings, 'etcd-group-empty', [
      {
        range: spanOf(hosts, 'kube_control_plane'),
        message: /no etcd group, but etcd_deployment_type is docker \(group_vars\/all\/etcd\.yml\)/,
      },
    ]);
    assert.equal(ofRule(findings, 'etcd-group-empty')[0].related?.[0].message, 'etcd_deployment_type: docker');
  });

  it('accepts kubeadm-managed etcd, a templated deployment type, an etcd group with hosts, and an inventory with no hosts yet', () => {
    for (const [files, name] of [
      [{ 'inventory.ini': `${hosts}\n[etcd]\n`, 'group_vars/all.yml': 'etcd_deployment_type: kubeadm\n' }, 'inventory.ini'],
      [{ 'inventory.ini': `${hosts}\n[etcd]\n`, 'group_vars/all.yml': 'etcd_deployment_type: "{{ mode }}"\n' }, 'inventory.ini'],
      [{ 'inventory.ini': `${hosts}\n[etcd:children]\nkube_control_plane\n` }, 'inventory.ini'],
      [{ 'inventory.ini': '[kube_control_plane]\n# cp1\n\n[etcd]\n\n[kube_node]\n' }, 'inventory.ini'],
    ] as const) {
      assert.deepEqual(ofRule(check(files)(name), 'etcd-group-empty'), [], JSON.stringify(files));
    }
  });
});
