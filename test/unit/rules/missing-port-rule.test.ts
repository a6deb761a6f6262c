import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('missing-port-rule', () => {
  it('reports each missing control-plane port on the firewall key with its severity', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '').replace('        - port: 10259\n', ''));
    const findings = findingsOf(text);
    expectRule(findings, 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /Node "cp-1" \(control-plane\) has no firewall rule admitting 6443\/TCP \(Kubernetes API server\)/,
      },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 10259\/TCP \(kube-scheduler\)/ },
    ]);
    assert.deepEqual(ofRule(findings, 'missing-port-rule')[0].data, { componentPort: 'kube-apiserver' });
  });
  it('falls back to the hostname when the node has no firewall key', () => {
    const text = inventory(worker('w-1', 1).replace(/      firewall:\n(        - port: .*\n)+/, '') + controlPlane('cp-1', 11));
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'error', message: /10250\/TCP \(Kubelet API\)/ },
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'warning', message: /10256\/TCP \(kube-proxy health check\)/ },
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'warning', message: /30000-32767\/TCP \(NodePort Services\)/ },
    ]);
  });
  it('follows spec.distribution: an RKE2 server needs the supervisor port, etcd metrics, NodePorts and Canal (its default plugin)', () => {
    const text = inventory(controlPlane('cp-1', 11), '  distribution: rke2\n');
    expectRule(findingsOf(text), 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /admitting 8472\/UDP \(Canal \(flannel\) VXLAN\)/,
      },
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message:
          /Node "cp-1" \(control-plane\) has no firewall rule admitting 9345\/TCP \(RKE2 supervisor API \(node registration\)\)/,
      },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 2381\/TCP \(etcd metrics and health\)/ },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 30000-32767\/TCP \(NodePort Services\)/ },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 9099\/TCP \(Canal health checks\)/ },
    ]);
    assert.deepEqual(ofRule(findingsOf(text), 'missing-port-rule')[1].data, { componentPort: 'rke2-supervisor' });
  });
  it('does not ask a pure k0s controller for the kubelet port, and asks it for 8132, and for 9443 once there are two', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 10250\n', ''), '  distribution: k0s\n');
    // 9443 is "controller <-> controller": a single controller has no one to serve it to.
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanOf(text, 'firewall'), severity: 'error', message: /admitting 8132\/TCP \(konnectivity/ },
    ]);
    const two = inventory(
      controlPlane('cp-1', 11, '        - port: 8132') + controlPlane('cp-2', 12, '        - port: 8132'),
      '  distribution: k0s\n',
    );
    expectRule(findingsOf(two), 'missing-port-rule', [
      { range: spanOf(two, 'firewall', 0), severity: 'error', message: /"cp-1" .*admitting 9443\/TCP \(k0s API/ },
      { range: spanOf(two, 'firewall', 1), severity: 'error', message: /"cp-2" .*admitting 9443\/TCP \(k0s API/ },
    ]);
    const both = inventory(
      controlPlane('cp-1', 11)
        .replace('        - port: 10250\n', '')
        .replace('roles: [control-plane]', 'roles: [control-plane, worker]'),
      '  distribution: k0s\n',
    );
    assert.ok(
      ofRule(findingsOf(both), 'missing-port-rule').some((f) => /admitting 10250\/TCP/.test(f.message)),
      'a controller+worker runs a kubelet',
    );
  });
  it('asks RKE2 and K3s nodes for the kubelet port only as a warning: nodes join without it, metrics-server needs it', () => {
    for (const distribution of ['rke2', 'k3s']) {
      const text = inventory(
        worker('w-1', 1).replace('        - port: 10250\n', ''),
        `  distribution: ${distribution}\n  cni:\n    plugin: other\n`,
      );
      expectRule(findingsOf(text), 'missing-port-rule', [
        {
          range: spanOf(text, 'firewall'),
          severity: 'warning',
          message: /"w-1" \(worker\) has no firewall rule admitting 10250\/TCP \(Kubelet API\)/,
        },
      ]);
    }
  });
  it('follows spec.apiServerPort', () => {
    const text = inventory(controlPlane('cp-1', 11), '  apiServerPort: 8443\n');
    expectRule(findingsOf(text), 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /admitting 8443\/TCP \(Kubernetes API server\); spec\.apiServerPort sets it/,
      },
    ]);
  });
  it('requires 2380 only once there is more than one etcd member', () => {
    const single = inventory(controlPlane('cp-1', 11).replace('2379-2380', '2379'));
    assert.deepEqual(ofRule(findingsOf(single), 'missing-port-rule'), []);
    const three = inventory(
      ['cp-1', 'cp-2', 'cp-3'].map((n, i) => controlPlane(n, 11 + i).replace('2379-2380', '2379')).join(''),
    );
    const findings = ofRule(findingsOf(three), 'missing-port-rule');
    assert.equal(findings.length, 3);
    assert.ok(findings.every((f) => /2380\/TCP \(etcd peer communication\)/.test(f.message) && f.severity === 'error'));
  });
  it('moves etcd requirements to the nodes with role etcd', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('        - port: 2379-2380\n', '') +
        '    - hostname: etcd-1\n      roles: [etcd]\n      interfaces:\n        - name: eth0\n          mac: "52:54:00:00:02:01"\n          address: 192.168.1.201/24\n      firewall:\n        - port: 2379\n',
    );
    assert.deepEqual(ofRule(findingsOf(text), 'missing-port-rule'), []);
  });
  it('reports the uncovered part of a partly covered range, and lets rules cover a range together', () => {
    const partial = inventory(
      controlPlane('cp-1', 11) +
        worker('w-1', 1).replace('port: 30000-32767', 'port: 30000-30999\n        - port: "31500-32767"'),
    );
    expectRule(findingsOf(partial), 'missing-port-rule', [
      {
        range: spanOf(partial, 'firewall', 1),
        severity: 'warning',
        message: /admits only part of 30000-32767\/TCP \(NodePort Services\); 31000-31499\/TCP is not covered/,
      },
    ]);
    const together = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('port: 30000-32767', 'port: 30000-30999\n        - port: 31000-32767'),
    );
    assert.deepEqual(ofRule(findingsOf(together), 'missing-port-rule'), []);
  });
  it('needs the protocol to match', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('        - port: 6443\n', '        - port: 6443\n          protocol: UDP\n'),
    );
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanOf(text, 'firewall'), severity: 'error', message: /6443\/TCP/ },
    ]);
  });
  it('requires the union of ports for a node with several roles', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('[control-plane]', '[control-plane, worker]'));
    const messages = ofRule(findingsOf(text), 'missing-port-rule').map((f) => f.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /10256\/TCP/);
    assert.match(messages[1], /30000-32767\/TCP/);
  });
});
