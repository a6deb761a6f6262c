import * as assert from 'node:assert/strict';
import { check, expectRule, ofRule, spanOf } from '../../helpers';

describe('missing-host-address', () => {
  it("warns on the host's first mention when no layer gives it ip, access_ip or ansible_host", () => {
    const text =
      'all:\n  hosts:\n    cp1:\n      ansible_user: ubuntu\n  children:\n    kube_control_plane:\n      hosts:\n        cp1:\n    etcd:\n      hosts:\n        cp1:\n';
    expectRule(check({ 'hosts.yaml': text })('hosts.yaml'), 'missing-host-address', [
      { range: spanOf(text, 'cp1'), severity: 'warning', message: /Host "cp1" has no ip, access_ip or ansible_host/ },
    ]);
  });

  it('counts an address from host_vars or group variables, a name that is an IP, and a local connection', () => {
    const inventory =
      '[kube_control_plane]\ncp1\n10.0.0.12\nlocal1 ansible_connection=local\n[etcd:children]\nkube_control_plane\n[kube_node]\nw1\n[kube_node:vars]\naccess_ip=10.0.0.99\n';
    const findings = check({ 'inventory.ini': inventory, 'host_vars/cp1/main.yml': 'ip: 10.0.0.11\n' })('inventory.ini');
    assert.deepEqual(ofRule(findings, 'missing-host-address'), []);
  });
});
