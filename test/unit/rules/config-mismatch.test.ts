import * as assert from 'node:assert/strict';
import { check, cluster, controlPlane, expectRule, init, inventory, ofRule, ROOT, spanAfter, worker } from '../../helpers';

describe('config-mismatch', () => {
  it("reports the inventory's apiServerPort when kubeadm sets another port", () => {
    const inv = inventory(controlPlane('cp-1', 11), '  apiServerPort: 6443\n');
    const kubeadm = init('localAPIEndpoint:\n  bindPort: 8443\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('inventory.yaml');
    expectRule(findings, 'config-mismatch', [
      {
        range: spanAfter(inv, 'apiServerPort: ', '6443'),
        severity: 'warning',
        message:
          /spec\.apiServerPort is 6443, but the API server will listen on 8443 \(InitConfiguration localAPIEndpoint\.bindPort in kubeadm\.yaml\)/,
      },
    ]);
    assert.equal(findings.find((f) => f.ruleId === 'config-mismatch')!.related?.[0].uri, `${ROOT}kubeadm.yaml`);
  });
  it("reports the inventory's values when kubeadm leaves them at the defaults", () => {
    const inv = inventory(
      controlPlane('cp-1', 11).replace('port: 6443', 'port: 8443') + worker('w-1', 1).replace('30000-32767', '31000-31999'),
      '  apiServerPort: 8443\n  nodePortRange: 31000-31999\n',
    );
    const kubeadm = cluster('clusterName: lab\n');
    const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('inventory.yaml');
    expectRule(findings, 'config-mismatch', [
      {
        range: spanAfter(inv, 'apiServerPort: ', '8443'),
        severity: 'warning',
        message: /will listen on 6443 \(the kubeadm config, which sets no bindPort \(default\)\)/,
      },
      { range: spanAfter(inv, 'nodePortRange: ', '31000-31999'), severity: 'warning', message: /will use 30000-32767/ },
    ]);
    // Firewalls are checked against what kubeadm will deploy.
    assert.deepEqual(
      ofRule(findings, 'missing-port-rule').map((f) => f.message.replace(/^.*admitting /, '')),
      [
        '6443/TCP (Kubernetes API server).',
        'Node "w-1" (worker) admits only part of 30000-32767/TCP (NodePort Services); 30000-30999, 32000-32767/TCP are not covered.',
      ],
    );
  });

  it('RKE2 servers: a value a template writes is unknown, never a mismatch; a written one that differs still is', () => {
    const first = 'token: secret\ncni: cilium\nnode-ip: 10.0.0.11\n';
    const templated = 'server: https://10.0.0.11:9345\ntoken: secret\ncni: "{{ rke2_cni }}"\nnode-ip: 10.0.0.12\n';
    const findings = check({ 'rke2/server-1/config.yaml': first, 'rke2/server-2/config.yaml': templated });
    assert.deepEqual(ofRule(findings('rke2/server-1/config.yaml'), 'config-mismatch'), []);
    assert.deepEqual(ofRule(findings('rke2/server-2/config.yaml'), 'config-mismatch'), []);
    const written = templated.replace('"{{ rke2_cni }}"', 'canal');
    const plain = check({ 'rke2/server-1/config.yaml': first, 'rke2/server-2/config.yaml': written });
    expectRule(plain('rke2/server-1/config.yaml'), 'config-mismatch', [
      { range: spanAfter(first, 'cni: ', 'cilium'), message: /cni is cilium here, but server-2 has canal/ },
    ]);
  });
});
