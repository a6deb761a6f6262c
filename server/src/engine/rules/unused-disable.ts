import type { Rule } from './types';

export const unusedDisable: Rule = {
  meta: {
    id: 'unused-disable',
    severity: 'information',
    title: 'A disable comment suppresses nothing (or names a rule that does not exist)',
    description:
      'Findings can be silenced where they are, by rule id: `# cluster-preflight-disable-next-line <id>[, <id>…]` on the line above, `# cluster-preflight-disable-line <id>…` as a trailing comment, `# cluster-preflight-disable-file <id>…` anywhere in the file; without ids, every rule. Text after ` -- ` is a reason and is ignored. A comment that silences nothing (the problem was fixed, or the id is misspelled) is reported on the comment, so that stale ones do not hide the next real problem. Project-wide levels belong in `.cluster-preflight.yaml` instead (`rules: { etcd-quorum: off }`).',
    appliesTo: ['inventory', 'kubeadm', 'service', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: {
      bad: '# cluster-preflight-disable-next-line etcd-quorm\nnodes:',
      good: '# cluster-preflight-disable-next-line etcd-quorum -- two members on purpose in the lab\nnodes:',
    },
  },
};
