import { DOCS } from '../knowledge/docs';
import { placeOf, type NodeFacts } from '../model/cluster';
import type { Rule } from './types';
import { firstOthers, joinBounded, MAX_RELATED } from './util/bounded-group';
import { inventoryFilesCause } from './util/inventory-files';

export const duplicateHostname: Rule = {
  meta: {
    id: 'duplicate-hostname',
    severity: 'error',
    docs: DOCS.nodeNameUniqueness,
    title: 'Two nodes share a hostname (compared case-insensitively)',
    description:
      "Kubernetes identifies a Node by its name, and two Nodes cannot have the same name at the same time; a second machine joining under an existing name takes over that Node object. Names are compared case-insensitively because DNS and the kubelet's certificate (system:node:<lowercased hostname>) are. Reported on every occurrence, each pointing at the others.",
    appliesTo: ['inventory', 'kubespray', 'k0sctl', 'rke2'],
    example: { bad: '- hostname: worker-1\n...\n- hostname: worker-1', good: '- hostname: worker-1\n...\n- hostname: worker-2' },
  },
  checkNodes: {
    reads: ['hostname'],
    check({ nodes }, report) {
      const byName = new Map<string, NodeFacts[]>();
      for (const node of nodes) {
        if (!node.hostname) continue;
        const key = node.hostname.value.toLowerCase();
        const group = byName.get(key);
        if (group) group.push(node);
        else byName.set(key, [node]);
      }
      for (const group of byName.values()) {
        if (group.length < 2) continue;
        const spellings = [...new Set(group.map((n) => n.hostname!.value))].map((s) => `"${s}"`);
        const shown = spellings.length === 2 ? spellings.join(' and ') : joinBounded(spellings);
        const cause = inventoryFilesCause(group);
        const text = cause
          ? `Hostname ${shown} is used by ${group.length} nodes: ${cause}`
          : `Hostname ${shown} is used by ${group.length} nodes; node names must be unique in a cluster.`;
        for (const node of group) {
          // The first others only: every member pointing at every other one is quadratic in the group's size.
          const others = firstOthers(group, (o) => o === node, MAX_RELATED);
          report(placeOf(node, node.hostname!), text, {
            related: others.map((o) => ({ at: placeOf(o, o.hostname!), message: `Also used here: "${o.hostname!.value}"` })),
          });
        }
      }
    },
  },
};
