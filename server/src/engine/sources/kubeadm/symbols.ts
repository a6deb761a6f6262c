/** The outline of kubeadm, kubelet and kube-proxy files: one entry per document, by kind. */
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { ConfigDocument } from './configDocument';

export function configSymbols(doc: ConfigDocument, at: SymbolRanges): DocumentSymbolData[] {
  const range = at.offsets(doc.chunk.startOffset, doc.end);
  const kind = doc.facts.kind;
  return [
    {
      name: doc.typeName,
      detail: doc.apiVersion,
      kind: 'document',
      range,
      selectionRange: at.place({ origin: { uri: '', chunk: doc.chunk }, range: kind.range }),
    },
  ];
}
