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
      // Counted once per group, so each claim learns how many others clash with it in constant time.
      const perService = new Map<object | string, number>();
      const perDocument = new Map<object, Map<string, number>>();
      for (const c of group) {
        perService.set(c.serviceId, (perService.get(c.serviceId) ?? 0) + 1);
        const protocols = perDocument.get(c.document) ?? new Map<string, number>();
        perDocument.set(c.document, protocols.set(c.protocol, (protocols.get(c.protocol) ?? 0) + 1));
      }
      for (const claim of group) {
        // Other Services clash on any protocol; the same Service only in the same document on the same
        // protocol: the same Service in another document (a base and its overlay) is that Service again.
        const sameService = perService.get(claim.serviceId)!;
        const total = group.length - sameService + (perDocument.get(claim.document)!.get(claim.protocol) ?? 0) - 1;
        if (total === 0) continue;
        const clashes = firstOthers(
          group,
          (o) =>
            o === claim || (o.serviceId === claim.serviceId && (o.document !== claim.document || o.protocol !== claim.protocol)),
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
