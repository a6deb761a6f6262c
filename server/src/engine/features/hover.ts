import type { Workspace } from '../analysis/workspace';
import type { Position, Range } from '../core/text/positions';
import { hoverTarget, locatedRange } from '../sources/kind';
import { locate } from './locate';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** The hover of the document kind under the cursor, with the file's cluster as of its last check. */
export function hover(workspace: Workspace, uri: string, position: Position): HoverResult | undefined {
  const file = workspace.file(uri);
  if (!file) return undefined;
  const located = locate(file, file.buffer.offsetAt(position));
  if (!located?.at || !located.kind.hover) return undefined;
  const target = hoverTarget(located.at);
  if (!target?.range) return undefined;
  const markdown = located.kind.hover(located, { uri, ...workspace.lastView(uri) });
  return markdown ? { markdown, range: locatedRange(located, target.range[0], target.range[1]) } : undefined;
}
