import type { Workspace } from '../analysis/workspace';
import { RULE_SUMMARIES } from './ruleCatalogue';
import type { Position, Range } from '../core/text/positions';
import { hoverTarget, locatedRange } from '../sources/kind';
import { recognizeFile } from '../sources/registry';
import { clusterExplanation } from './clusterHover';
import { documentAt, locate } from './locate';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/**
 * The hover of the document kind under the cursor, with the file's cluster as of its last check.
 * On a document's head (its first line that is not a comment) it also says which cluster the
 * file belongs to and why, for every kind alike.
 */
export function hover(workspace: Workspace, uri: string, position: Position): HoverResult | undefined {
  const file = workspace.file(uri);
  if (!file) return undefined;
  const offset = file.buffer.offsetAt(position);
  const found = kindHover(workspace, uri, position, offset);
  const at = file.isOurs ? documentAt(file, offset)?.span : undefined;
  // A document that stays silent where it is (group_vars of another Ansible project) explains nothing.
  const model = at?.document?.reportsIn ? workspace.lastView(uri).model : undefined;
  if (at?.document?.reportsIn && !(model && at.document.reportsIn(model))) return found;
  const head = at && headOf(file.text, at.start);
  if (!head || file.buffer.positionAt(head.start).line !== position.line) return found;
  const cluster = clusterExplanation(workspace, uri);
  return found
    ? { markdown: `${found.markdown}\n\n---\n\n${cluster}`, range: found.range }
    : { markdown: cluster, range: { start: file.buffer.positionAt(head.start), end: file.buffer.positionAt(head.end) } };
}

function kindHover(workspace: Workspace, uri: string, position: Position, offset: number): HoverResult | undefined {
  const file = workspace.file(uri)!;
  // A whole file of a non-YAML format (an INI inventory) answers for itself.
  const whole = file.needsAnalysis ? undefined : file.documents[0];
  if (whole?.kind.hoverFile && recognizeFile(uri, file.text) === whole.kind)
    return whole.kind.hoverFile(whole, position, { uri, ...workspace.lastView(uri), rules: RULE_SUMMARIES });
  const located = locate(file, offset);
  if (!located?.at || !located.kind.hover) return undefined;
  const target = hoverTarget(located.at);
  if (!target?.range) return undefined;
  const markdown = located.kind.hover(located, { uri, ...workspace.lastView(uri), rules: RULE_SUMMARIES });
  return markdown ? { markdown, range: locatedRange(located, target.range[0], target.range[1]) } : undefined;
}

/**
 * The offsets of a document's first line that says something (no blank line, comment, `---` or
 * directive), without its indentation and trailing spaces. The scan stops at that line.
 */
function headOf(text: string, start: number | undefined): { start: number; end: number } | undefined {
  if (start === undefined) return undefined;
  for (let at = start; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const content = line.trim();
    if (content && !/^(#|;|---|\.\.\.|%)/.test(content)) {
      const from = at + line.length - line.trimStart().length;
      return { start: from, end: from + content.length };
    }
    at = end + 1;
  }
  return undefined;
}
