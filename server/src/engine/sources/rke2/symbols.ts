/** The outline of an RKE2/K3s node config: its flags with their values. */
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { NodeConfigDocument } from './document';

export function nodeConfigSymbols(doc: NodeConfigDocument, at: SymbolRanges): DocumentSymbolData[] {
  return [...doc.flags].map(([name, value]) => {
    const range = at.place({ origin: { uri: '', chunk: doc.chunk }, range: value.range });
    return { name, detail: value.value, kind: 'setting' as const, range, selectionRange: range };
  });
}
