import { DOCS } from '../knowledge/docs';
import type { NodePortClaim } from '../model/cluster';
import type { Rule } from './types';

export const nodeportDuplicate: Rule = {
  meta: {
    id: 'nodeport-duplicate',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: 'Two Services of one cluster ask for the same nodePort',
    description:
      'NodePorts are allocated cluster-wide by number, whatever the protocol: the second Service is rejected with "provided port is already allocated". Checked across every Service of the cluster (the Service files in the directory tree of its inventory or other anchor; Services no cluster takes are compared only with those of their own file). Within one Service, the same nodePort for two protocols (TCP and UDP of a DNS port, say) is allowed, and the same Service (namespace/name) written in several files, such as a Kustomize base and its overlay, is one Service, not a duplicate of itself. Reported on every occurrence, each pointing at the others. A nodePort of 0 (or null) is unset and never a duplicate.',
    appliesTo: ['service'],
    example: { bad: 'web: nodePort: 30080\napi: nodePort: 30080', good: 'api: nodePort: 30081' },
  },
  checkCluster({ nodePortClaims }, report) {
    const byPort = new Map<number, NodePortClaim[]>();
    for (const claim of nodePortClaims) {
      const list = byPort.get(claim.port);
      if (list) list.push(claim);
      else byPort.set(claim.port, [claim]);
    }
    for (const [port, group] of byPort) {
      if (group.length < 2) continue;
      for (const claim of group) {
        // The same Service in another document (a base and its overlay) is that Service again, not a second one.
        const clashes = group.filter(
          (o) =>
            o !== claim &&
            (o.serviceId !== claim.serviceId || (o.document === claim.document && o.protocol === claim.protocol)),
        );
        if (clashes.length === 0) continue;
        const names = [
          ...new Set(
            clashes.map((c) =>
              c.serviceId === claim.serviceId ? `port ${c.label} of the same Service` : `Service ${c.service}`,
            ),
          ),
        ];
        report(
          claim.at,
          `nodePort ${port} of Service ${claim.service} is also requested by ${names.join(', ')}; provided port is already allocated.`,
          {
            related: clashes.map((c) => ({ at: c.at, message: `nodePort ${port} of Service ${c.service}` })),
          },
        );
      }
    }
  },
};
