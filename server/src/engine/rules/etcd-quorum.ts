import { DOCS } from '../knowledge/docs';
import { nodeLabel, placeOf } from '../model/cluster';
import { isEtcdMember } from '../model/placement';
import type { Rule } from './types';
import { inventoryFilesOverlap } from './util/inventory-files';

export const etcdQuorum: Rule = {
  meta: {
    id: 'etcd-quorum',
    severity: 'warning',
    docs: DOCS.haTopology,
    title: 'An even number of etcd members',
    description:
      'etcd needs a majority of members to accept writes. With an even count the majority is one more than half, so 2 members tolerate no failure (like 1) and 4 tolerate one (like 3), while a network split can leave neither half with a majority. Use 1, 3 or 5 members. The members are the nodes with role etcd, or the control-plane nodes when no node has that role (stacked etcd); under K3s, whose servers keep their state in SQLite unless etcd is embedded, only the nodes with role etcd. Reported on the `nodes` key; waits while a node item has YAML syntax errors.',
    appliesTo: ['inventory', 'kubespray', 'k0sctl', 'rke2'],
    example: { bad: 'two nodes with roles [control-plane]', good: 'one or three control-plane nodes' },
  },
  checkNodes: {
    reads: ['roles', 'hostname', 'broken', 'addresses'],
    check({ rosters, anyEtcdRole }, report) {
      for (const { nodes, anchors, noEtcd } of rosters) {
        if (noEtcd) continue;
        const anchor = anchors.etcd ?? anchors.nodes;
        if (!anchor || nodes.some((n) => n.broken)) continue;
        const members = nodes.filter((n) => isEtcdMember(n.roles, anyEtcdRole));
        if (members.length === 0 || members.length % 2 !== 0) continue;
        const kind = anyEtcdRole ? 'nodes with role etcd' : 'control-plane nodes, stacked etcd';
        const tolerated = (members.length - 1) >> 1;
        const repeated = inventoryFilesOverlap(members);
        const advice = (n: number) => `Use an odd number: ${n - 1} or ${n + 1}.`;
        report(
          anchor,
          repeated
            ? `The cluster has ${members.length} etcd members (${kind}), ${repeated.machines} machines by their addresses: ${repeated.cause}${repeated.machines % 2 === 0 ? ` ${repeated.machines} is an even count too: ${advice(repeated.machines)}` : ''}`
            : `The cluster has ${members.length} etcd members (${kind}). They tolerate ${tolerated} ${tolerated === 1 ? 'failure' : 'failures'}, no more than ${members.length - 1} would, and a network split can leave neither side a majority. ${advice(members.length)}`,
          {
            related: members
              .filter((m) => m.hostname)
              .slice(0, 10)
              .map((m) => ({ at: placeOf(m, m.hostname!), message: `etcd member ${nodeLabel(m)}` })),
          },
        );
      }
    },
  },
};
