/**
 * The outline of a file (each document kind lists what it has: nodes, hosts, documents) and
 * the workspace's nodes by name, for Go to Symbol in Workspace.
 */
import type { Workspace } from '../analysis/workspace';
import { absoluteRange } from '../core/located';
import type { Range } from '../core/text/positions';
import type { DocumentSymbolData, SymbolRanges } from '../sources/kind';

export type { DocumentSymbolData } from '../sources/kind';

export function documentSymbols(workspace: Workspace, uri: string): DocumentSymbolData[] {
  const file = workspace.file(uri);
  if (!file) return [];
  workspace.findings(uri); // the outline reads the analysed documents
  const ranges: SymbolRanges = {
    place: (place) => absoluteRange(place),
    offsets: (start, end) => ({ start: file.buffer.positionAt(start), end: file.buffer.positionAt(end) }),
  };
  return file.documents.flatMap((doc) => doc.kind.symbols?.(doc as never, ranges) ?? []);
}

export interface WorkspaceSymbolData {
  name: string;
  detail?: string;
  kind: DocumentSymbolData['kind'];
  uri: string;
  range: Range;
}

/** Nodes and hosts whose name contains the query (case-insensitive), across every file of the workspace. */
export function workspaceSymbols(workspace: Workspace, query: string, limit = 500): WorkspaceSymbolData[] {
  const wanted = query.toLowerCase();
  const out: WorkspaceSymbolData[] = [];
  const visit = (uri: string, symbols: readonly DocumentSymbolData[]): boolean => {
    for (const symbol of symbols) {
      if ((symbol.kind === 'node' || symbol.kind === 'host') && symbol.name.toLowerCase().includes(wanted)) {
        out.push({ name: symbol.name, detail: symbol.detail, kind: symbol.kind, uri, range: symbol.selectionRange });
        if (out.length >= limit) return false;
      }
      if (symbol.children && !visit(uri, symbol.children)) return false;
    }
    return true;
  };
  for (const file of workspace.allFiles()) if (!visit(file.uri, documentSymbols(workspace, file.uri))) break;
  return out;
}
