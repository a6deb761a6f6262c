import { expectRule, findingsOf, init, spanOf } from '../../helpers';

describe('kubeadm-api-deprecated', () => {
  it('reports the apiVersion value', () => {
    const text = `${init('', 'v1beta2')}---\n${init('', 'v1beta3')}---\n${init('')}`;
    const findings = findingsOf(text, 'kubeadm.yaml');
    expectRule(findings, 'kubeadm-api-deprecated', [
      {
        range: spanOf(text, 'kubeadm.k8s.io/v1beta3'),
        severity: 'warning',
        message: /deprecated since Kubernetes 1\.31 and rejected from 1\.36/,
      },
    ]);
  });
});
