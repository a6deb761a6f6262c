/** The outline of a Service manifest: the Service by namespace and name. */
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { ServiceDocument } from './serviceDocument';

export function serviceSymbols(doc: ServiceDocument, at: SymbolRanges): DocumentSymbolData[] {
  const range = at.offsets(doc.chunk.startOffset, doc.end);
  const selection = doc.kindRange ? at.place({ origin: { uri: '', chunk: doc.chunk }, range: doc.kindRange }) : range;
  return [
    {
      name: `Service ${doc.displayName}`,
      detail: doc.nodePorts.length ? `nodePorts ${doc.nodePorts.map((p) => p.value).join(', ')}` : undefined,
      kind: 'service',
      range,
      selectionRange: selection,
    },
  ];
}
