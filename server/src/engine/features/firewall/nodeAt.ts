/**
 * Which node's entry a position is in, for the "Generate firewall rules for this node…" action:
 * read from the cluster's last view, so that asking never starts an analysis of a large file.
 */
import type { Workspace } from '../../analysis/workspace';
import { absoluteRange } from '../../core/located';
import type { Position } from '../../core/text/positions';
import { placeOf } from '../../model/cluster';
import { nodeName } from '../requirements';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

export function nodeAtPosition(workspace: Workspace, uri: string, position: Position): string | undefined {
  const model = workspace.lastView(uri).model;
  if (!model) return undefined;
  for (const node of model.nodes) {
    if (node.broken) continue;
    const place = placeOf(node, node.itemRange);
    if (place.origin.uri !== uri) continue;
    const range = absoluteRange(place);
    if (!before(position, range.start) && !before(range.end, position)) return nodeName(node);
  }
  return undefined;
}
