import { computeLineStarts, lineOfOffset, offsetAtPosition, positionAtOffset } from './lineIndex';
import type { Position, Range } from './positions';

/** An LSP-style content change: a range replacement, or the whole text when `range` is absent. */
export interface ContentChange {
  range?: Range;
  text: string;
}

/** What one applied change did, in offsets of the text before (`start`, `oldEnd`) and after (`newEnd`). */
export interface AppliedEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
  /** Change in the number of lines. */
  lineDelta: number;
  wholeText: boolean;
}

/**
 * A document's text with its line starts, updated in place by incremental edits so that
 * a keystroke in a 100,000-line file does not rescan the whole text.
 */
export class TextBuffer {
  private _text: string;
  private _lineStarts: number[];

  constructor(text: string) {
    this._text = text;
    this._lineStarts = computeLineStarts(text);
  }

  get text(): string {
    return this._text;
  }

  /** Updated in place by `apply`: copy it to keep a snapshot across edits. */
  get lineStarts(): readonly number[] {
    return this._lineStarts;
  }

  get lineCount(): number {
    return this._lineStarts.length;
  }

  positionAt(offset: number): Position {
    return positionAtOffset(this._lineStarts, this._text.length, offset);
  }

  offsetAt(position: Position): number {
    return offsetAtPosition(this._lineStarts, this._text.length, position, this._text);
  }

  apply(change: ContentChange): AppliedEdit {
    if (!change.range) {
      const oldLines = this._lineStarts.length;
      const oldLength = this._text.length;
      this._text = change.text;
      this._lineStarts = computeLineStarts(change.text);
      return {
        start: 0,
        oldEnd: oldLength,
        newEnd: change.text.length,
        lineDelta: this._lineStarts.length - oldLines,
        wholeText: true,
      };
    }
    let start = this.offsetAt(change.range.start);
    let end = this.offsetAt(change.range.end);
    if (end < start) [start, end] = [end, start];
    const old = this._text;
    const oldStarts = this._lineStarts;
    const delta = change.text.length - (end - start);
    this._text = old.slice(0, start) + change.text + old.slice(end);

    // Re-scan only the touched lines (one line earlier, so that a "\r" + "\n" join is seen),
    // and update the line starts in place: a keystroke must not copy 100,000 of them.
    const firstLine = Math.max(0, lineOfOffset(oldStarts, start) - 1);
    const lastLine = lineOfOffset(oldStarts, end);
    const oldLineCount = oldStarts.length;
    const segmentStart = oldStarts[firstLine];
    const hasRest = lastLine + 1 < oldLineCount;
    const segmentEnd = (hasRest ? oldStarts[lastLine + 1] : old.length) + delta;
    const segmentStarts = computeLineStarts(this._text.slice(segmentStart, segmentEnd), segmentStart).filter(
      (s) => !hasRest || s < segmentEnd,
    );
    const replacedCount = lastLine - firstLine + 1;
    if (segmentStarts.length === replacedCount) {
      for (let i = 0; i < replacedCount; i++) oldStarts[firstLine + i] = segmentStarts[i];
    } else {
      oldStarts.splice(firstLine, replacedCount, ...segmentStarts);
    }
    if (delta !== 0) for (let i = firstLine + segmentStarts.length; i < oldStarts.length; i++) oldStarts[i] += delta;
    return {
      start,
      oldEnd: end,
      newEnd: start + change.text.length,
      lineDelta: oldStarts.length - oldLineCount,
      wholeText: false,
    };
  }
}
