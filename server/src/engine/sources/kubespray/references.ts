/** A Kubespray host's mentions in other groups refer to the node its first mention describes. */
import type { Member } from '../../model/cluster';
import type { NodeReference } from '../kind';
import { kubesprayCluster } from './cluster';

export function kubesprayReferences(members: ReadonlyArray<Member<unknown>>): NodeReference[] {
  const cluster = kubesprayCluster(members);
  return cluster.nodes.flatMap((host) =>
    // With kube_override_hostname, the inventory name is not the node's name.
    host.variable('kube_override_hostname')
      ? []
      : host.mentions
          // The first mention describes the node; when it is a range pattern it is said here that it cannot be renamed.
          .filter((m, i) => i > 0 || !m.exact)
          .map((m) => ({ what: 'hostname' as const, key: host.name.toLowerCase(), place: m.place, renamable: m.exact })),
  );
}
