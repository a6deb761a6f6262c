/** Zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function compareRanges(a: Range, b: Range): number {
  return comparePositions(a.start, b.start) || comparePositions(a.end, b.end);
}

/** Moves a range that was computed relative to a chunk of lines starting at `lineBase`. */
export function shiftRange(r: Range, lineBase: number): Range {
  if (lineBase === 0) return r;
  return {
    start: { line: r.start.line + lineBase, character: r.start.character },
    end: { line: r.end.line + lineBase, character: r.end.character },
  };
}
