/** A replacement of `[start, end)` of a text by `text` (offsets in UTF-16 code units). */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** A stretch of the rewritten text: a range of the original, or text that is new. */
type Piece = { start: number; end: number } | { text: string };

/**
 * A text rewritten in rounds of edits, each round against the text the previous one left. It
 * remembers which stretches still come from the original, so the whole rewrite can be handed
 * back as edits of the original that touch only what changed: every byte kept (comments, a BOM,
 * CRLF line ends) stays outside them. Each round costs time linear in its edits and the pieces.
 */
export class Rewrite {
  private constructor(
    readonly original: string,
    private readonly pieces: readonly Piece[],
    private readonly current: string,
  ) {}

  /** The text before any round. */
  static of(original: string): Rewrite {
    return new Rewrite(original, original.length > 0 ? [{ start: 0, end: original.length }] : [], original);
  }

  /** The text after every round so far. */
  get text(): string {
    return this.current;
  }

  /**
   * The rewrite after one more round: edits against the current text that do not overlap (touching
   * is fine, two insertions at one point are applied in the order given).
   */
  apply(edits: readonly OffsetEdit[]): Rewrite {
    const sorted = edits
      .map((edit, order) => ({ edit, order }))
      .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order)
      .map((e) => e.edit);
    const out: Piece[] = [];
    const texts: string[] = [];
    let index = 0; // the piece `cursor` is in
    let pieceStart = 0; // where that piece starts in the current text
    let cursor = 0; // how much of the current text has been copied or skipped
    const advance = (to: number, keep: boolean) => {
      while (cursor < to && index < this.pieces.length) {
        const piece = this.pieces[index];
        const length = lengthOf(piece);
        const from = cursor - pieceStart;
        const until = Math.min(length, to - pieceStart);
        if (keep && until > from) push(out, sliceOf(piece, from, until));
        cursor = pieceStart + until;
        if (until === length) {
          pieceStart += length;
          index++;
        }
      }
    };
    let previousEnd = 0;
    for (const edit of sorted) {
      if (edit.start < previousEnd || edit.end < edit.start || edit.end > this.current.length)
        throw new Error(`overlapping or misplaced edit at ${edit.start}-${edit.end}`);
      advance(edit.start, true);
      texts.push(this.current.slice(previousEnd, edit.start), edit.text);
      advance(edit.end, false);
      if (edit.text) push(out, { text: edit.text });
      previousEnd = edit.end;
    }
    advance(this.current.length, true);
    texts.push(this.current.slice(previousEnd));
    return new Rewrite(this.original, out, texts.join(''));
  }

  /** The rewrite as edits of the original, in order, each as small as the change it makes. */
  edits(): OffsetEdit[] {
    const edits: OffsetEdit[] = [];
    let kept = 0; // the original up to here is accounted for
    let added = '';
    const flush = (until: number) => {
      if (until > kept || added) edits.push(trimmed(this.original, { start: kept, end: until, text: added }));
      added = '';
    };
    for (const piece of this.pieces) {
      if ('text' in piece) {
        added += piece.text;
        continue;
      }
      if (piece.start > kept || added) flush(piece.start);
      kept = piece.end;
    }
    flush(this.original.length);
    return edits.filter((e) => e.start !== e.end || e.text !== '');
  }
}

function lengthOf(piece: Piece): number {
  return 'text' in piece ? piece.text.length : piece.end - piece.start;
}

function sliceOf(piece: Piece, from: number, until: number): Piece {
  return 'text' in piece ? { text: piece.text.slice(from, until) } : { start: piece.start + from, end: piece.start + until };
}

/** Appends a piece, joining it to the last one where they continue each other. */
function push(pieces: Piece[], piece: Piece): void {
  const last = pieces[pieces.length - 1];
  if (last && 'text' in last && 'text' in piece) pieces[pieces.length - 1] = { text: last.text + piece.text };
  else if (last && !('text' in last) && !('text' in piece) && last.end === piece.start)
    pieces[pieces.length - 1] = { start: last.start, end: piece.end };
  else pieces.push(piece);
}

/**
 * The edit without what it removes and puts back unchanged at either end (a round that rewrote a
 * value another round set back). Never splits a CRLF line end: an editor cannot place a position there.
 */
function trimmed(original: string, edit: OffsetEdit): OffsetEdit {
  let { start, end, text } = edit;
  let head = 0;
  while (head < text.length && start + head < end && original.charCodeAt(start + head) === text.charCodeAt(head)) head++;
  if (head > 0 && original[start + head - 1] === '\r' && original[start + head] === '\n') head--;
  start += head;
  text = text.slice(head);
  let tail = 0;
  while (
    tail < text.length &&
    end - tail > start &&
    original.charCodeAt(end - tail - 1) === text.charCodeAt(text.length - tail - 1)
  )
    tail++;
  if (tail > 0 && original[end - tail] === '\n' && original[end - tail - 1] === '\r') tail--;
  end -= tail;
  text = text.slice(0, text.length - tail);
  return { start, end, text };
}
