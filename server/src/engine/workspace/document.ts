import type { Finding } from '../findings';
import type { Chunk } from '../inventory/model';
import { shiftRange } from '../text/positions';

/**
 * One YAML document of a file, analysed. Positions inside are relative to `chunk`, so a
 * document that did not change is reused as it is when text above it moves.
 */
export interface AnalyzedDocument {
  readonly kind: string;
  readonly chunk: Chunk;
  /** Offset just past the document in the file. */
  end: number;
  /** Moves the document to where it now sits in the file. */
  place(start: number, startLine: number, end: number): void;
}

/** A document that is not ours (a Deployment, a Helm values file...): kept only to know where it is. */
export class ForeignDocument implements AnalyzedDocument {
  readonly kind = 'foreign';
  readonly chunk: Chunk;
  constructor(
    start: number,
    startLine: number,
    public end: number,
  ) {
    this.chunk = { startOffset: start, startLine };
  }
  place(start: number, startLine: number, end: number): void {
    this.chunk.startOffset = start;
    this.chunk.startLine = startLine;
    this.end = end;
  }
}

/** Makes chunk-relative findings absolute. Related locations without a uri are in the same chunk. */
export function shiftFindings(findings: readonly Finding[], lineBase: number, into: Finding[]): void {
  if (lineBase === 0) {
    into.push(...findings);
    return;
  }
  for (const f of findings) {
    const shifted: Finding = { ...f, range: shiftRange(f.range, lineBase) };
    if (f.related)
      shifted.related = f.related.map((r) => (r.uri === undefined ? { ...r, range: shiftRange(r.range, lineBase) } : r));
    into.push(shifted);
  }
}
