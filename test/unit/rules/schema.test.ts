import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf } from '../../helpers';

describe('schema', () => {
  it('puts unknown keys on the key, with a suggestion', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('      roles:', '      rolez:'));
    const findings = findingsOf(text);
    expectRule(findings, 'schema', [
      { range: spanAfter(text, '- ', 'hostname', 0), message: /This node is missing the required key "roles"/ },
      { range: spanOf(text, 'rolez'), message: /Unknown key "rolez" in this node\. Did you mean "roles"\?/ },
    ]);
  });
  it('puts wrong types and values on the value', () => {
    const text = inventory(
      controlPlane('cp-1', 11)
        .replace('[control-plane]', '[master]')
        .replace('- port: 6443', '- port: 6443\n          protocol: tcp'),
      '  apiServerPort: "6443"\n',
    );
    expectRule(findingsOf(text), 'schema', [
      { range: spanOf(text, '"6443"'), message: /"spec\.apiServerPort" must be an integer, not a string/ },
      { range: spanOf(text, 'master'), message: /"roles\[0\]" must be one of control-plane, worker, etcd; found "master"/ },
      { range: spanOf(text, 'tcp'), message: /"firewall\[0\]\.protocol" must be one of TCP, UDP, SCTP/ },
    ]);
  });
  it('reports a missing key on the first key of the mapping that lacks it, never the whole document', () => {
    const text = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: x\n';
    expectRule(findingsOf(text), 'schema', [
      { range: spanOf(text, 'apiVersion'), message: /The document is missing the required key "spec"/ },
    ]);
  });
  it('reports out-of-range ports', () => {
    const text = inventory(controlPlane('cp-1', 11, '      listeners:\n        - name: x\n          port: 70000\n'));
    expectRule(findingsOf(text), 'schema', [
      { range: spanOf(text, '70000'), message: /"listeners\[0\]\.port" is 70000, outside 1-65535/ },
    ]);
  });

  it('reports unknown keys of kubeadm and component configs as warnings (they are ignored), wrong types as errors', () => {
    const text =
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nmetadata:\n  name: lab\nlocalAPIEndpoint:\n  bindPort: "6443"\n  bindport: 6443\n';
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'schema', [
      { range: spanOf(text, '"6443"'), severity: 'error', message: /must be an integer, not a string/ },
      {
        range: spanOf(text, 'bindport'),
        severity: 'warning',
        message:
          /^Unknown key "bindport" in "localAPIEndpoint"\. Did you mean "bindPort"\? Kubeadm ignores it: the setting has no effect\.$/,
      },
    ]);
  });
  it('tolerates metadata in kubeadm, kubelet and kube-proxy documents', () => {
    for (const head of [
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration',
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration',
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration',
    ]) {
      assert.deepEqual(findingsOf(`${head}\nmetadata:\n  name: lab\n`, 'config.yaml'), [], head);
    }
  });
  it('checks the parts of a document that parsed when another part has a YAML error', () => {
    const text =
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nport: 10250\nport: 10250\ntlsCipherSuites: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\nreadOnlyPort: "none"\n';
    const findings = findingsOf(text, 'kubelet.yaml');
    assert.equal(ofRule(findings, 'yaml-syntax').length, 1);
    expectRule(findings, 'schema', [
      { range: spanOf(text, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), message: /"tlsCipherSuites" must be a list, not a string/ },
      { range: spanOf(text, '"none"'), message: /"readOnlyPort" must be an integer/ },
    ]);
  });
  it('survives a value that contains itself (a self-referencing alias)', () => {
    const text = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  - &A\n    : *A\nspec:\n  nodes: []\n';
    expectRule(findingsOf(text), 'schema', [
      {
        range: spanAfter(text, '\n', 'metadata'),
        message: /"metadata" must be a mapping, not a list \(a value that contains itself\)\./,
      },
    ]);
  });
  it('puts a key that is a collection on the key, and prints no warning', () => {
    const text = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\n? [a]\n: b\nspec:\n  nodes: []\n';
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    try {
      expectRule(findingsOf(text), 'schema', [{ range: spanOf(text, '[a]'), message: /Unknown key "\[ a \]" in the document/ }]);
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(warnings, []);
  });

  it('accepts an IP-protocol firewall entry without a port, requires a port otherwise, and refuses address with addresses', () => {
    const text = inventory(
      controlPlane(
        'cp-1',
        11,
        '        - protocol: IPIP\n        - protocol: 50\n        - protocol: UDP\n          comment: no port\n',
      ).replace('          address: 192.168.1.11/24', '          address: 192.168.1.11/24\n          addresses: [fd00::11/64]'),
    );
    expectRule(findingsOf(text), 'schema', [
      { range: spanOf(text, 'addresses'), message: /has both address and addresses/ },
      { range: spanAfter(text, '        - ', 'protocol', 2), message: /missing the required key "port"/ },
    ]);
  });
});
