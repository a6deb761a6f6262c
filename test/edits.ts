import type { TextEdit } from '../server/src/engine/core/edits';
import { LineIndex } from '../server/src/engine/core/text/lineIndex';

/** Applies LSP text edits (positions in the original text) the way an editor does. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const e of sorted) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}
