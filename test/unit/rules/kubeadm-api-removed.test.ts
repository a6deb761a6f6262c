import { expectRule, findingsOf, init, spanOf } from '../../helpers';

describe('kubeadm-api-removed', () => {
  it('reports the apiVersion value', () => {
    const text = `${init('', 'v1beta2')}---\n${init('', 'v1beta3')}---\n${init('')}`;
    const findings = findingsOf(text, 'kubeadm.yaml');
    expectRule(findings, 'kubeadm-api-removed', [
      { range: spanOf(text, 'kubeadm.k8s.io/v1beta2'), message: /removed in Kubernetes 1\.27/ },
    ]);
  });
});
