import { DOCS } from '../knowledge/docs';
import { formatPortRange } from '../knowledge/net/portRange';
import type { Rule } from './types';

export const nodeportOutOfRange: Rule = {
  meta: {
    id: 'nodeport-out-of-range',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: "A Service's nodePort is outside the cluster's NodePort range",
    description:
      'The API server rejects a Service whose spec.ports[].nodePort lies outside --service-node-port-range (30000-32767 by default) with "provided port is not in the valid range". The range in force is the one the cluster\'s kubeadm config sets (apiServer extraArgs service-node-port-range), else the inventory\'s nodePortRange, else the default. A nodePort of 0 (or null) means "unset": the API server allocates one, and it is not checked.',
    appliesTo: ['service'],
    example: { bad: 'nodePort: 8080', good: 'nodePort: 30080' },
  },
  checkCluster({ nodePortClaims, settings }, report) {
    const { range, source } = settings.nodePortRange;
    const origin = source ? ` (${source.elsewhere ?? source.description})` : '';
    for (const claim of nodePortClaims) {
      if (claim.port >= range.low && claim.port <= range.high) continue;
      report(
        claim.at,
        `nodePort ${claim.port} of Service ${claim.service}: provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}${origin}.`,
        source?.place
          ? { related: [{ at: source.place, message: `NodePort range ${formatPortRange(range)} set here` }] }
          : undefined,
      );
    }
  },
};
