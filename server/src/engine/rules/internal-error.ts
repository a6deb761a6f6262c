import type { Rule } from './types';

export const internalError: Rule = {
  meta: {
    id: 'internal-error',
    severity: 'error',
    title: 'Cluster Preflight failed while checking this file (a bug in Cluster Preflight, not in the file)',
    description:
      'A check or a parser threw an exception. The file gets this one diagnostic, naming the rule or stage that failed, and every other check still runs: one failure never costs another file or rule its findings. The CLI prints the stack trace on stderr, the language server in its output channel. Please report it with the file that triggers it.',
    appliesTo: ['inventory', 'kubeadm', 'service'],
  },
};
