/**
 * Completion in kubeadm, kubelet and kube-proxy configs: the config API's keys and enums, and
 * for the fields that name a node (nodeRegistration.name, localAPIEndpoint.advertiseAddress)
 * the hostnames and addresses of the cluster's nodes.
 */
import { nodeLabel } from '../../model/cluster';
import { schemaCompletions, type CompletionCandidate, type CompletionPlace } from '../../schema/complete';
import { schemaDocument } from '../../schema/registry';
import type { CompletionContext } from '../kind';
import { configApi } from './apis';

export function configComplete(place: CompletionPlace, context: CompletionContext): CompletionCandidate[] {
  const top = place.dataAt([]) as { apiVersion?: unknown; kind?: unknown } | undefined;
  const api = configApi(String(top?.apiVersion ?? ''));
  const kind = String(top?.kind ?? '');
  if (!api?.schema || !api.kinds.includes(kind)) return [];
  const out: CompletionCandidate[] = [];
  const last = place.path.slice(-2).join('.');
  const nodes = context.model?.nodes ?? [];
  if (place.position === 'value' && last === 'nodeRegistration.name') {
    for (const node of nodes) {
      if (!node.hostname) continue;
      out.push({
        label: node.hostname.value,
        kind: 'reference',
        detail: `node ${nodeLabel(node)} (${node.roles.join(', ')})`,
        sortText: '0',
      });
    }
  }
  if (place.position === 'value' && last === 'localAPIEndpoint.advertiseAddress') {
    // The control-plane nodes' addresses first: only they advertise an API server.
    for (const node of [...nodes].sort(
      (a, b) => Number(b.roles.includes('control-plane')) - Number(a.roles.includes('control-plane')),
    )) {
      for (const iface of node.interfaces ?? []) {
        if (!iface.address) continue;
        const address = iface.address.value.replace(/\/\d+$/, '');
        out.push({
          label: address,
          kind: 'reference',
          detail: `${iface.name?.value ?? 'interface'} of node ${nodeLabel(node)}`,
          sortText: node.roles.includes('control-plane') ? '0' : '1',
        });
      }
    }
  }
  const root = schemaDocument(api.schema);
  out.push(...schemaCompletions(root, root.definitions[kind], place));
  return out;
}
