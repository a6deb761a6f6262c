import type { TextEdit } from '../server/src/engine/core/edits';
import { LineIndex } from '../server/src/engine/core/text/lineIndex';

/** Applies LSP text edits (positions in the original text) the way an editor does. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  // From the first edit on, in pieces: one pass over the text however many edits (40,000 in a migration test).
  const pieces: string[] = [];
  let at = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i];
    pieces.push(text.slice(at, e.start), e.text);
    at = Math.max(at, e.end);
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}
