import { isScalar } from 'yaml';
import { FORMAT_DOCS } from '../../knowledge/docs';
import { ROLES, type Role } from '../../knowledge/ports';
import { cniMtuHover } from '../../model/mtuDocs';
import { roleHover } from '../../model/portDocs';
import { schemaHover } from '../../schema/hover';
import { schemaDocument } from '../../schema/registry';
import type { HoverContext, LocatedYaml } from '../kind';

/** What each k0sctl role makes a host in the cluster model. */
const ROLE_MEANING: Record<string, Role[]> = {
  controller: ['control-plane', 'etcd'],
  'controller+worker': ['control-plane', 'worker', 'etcd'],
  single: ['control-plane', 'worker'],
  worker: ['worker'],
};

/** Keys of k0sctl and k0s configs (the schemas' words), and what a host's role makes of it. */
export function k0sHover(located: LocatedYaml, context: HoverContext): string | undefined {
  const { at } = located;
  if (!at) return undefined;
  const k0sctl = located.kind.id === 'k0sctl';
  const path = at.path;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (
    k0sctl &&
    !at.onKey &&
    path[0] === 'spec' &&
    path[1] === 'hosts' &&
    path[3] === 'role' &&
    typeof value === 'string' &&
    ROLE_MEANING[value]
  ) {
    const roles = ROLE_MEANING[value];
    const lines = [
      `**role: ${value}**`,
      '',
      `Cluster Preflight treats this host as ${roles.join(', ')}${value === 'single' ? ' (a single node keeps its state in kine, not etcd)' : ''}; \`installFlags\` \`--enable-worker\` or \`--single\` change the role, as k0sctl does.`,
    ];
    for (const role of roles.filter((r) => ROLES.includes(r))) lines.push('', roleHover(role, context.placement));
    lines.push('', `[k0sctl configuration](${FORMAT_DOCS.k0sctl}) · [k0s ports](${FORMAT_DOCS.k0sNetworking})`);
    return lines.join('\n');
  }
  const root = schemaDocument(k0sctl ? 'k0sctl.v1beta1' : 'k0s.v1beta1');
  const schema = schemaHover(root, k0sctl ? root : root.definitions.ClusterConfig, path, at.onKey);
  // network.calico.mtu, network.kuberouter.mtu: the arithmetic against the nodes' interfaces.
  const network = k0sctl ? (path[1] === 'k0s' && path[2] === 'config' ? path.slice(3) : []) : path;
  if (
    !at.onKey &&
    typeof value === 'number' &&
    network[0] === 'spec' &&
    network[1] === 'network' &&
    (network[2] === 'calico' || network[2] === 'kuberouter') &&
    network[3] === 'mtu' &&
    network.length === 4
  ) {
    const name = `${k0sctl ? 'spec.k0s.config.' : ''}spec.network.${network[2]}.mtu`;
    return [schema, '', cniMtuHover(value, name, context.settings, context.model)].filter((p) => p !== undefined).join('\n');
  }
  return schema;
}
