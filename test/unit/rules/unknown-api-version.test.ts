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
  it('reports a KubeProxyConfiguration or KubeletConfiguration under a kubeadm version as skipped, and nothing else', () => {
    // kubeadm skips such a document ("Ignored YAML document with GroupVersionKind"): no schema errors, no migration advice.
    for (const version of ['v1beta3', 'v1beta4']) {
      const text =
        `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: lb.example.com:6443\n---\n` +
        `apiVersion: kubeadm.k8s.io/${version}\nkind: KubeProxyConfiguration\nmode: ipvs\nmetricsBindAddress: 0.0.0.0:10249\n---\n` +
        `apiVersion: kubeadm.k8s.io/${version}\nkind: KubeletConfiguration\ncgroupDriver: systemd\n`;
      const findings = findingsOf(text, 'kubeadm.yaml');
      expectRule(findings, 'unknown-api-version', [
        {
          range: spanOf(text, `kubeadm.k8s.io/${version}`, 1),
          severity: 'error',
          message: new RegExp(
            `^kubeadm\\.k8s\\.io/${version} is not a version of KubeProxyConfiguration \\(KubeProxyConfiguration exists in kubeproxy\\.config\\.k8s\\.io/v1alpha1\\): kubeadm skips the document \\("Ignored YAML document with GroupVersionKind"\\), so none of its settings apply\\.$`,
          ),
        },
        {
          range: spanOf(text, `kubeadm.k8s.io/${version}`, 2),
          severity: 'error',
          message:
            /not a version of KubeletConfiguration \(KubeletConfiguration exists in kubelet\.config\.k8s\.io\/v1beta1\): kubeadm skips/,
        },
      ]);
      assert.deepEqual(ofRule(findings, 'schema'), [], version);
      const deprecated = ofRule(findings, 'kubeadm-api-deprecated');
      // Only the ClusterConfiguration is read by kubeadm, so only it is advised to migrate.
      assert.equal(deprecated.length, version === 'v1beta3' ? 1 : 0, version);
      for (const f of deprecated) assert.equal(f.range.start.line, 0);
    }
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
