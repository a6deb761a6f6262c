/** The outline of a k0sctl file (its hosts, by hostname or address, with their roles) and of a k0s ClusterConfig. */
import type { Range } from '../../core/text/positions';
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { K0sConfigDocument, K0sctlDocument } from './document';

export function k0sctlSymbols(doc: K0sctlDocument, at: SymbolRanges): DocumentSymbolData[] {
  const place = (range: Range) => at.place({ origin: { uri: '', chunk: doc.chunk }, range });
  return doc.hosts.map((host, i) => {
    const name = host.hostname ?? host.privateAddress ?? host.connectionAddress;
    return {
      name: name?.value || `host ${i + 1}`,
      detail: host.role?.value,
      kind: 'host' as const,
      range: place(host.itemRange),
      selectionRange: place(name?.range ?? host.itemRange),
    };
  });
}

export function k0sConfigSymbols(doc: K0sConfigDocument, at: SymbolRanges): DocumentSymbolData[] {
  const range = at.offsets(doc.chunk.startOffset, doc.end);
  return [{ name: 'ClusterConfig', detail: 'k0s.k0sproject.io/v1beta1', kind: 'document', range, selectionRange: range }];
}
