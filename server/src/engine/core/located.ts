import { shiftRange, type Range } from './text/positions';

/**
 * A stretch of a file that was parsed on its own: one node item of a large inventory, or a
 * whole YAML document. Ranges inside models are relative to their chunk's first line, so an
 * edit above a chunk only moves `startLine`, and everything computed from the chunk stays valid.
 */
export interface Chunk {
  startOffset: number;
  startLine: number;
}

/** Which file, and which chunk of it, relative ranges belong to. */
export interface Origin {
  uri: string;
  chunk: Chunk;
}

/** A value read from a file with the range it was written at (relative to its owner's origin). */
export interface Value<T> {
  value: T;
  range: Range;
  /** Where the value was written, when that is not its owner's origin (a Kubespray host_vars file, say). */
  origin?: Origin;
}

/**
 * A place a finding can point at. `owner` is the model object (a node, a document) the place
 * was read from: a cached finding whose owner was replaced may point at stale text.
 */
export interface Place {
  origin: Origin;
  range: Range;
  owner?: object;
}

/** The file position of a place, as it is now. */
export function absoluteRange(place: Place): Range {
  return shiftRange(place.range, place.origin.chunk.startLine);
}

/** A zero-width place at the start of a chunk: where findings about a whole document go when nothing better exists. */
export function chunkStart(origin: Origin, owner?: object): Place {
  return { origin, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, owner };
}
