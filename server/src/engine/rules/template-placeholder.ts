import type { Rule } from './types';

export const templatePlaceholder: Rule = {
  meta: {
    id: 'template-placeholder',
    severity: 'information',
    title: 'The document holds template placeholders: it is checked only where they do not reach',
    description:
      'A document that is still a template (`${NODE_IP}`, `$NODE_IP`, `$(NODE_IP)` for envsubst or shell, `{{ node_ip }}` for Jinja, Helm or Go templates) does not say yet what the cluster will get. Instead of the errors its placeholders would cause (an address that is not an IP, a port that is not a number), it gets this one note, on the first placeholder; the lines that hold placeholders are not checked. A document with template control structures (`{% if %}`, `{{- range }}`, `{{ end }}` on their own lines) cannot be parsed as YAML until it is rendered and gets only this note. Check the rendered file, for example in CI after the template step.',
    appliesTo: ['inventory', 'kubeadm', 'service'],
    example: {
      bad: 'localAPIEndpoint:\n  advertiseAddress: ${NODE_IP}',
      good: 'localAPIEndpoint:\n  advertiseAddress: 192.168.10.11',
    },
  },
};
