import { DOCS } from '../knowledge/docs';
import { dnsSubdomainProblem } from '../knowledge/net/hostname';
import { placeOf } from '../model/cluster';
import type { Rule } from './types';
import { replacementData, replacementFixes } from './util/replace-fix';

export const invalidHostname: Rule = {
  meta: {
    id: 'invalid-hostname',
    severity: 'error',
    docs: DOCS.dnsSubdomainNames,
    title: 'A hostname (or kubeadm nodeRegistration.name) is not a DNS-1123 subdomain',
    description:
      'Node names must be DNS-1123 subdomains: at most 253 characters, lowercase letters, digits, "-" and ".", each dot-separated label at most 63 characters and starting and ending with a letter or digit. kubeadm rejects other names in nodeRegistration.name. Kubespray host names are checked as the kubelet sees them, lowercased.',
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'k0sctl', 'rke2'],
    example: { bad: 'hostname: CP_1', good: 'hostname: cp-1' },
  },
  checkNode(node, _ctx, report) {
    if (!node.hostname) return;
    const problem = dnsSubdomainProblem(node.nameIsLowercased ? node.hostname.value.toLowerCase() : node.hostname.value);
    if (problem)
      report(
        placeOf(node, node.hostname),
        `Hostname "${node.hostname.value}" is not a valid node name: ${problem}.`,
        lowercased(node.hostname.value),
      );
  },
  /** A name that is only wrong by its capitals is lower-cased. */
  fixes: (request) => replacementFixes(request, (r) => `Change the name to "${r.to}"`),
  checkDocument: {
    kubeadm({ facts }, report, at) {
      if (!facts.nodeName) return;
      const problem = dnsSubdomainProblem(facts.nodeName.value);
      if (problem)
        report(
          at(facts.nodeName.range),
          `nodeRegistration.name "${facts.nodeName.value}" is not a valid node name (kubeadm rejects it): ${problem}.`,
          lowercased(facts.nodeName.value),
        );
    },
  },
};

function lowercased(name: string): { data: ReturnType<typeof replacementData> } | undefined {
  const lower = name.toLowerCase();
  return lower !== name && !dnsSubdomainProblem(lower) ? { data: replacementData(name, lower) } : undefined;
}
