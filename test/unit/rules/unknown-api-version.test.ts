import * as assert from 'node:assert/strict';
import { expectRule, findingsOf, ofRule, spanOf } from '../../helpers';

describe('unknown-api-version', () => {
  it('reports a KubeletConfiguration of a version that does not exist, naming the one that does', () => {
    const text = 'apiVersion: kubelet.config.k8s.io/v1\nkind: KubeletConfiguration\nport: 10250\n';
    const findings = findingsOf(text, 'kubelet.yaml');
    expectRule(findings, 'unknown-api-version', [
      {
        range: spanOf(text, 'kubelet.config.k8s.io/v1'),
        severity: 'error',
        message:
          /^kubelet\.config\.k8s\.io\/v1 is not a version of KubeletConfiguration \(KubeletConfiguration exists in kubelet\.config\.k8s\.io\/v1beta1\): the kubelet refuses it, and kubeadm skips the document, so none of its settings apply\.$/,
      },
    ]);
    assert.deepEqual(ofRule(findings, 'schema'), [], "an unknown version is not checked against another version's schema");
  });
  it('reports kube-proxy and kubeadm versions that do not exist', () => {
    const proxy = 'apiVersion: kubeproxy.config.k8s.io/v1beta1\nkind: KubeProxyConfiguration\n';
    expectRule(findingsOf(proxy, 'proxy.yaml'), 'unknown-api-version', [
      {
        range: spanOf(proxy, 'kubeproxy.config.k8s.io/v1beta1'),
        message: /exists in kubeproxy\.config\.k8s\.io\/v1alpha1\): kube-proxy refuses it/,
      },
    ]);
    const kubeadm = 'apiVersion: "kubeadm.k8s.io/v1beta5"\nkind: ClusterConfiguration\n';
    expectRule(findingsOf(kubeadm, 'kubeadm.yaml'), 'unknown-api-version', [
      {
        range: spanOf(kubeadm, '"kubeadm.k8s.io/v1beta5"'),
        message:
          /ClusterConfiguration exists in kubeadm\.k8s\.io\/v1beta4 and kubeadm\.k8s\.io\/v1beta3\): kubeadm refuses the file\./,
      },
    ]);
  });
  it('reports an Inventory of another version, and does not check it', () => {
    const text = 'apiVersion: cluster-preflight/v1\nkind: Inventory\nspec:\n  nodes:\n    - hostname: CP_1\n';
    const findings = findingsOf(text);
    expectRule(findings, 'unknown-api-version', [
      {
        range: spanOf(text, 'cluster-preflight/v1'),
        message: /Cluster Preflight reads cluster-preflight\/v1alpha1\): this inventory was not checked/,
      },
    ]);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['unknown-api-version'],
    );
  });
  it('leaves other kinds and other groups alone', () => {
    assert.deepEqual(findingsOf('apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\n', 'cp.yaml'), []);
    assert.deepEqual(findingsOf('apiVersion: serving.knative.dev/v1\nkind: Service\nspec: {}\n', 'ksvc.yaml'), []);
  });
});
