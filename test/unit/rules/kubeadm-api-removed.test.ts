import { expectRule, findingsOf, init, spanOf } from '../../helpers';

describe('kubeadm-api-removed', () => {
  it('reports the apiVersion value', () => {
    const text = `${init('', 'v1beta2')}---\n${init('', 'v1beta3')}---\n${init('')}`;
    const findings = findingsOf(text, 'kubeadm.yaml');
    expectRule(findings, 'kubeadm-api-removed', [
      { range: spanOf(text, 'kubeadm.k8s.io/v1beta2'), message: /removed in Kubernetes 1\.27/ },
    ]);
  });

  it('reports every removed version, v1alpha1 to v1beta2, with the release that removed it', () => {
    for (const [version, release] of [
      ['v1alpha1', '1.12'],
      ['v1alpha2', '1.13'],
      ['v1alpha3', '1.14'],
      ['v1beta1', '1.22'],
      ['v1beta2', '1.27'],
    ]) {
      const text = `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\nnetworking: {podSubnet: 10.244.0.0/16}\n`;
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'kubeadm-api-removed', [
        {
          range: spanOf(text, `kubeadm.k8s.io/${version}`),
          message: new RegExp(`removed in Kubernetes ${release.replace('.', '\\.')};`),
        },
      ]);
    }
  });
});
