import type { Workspace } from '../analysis/workspace';
import { RULE_SUMMARIES } from './ruleCatalogue';
import type { Position, Range } from '../core/text/positions';
import { hoverTarget, locatedRange } from '../sources/kind';
import { recognizeFile } from '../sources/registry';
import { locate } from './locate';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** The hover of the document kind under the cursor, with the file's cluster as of its last check. */
export function hover(workspace: Workspace, uri: string, position: Position): HoverResult | undefined {
  const file = workspace.file(uri);
  if (!file) return undefined;
  // A whole file of a non-YAML format (an INI inventory) answers for itself.
  const whole = file.needsAnalysis ? undefined : file.documents[0];
  if (whole?.kind.hoverFile && recognizeFile(uri, file.text) === whole.kind)
    return whole.kind.hoverFile(whole, position, { uri, ...workspace.lastView(uri), rules: RULE_SUMMARIES });
  const located = locate(file, file.buffer.offsetAt(position));
  if (!located?.at || !located.kind.hover) return undefined;
  const target = hoverTarget(located.at);
  if (!target?.range) return undefined;
  const markdown = located.kind.hover(located, { uri, ...workspace.lastView(uri), rules: RULE_SUMMARIES });
  return markdown ? { markdown, range: locatedRange(located, target.range[0], target.range[1]) } : undefined;
}
