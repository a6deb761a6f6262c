import type { Rule } from './types';

export const schema: Rule = {
  meta: {
    id: 'schema',
    severity: 'error',
    title: 'The document breaks its JSON Schema: missing or unknown key, wrong type, value not allowed',
    description:
      'Inventories are checked against schemas/inventory.schema.json, kubeadm, kubelet and kube-proxy configuration documents against the schema of their kind and version under schemas/. The diagnostic sits on the offending key or value; a missing key is reported on the first key of the mapping that lacks it. Unknown keys suggest the key that was probably meant.',
    appliesTo: ['inventory', 'kubeadm'],
    example: { bad: '- hostnme: cp-1\n  roles: [control-plane]', good: '- hostname: cp-1\n  roles: [control-plane]' },
  },
};
