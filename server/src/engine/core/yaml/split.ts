/**
 * Splits a YAML stream into its documents by the column-0 markers "---" and "...",
 * exactly where the YAML grammar ends a document (a marker at column 0 ends even a
 * block scalar). Splitting first lets one document be re-parsed without the others.
 */
export interface DocumentSpan {
  /** Offset of the document's first line (a "---" line, directives, or the file start). */
  start: number;
  /** Offset just past the document's last line. */
  end: number;
}

/** LF, CRLF, or a lone CR (which YAML also reads as a line break). */
const LINE_BREAK = /\r\n?|\n/g;

export function splitDocuments(text: string): DocumentSpan[] {
  const spans: DocumentSpan[] = [];
  let spanStart = 0;
  /** Whether the current span has anything but blank lines, comments and directives. */
  let hasContent = false;
  let lineStart = 0;
  while (lineStart < text.length) {
    LINE_BREAK.lastIndex = lineStart;
    const lineBreak = LINE_BREAK.exec(text);
    const lineEnd = lineBreak ? lineBreak.index + lineBreak[0].length : text.length;
    const first = text.charCodeAt(lineStart);
    if (first === 45 /* - */ && isMarker(text, lineStart, '---')) {
      if (hasContent) spans.push({ start: spanStart, end: lineStart });
      // Directives and comments above "---" belong to the document it opens.
      if (hasContent) spanStart = lineStart;
      hasContent = true;
    } else if (first === 46 /* . */ && isMarker(text, lineStart, '...')) {
      if (hasContent) spans.push({ start: spanStart, end: lineEnd });
      spanStart = lineEnd;
      hasContent = false;
    } else if (!hasContent && !isBlankCommentOrDirective(text, lineStart, lineEnd)) {
      hasContent = true;
    }
    lineStart = lineEnd;
  }
  if (hasContent) spans.push({ start: spanStart, end: text.length });
  return spans;
}

function isMarker(text: string, at: number, marker: string): boolean {
  if (!text.startsWith(marker, at)) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

function isBlankCommentOrDirective(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) continue;
    return ch === 35 /* # */ || (ch === 37 /* % */ && i === start);
  }
  return true;
}
