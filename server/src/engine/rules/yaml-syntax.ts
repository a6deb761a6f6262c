import type { Rule } from './types';

export const yamlSyntax: Rule = {
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
    title: 'YAML the parser rejects, including duplicate keys and tab indentation',
    description:
      'Reported on the range the YAML parser gives. Only files that are recognisably ours (an Inventory, a Service or a kubeadm/kubelet/kube-proxy configuration document) get these diagnostics; other YAML files are left to other tools. In a large inventory, a syntax error in one node is reported inside that node and the other nodes are still checked. A document nested more than 400 levels deep is not parsed (the parser would run out of stack) and gets one finding where the limit is crossed. A file whose first lines name a kubeadm, kubelet or kube-proxy apiVersion is ours even when it is not valid YAML.',
    appliesTo: ['inventory', 'service', 'kubeadm'],
    example: { bad: 'hostname: cp-1\nhostname: cp-2', good: 'hostname: cp-1' },
  },
};
