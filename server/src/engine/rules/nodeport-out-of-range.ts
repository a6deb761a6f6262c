import { DOCS } from '../kubernetes/docs';
import { formatPortRange } from '../net/portRange';
import { shiftRange } from '../text/positions';
import type { Rule } from './types';

export const nodeportOutOfRange: Rule = {
  meta: {
    id: 'nodeport-out-of-range',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: "A Service's nodePort is outside the cluster's NodePort range",
    description:
      'The API server rejects a Service whose spec.ports[].nodePort lies outside --service-node-port-range (30000-32767 by default) with "provided port is not in the valid range". The range in force is the one the cluster\'s kubeadm config sets (apiServer extraArgs service-node-port-range), else the inventory\'s nodePortRange, else the default.',
    appliesTo: ['service'],
    example: { bad: 'nodePort: 8080', good: 'nodePort: 30080' },
  },
  checkCluster({ services, settings }, report) {
    const { range, source } = settings.nodePortRange;
    const origin = source ? ` (${source.description})` : '';
    for (const { uri, doc } of services) {
      for (const entry of doc.nodePorts) {
        if (entry.value >= range.low && entry.value <= range.high) continue;
        report(
          uri,
          shiftRange(entry.range, doc.chunk.startLine),
          `nodePort ${entry.value} of Service ${doc.displayName}: provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}${origin}.`,
          source?.range
            ? {
                related: [{ uri: source.uri, range: source.range, message: `NodePort range ${formatPortRange(range)} set here` }],
              }
            : undefined,
        );
      }
    }
  },
};
