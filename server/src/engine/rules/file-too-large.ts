import type { Rule } from './types';

export const fileTooLarge: Rule = {
  meta: {
    id: 'file-too-large',
    severity: 'information',
    title: 'A file above the size limit was not checked',
    description:
      'Files above the limit (10 MB by default) are not parsed: checking them would take more time and memory than an editor or a CI job should spend on one file. A file that looks like one Cluster Preflight reads (an inventory, a kubeadm or component config, a Service, judged from its first megabyte) gets this one note on its first line; other large YAML files are skipped silently, and the CLI says on stderr which files it skipped. Raise the limit with `--max-file-size 25MB` on the command line or the `clusterPreflight.maxFileSize` setting in the editor. In a Kubespray inventory the host patterns of one file (`node[01:99]`) expand to at most 10,000 hosts together, twice the nodes Kubernetes is tested with: the pattern that would cross it gets this note and is not expanded, and neither are later patterns in the file (plain host names still are).',
    appliesTo: ['inventory', 'kubeadm', 'service', 'kubespray'],
  },
};
