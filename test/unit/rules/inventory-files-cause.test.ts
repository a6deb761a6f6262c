import * as assert from 'node:assert/strict';
import { check, expectRule, ofRule, spanAfter, spanOf } from '../../helpers';

/** A Kubespray directory with an INI inventory and a hosts.yaml of the same three VMs under other names. */
const ini =
  '[kube_control_plane]\nnode1 ansible_host=10.0.0.1\nnode2 ansible_host=10.0.0.2\nnode3 ansible_host=10.0.0.3\n' +
  '[etcd:children]\nkube_control_plane\n[kube_node:children]\nkube_control_plane\n';
const hostsYaml = `all:
  hosts:
    vm1:
      ansible_host: 10.0.0.1
    vm2:
      ansible_host: 10.0.0.2
    vm3:
      ansible_host: 10.0.0.3
  children:
    kube_control_plane:
      hosts:
        vm1:
        vm2:
        vm3:
    etcd:
      children:
        kube_control_plane:
    kube_node:
      children:
        kube_control_plane:
`;
const CAUSE =
  'two inventory files in this directory (hosts.yaml, inventory.ini) describe the same machines; Kubespray reads the one you pass with -i (passing the directory merges them). Keep one of them in the directory.';

describe('two inventory files of one Kubespray directory describing the same machines', () => {
  const findings = check({ 'inv/inventory.ini': ini, 'inv/hosts.yaml': hostsYaml });

  it('duplicate-ip says the cause, on the same places', () => {
    const address = (text: string, n: number, before: string) => spanAfter(text, before, `10.0.0.${n}`);
    expectRule(findings('inv/inventory.ini'), 'duplicate-ip', [
      {
        range: address(ini, 1, 'ansible_host='),
        message: new RegExp(`^Address 10\\.0\\.0\\.1 is on 2 nodes \\(.*\\): ${escape(CAUSE)}$`),
      },
      { range: address(ini, 2, 'ansible_host=') },
      { range: address(ini, 3, 'ansible_host=') },
    ]);
    expectRule(findings('inv/hosts.yaml'), 'duplicate-ip', [
      { range: address(hostsYaml, 1, 'ansible_host: '), message: new RegExp(`: ${escape(CAUSE)}$`) },
      { range: address(hostsYaml, 2, 'ansible_host: ') },
      { range: address(hostsYaml, 3, 'ansible_host: ') },
    ]);
  });

  it('etcd-quorum counts the members once per file and says why the count doubled', () => {
    const all = [...findings('inv/inventory.ini'), ...findings('inv/hosts.yaml')];
    const quorum = ofRule(all, 'etcd-quorum');
    assert.equal(quorum.length, 1);
    assert.equal(
      quorum[0].message,
      `The cluster has 6 etcd members (nodes with role etcd), 3 machines by their addresses: ${CAUSE}`,
    );
  });

  it('etcd-quorum says the cause when only some members are repeated in the other file', () => {
    const one = '[kube_control_plane]\nm ansible_host=10.0.0.1\n[etcd]\nm\n[kube_node]\nm\n';
    const all = check({ 'inv/inventory.ini': one, 'inv/hosts.yaml': hostsYaml });
    const quorum = ofRule([...all('inv/inventory.ini'), ...all('inv/hosts.yaml')], 'etcd-quorum');
    assert.deepEqual(
      quorum.map((f) => f.message),
      [`The cluster has 4 etcd members (nodes with role etcd), 3 machines by their addresses: ${CAUSE}`],
    );
    // Four different machines in two files are an even count, whatever the files.
    const other = check({ 'inv/inventory.ini': one.replace('10.0.0.1', '10.0.0.4'), 'inv/hosts.yaml': hostsYaml });
    assert.match(
      ofRule([...other('inv/inventory.ini'), ...other('inv/hosts.yaml')], 'etcd-quorum')[0].message,
      /^The cluster has 4 etcd members \(nodes with role etcd\)\. They tolerate 1 failure/,
    );
  });

  it('hostnames that are one kubelet name in two files say the cause too', () => {
    const both = check({
      'inv/inventory.ini': '[kube_control_plane]\nnode1 ansible_host=10.0.0.1\n[etcd]\nnode1\n[kube_node]\nnode1\n',
      'inv/hosts.yaml': 'all:\n  children:\n    kube_node:\n      hosts:\n        Node1:\n          ansible_host: 10.0.0.9\n',
    });
    expectRule(both('inv/hosts.yaml'), 'duplicate-hostname', [
      {
        range: spanOf('all:\n  children:\n    kube_node:\n      hosts:\n        Node1:\n', 'Node1'),
        message: new RegExp(`is used by 2 nodes: ${escape(CAUSE)}$`),
      },
    ]);
  });

  it('a duplicate inside one of the files keeps the usual message', () => {
    const twice = ini.replace('node3 ansible_host=10.0.0.3', 'node3 ansible_host=10.0.0.1');
    const messages = ofRule(
      check({ 'inv/inventory.ini': twice, 'inv/hosts.yaml': hostsYaml })('inv/inventory.ini'),
      'duplicate-ip',
    ).map((f) => f.message);
    assert.ok(messages.length > 0);
    assert.ok(
      messages.some((m) => m.startsWith('Address 10.0.0.1 is on 3 nodes') && m.endsWith('each node needs its own address.')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('Address 10.0.0.2 is on 2 nodes') && m.endsWith(CAUSE)),
      messages.join('\n'),
    );
  });

  it('the same machines in two separate Kubespray directories are not compared at all', () => {
    const apart = check({ 'a/inventory.ini': ini, 'b/hosts.yaml': hostsYaml });
    assert.deepEqual(ofRule(apart('a/inventory.ini'), 'duplicate-ip'), []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
