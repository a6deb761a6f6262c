import type { Position, Range } from './positions';

/** Offsets of line starts in a text, for offset <-> position conversion. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    return positionAtOffset(this.lineStarts, this.text.length, offset);
  }

  offsetAt(position: Position): number {
    return offsetAtPosition(this.lineStarts, this.text.length, position, this.text);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** The position of an offset, clamped to the text. */
export function positionAtOffset(lineStarts: readonly number[], textLength: number, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, textLength));
  const line = lineOfOffset(lineStarts, clamped);
  return { line, character: clamped - lineStarts[line] };
}

/**
 * The offset of a position. A character past the end of its line means the line's end, before
 * its line break (LSP), so that an edit there never splits a CRLF or lands on the next line.
 */
export function offsetAtPosition(lineStarts: readonly number[], textLength: number, position: Position, text: string): number {
  if (position.line < 0) return 0;
  if (position.line >= lineStarts.length) return textLength;
  const lineStart = lineStarts[position.line];
  let lineEnd = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1] : textLength;
  if (lineEnd > lineStart && position.line + 1 < lineStarts.length) {
    lineEnd--; // the \n, or the \r of a lone CR
    if (lineEnd > lineStart && text.charCodeAt(lineEnd) === 10 && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  }
  return Math.max(lineStart, Math.min(lineStart + Math.max(0, position.character), lineEnd));
}

export function computeLineStarts(text: string, base = 0): number[] {
  const starts = [base];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(base + i + 1);
    } else if (ch === 10 /* \n */) {
      starts.push(base + i + 1);
    }
  }
  return starts;
}

/** Binary search: the line containing `offset`. */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
