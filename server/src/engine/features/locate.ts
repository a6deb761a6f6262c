import { lineOfOffset } from '../core/text/lineIndex';
import { nodeAt } from '../core/yaml/nodeAt';
import { LARGE_DOCUMENT_CHARS, parseYaml, type ParsedYaml } from '../core/yaml/parse';
import { splitDocuments } from '../core/yaml/split';
import type { SourceFile } from '../analysis/sourceFile';
import { FOREIGN, type DocumentKind, type DocumentSpan, type LocatedYaml } from '../sources/kind';
import { recognize } from '../sources/registry';

/** The document of a file around an offset: its kind and where its text lies (from the analysis when it is current). */
export function documentAt(
  file: SourceFile,
  offset: number,
  parse?: (start: number, end: number) => ParsedYaml,
): { kind: DocumentKind; span: DocumentSpan } | undefined {
  const text = file.text;
  const parseSpan = parse ?? ((start: number, end: number) => parseYaml(text.slice(start, end)));
  const lineStarts = file.buffer.lineStarts;
  const lineOf = (o: number) => lineOfOffset(lineStarts, o);
  if (!file.needsAnalysis) {
    // The last document starting at or before the offset, by binary search: a quick-fix request locates
    // every diagnostic, and a file of 2,000 documents made a scan per diagnostic quadratic.
    const docs = file.documents;
    let low = 0;
    let high = docs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (docs[mid].chunk.startOffset <= offset) low = mid + 1;
      else high = mid;
    }
    const doc = docs[low - 1];
    if (!doc || offset > doc.end || doc.kind === FOREIGN) return undefined;
    return {
      kind: doc.kind,
      span: { text, start: doc.chunk.startOffset, end: doc.end, lineOf, document: doc, parse: parseSpan },
    };
  }
  const span = splitDocuments(text).find((s) => s.start <= offset && offset <= s.end);
  const kind = span && recognize(file.uri, text.slice(span.start, span.end));
  return kind && span ? { kind, span: { text, start: span.start, end: span.end, lineOf, parse: parseSpan } } : undefined;
}

/**
 * The piece of YAML around an offset, freshly parsed from the current text: what the kind
 * locates (an inventory's node item), or the whole document. Hovers and quick-fixes work on
 * it, so they never depend on the text an analysis last saw. A large document is not parsed
 * again for this: that would block the server for as long as its analysis takes.
 */
/** `parse`, when given, parses [start, end) of the file's text (a code-action request passes one that remembers). */
export function locate(
  file: SourceFile,
  offset: number,
  parse?: (start: number, end: number) => ParsedYaml,
): LocatedYaml | undefined {
  const found = documentAt(file, offset, parse);
  if (!found) return undefined;
  const { kind, span } = found;
  if (kind.locate) return kind.locate(span, offset);
  if (span.end - span.start >= LARGE_DOCUMENT_CHARS) return undefined;
  const parsed = span.parse(span.start, span.end);
  return {
    kind,
    region: 'document',
    base: span.start,
    baseLine: span.lineOf(span.start),
    parsed,
    at: nodeAt(parsed.doc.contents, offset - span.start),
    document: span.document,
  };
}
