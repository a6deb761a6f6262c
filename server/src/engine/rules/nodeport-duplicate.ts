import { DOCS } from '../knowledge/docs';
import type { NodePortClaim } from '../model/cluster';
import type { Rule } from './types';
import { firstOthers, MAX_RELATED } from './util/bounded-group';

export const nodeportDuplicate: Rule = {
  meta: {
    id: 'nodeport-duplicate',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: 'Two Services of one cluster ask for the same nodePort',
    description:
      'NodePorts are allocated cluster-wide by number, whatever the protocol: the second Service is rejected with "provided port is already allocated". Checked across every Service of the cluster (all Service files in the directory tree of its inventory; on the command line, of each path given). Within one Service, the same nodePort for two protocols (TCP and UDP of a DNS port, say) is allowed. Reported on every occurrence, each pointing at the others. A nodePort of 0 (or null) is unset and never a duplicate.',
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
      // Counted once per group, so each claim learns how many others clash with it in constant time.
      const perService = new Map<object, Map<string, number>>();
      for (const c of group) {
        const protocols = perService.get(c.serviceId) ?? new Map<string, number>();
        perService.set(c.serviceId, protocols.set(c.protocol, (protocols.get(c.protocol) ?? 0) + 1));
      }
      for (const claim of group) {
        // Other Services clash on any protocol; the same Service only on the same protocol.
        const protocols = perService.get(claim.serviceId)!;
        let sameService = 0;
        for (const count of protocols.values()) sameService += count;
        const total = group.length - sameService + protocols.get(claim.protocol)! - 1;
        if (total === 0) continue;
        const clashes = firstOthers(
          group,
          (o) => o === claim || (o.serviceId === claim.serviceId && o.protocol !== claim.protocol),
          MAX_RELATED,
        );
        const names = [
          ...new Set(
            clashes.map((c) =>
              c.serviceId === claim.serviceId ? `port ${c.label} of the same Service` : `Service ${c.service}`,
            ),
          ),
        ];
        const more = total - clashes.length;
        const named = more > 0 ? `${names.join(', ')} and ${more.toLocaleString('en-US')} more` : names.join(', ');
        report(
          claim.at,
          `nodePort ${port} of Service ${claim.service} is also requested by ${named}; provided port is already allocated.`,
          {
            related: clashes.map((c) => ({ at: c.at, message: `nodePort ${port} of Service ${c.service}` })),
          },
        );
      }
    }
  },
};
