import { DOCS } from '../kubernetes/docs';
import type { ServiceDocument, NodePortEntry } from '../service/serviceDocument';
import { shiftRange } from '../text/positions';
import type { Rule } from './types';

interface Occurrence {
  uri: string;
  doc: ServiceDocument;
  entry: NodePortEntry;
}

export const nodeportDuplicate: Rule = {
  meta: {
    id: 'nodeport-duplicate',
    severity: 'error',
    docs: DOCS.nodePortService,
    title: 'Two Services of one cluster ask for the same nodePort',
    description:
      'NodePorts are allocated cluster-wide by number, whatever the protocol: the second Service is rejected with "provided port is already allocated". Checked across every Service of the cluster (all Service files in the directory tree of its inventory; on the command line, of each path given). Within one Service, the same nodePort for two protocols (TCP and UDP of a DNS port, say) is allowed. Reported on every occurrence, each pointing at the others.',
    appliesTo: ['service'],
    example: { bad: 'web: nodePort: 30080\napi: nodePort: 30080', good: 'api: nodePort: 30081' },
  },
  checkCluster({ services }, report) {
    const byPort = new Map<number, Occurrence[]>();
    for (const { uri, doc } of services) {
      for (const entry of doc.nodePorts) {
        const list = byPort.get(entry.value);
        if (list) list.push({ uri, doc, entry });
        else byPort.set(entry.value, [{ uri, doc, entry }]);
      }
    }
    for (const [port, group] of byPort) {
      if (group.length < 2) continue;
      for (const occurrence of group) {
        const clashes = group.filter(
          (o) => o !== occurrence && (o.doc !== occurrence.doc || o.entry.protocol === occurrence.entry.protocol),
        );
        if (clashes.length === 0) continue;
        const names = [
          ...new Set(
            clashes.map((c) =>
              c.doc === occurrence.doc ? `port ${c.entry.label} of the same Service` : `Service ${c.doc.displayName}`,
            ),
          ),
        ];
        report(
          occurrence.uri,
          shiftRange(occurrence.entry.range, occurrence.doc.chunk.startLine),
          `nodePort ${port} of Service ${occurrence.doc.displayName} is also requested by ${names.join(', ')}; provided port is already allocated.`,
          {
            related: clashes.map((c) => ({
              uri: c.uri,
              range: shiftRange(c.entry.range, c.doc.chunk.startLine),
              message: `nodePort ${port} of Service ${c.doc.displayName}`,
            })),
          },
        );
      }
    }
  },
};
