import type { Rule } from './types';
import { replacementFixes } from './util/replace-fix';

export const schema: Rule = {
  meta: {
    id: 'schema',
    severity: 'error',
    title: 'The document breaks its JSON Schema: missing or unknown key, wrong type, value not allowed',
    description:
      'Inventories are checked against schemas/inventory.schema.json, kubeadm, kubelet and kube-proxy configuration documents against the schema of their kind and version under schemas/. The diagnostic sits on the offending key or value; a missing key is reported on the first key of the mapping that lacks it. Unknown keys suggest the key that was probably meant. Severity follows the component that reads the file: kubeadm, the kubelet and kube-proxy ignore an unknown or misplaced key with a logged warning and start anyway, so in their documents it is a warning ("kubeadm ignores it: the setting has no effect"); a wrong type, a value not allowed or a missing required key is fatal there and an error here. `metadata` is allowed in those documents (it has no effect). In Cluster Preflight\'s own inventory every schema finding is an error. When part of a document is not valid YAML, the parts that parsed are still checked (missing keys are then not reported: they may be in the broken part). In a Kubespray INI inventory, the lines Ansible\'s ini plugin rejects are errors where it stops: a quote never closed on a host line, a word after the host name that is not key=value (`{{ host }}` is the host "{{" and the word "host"), a group that is its own child or closes a loop of children, a header in brackets Ansible does not read as a section, a section type other than hosts, children and vars. A YAML inventory\'s group with keys other than hosts, children and vars gets a warning (Ansible skips them).',
    appliesTo: ['inventory', 'kubeadm', 'kubespray'],
    example: { bad: '- hostnme: cp-1\n  roles: [control-plane]', good: '- hostname: cp-1\n  roles: [control-plane]' },
  },
  /** "Did you mean": replaces the unknown key with the one it suggests. */
  fixes: (request) => replacementFixes(request, (r) => `Replace "${r.from}" with "${r.to}"`),
};
