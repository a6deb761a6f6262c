import { DOCS } from '../knowledge/docs';
import type { Rule } from './types';

export const kubeadmApiRemoved: Rule = {
  meta: {
    id: 'kubeadm-api-removed',
    severity: 'error',
    docs: DOCS.kubeadmConfigV1beta4,
    title: 'A kubeadm config uses a removed API version (kubeadm.k8s.io/v1alpha1 to v1beta2)',
    description:
      "kubeadm.k8s.io/v1alpha1 was removed in Kubernetes 1.12, v1alpha2 in 1.13, v1alpha3 in 1.14, v1beta1 in 1.22 and v1beta2 in 1.27: current kubeadm refuses the file. Rewrite it as kubeadm.k8s.io/v1beta4 (an older kubeadm's `kubeadm config migrate` converts it step by step). Reported on the apiVersion value; the rest of the document is not checked.",
    appliesTo: ['kubeadm'],
    example: { bad: 'apiVersion: kubeadm.k8s.io/v1beta2', good: 'apiVersion: kubeadm.k8s.io/v1beta4' },
  },
  checkDocument: {
    kubeadm(doc, report, at) {
      if (doc.api?.status !== 'removed') return;
      report(
        at(doc.facts.apiVersion.range),
        `${doc.apiVersion} was removed in Kubernetes ${doc.api.removedIn ?? 'an earlier release'}; kubeadm cannot read this file. Rewrite it as kubeadm.k8s.io/v1beta4.`,
      );
    },
  },
};
