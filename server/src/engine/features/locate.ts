import { isSeq, type YAMLSeq } from 'yaml';
import { InventoryDocument } from '../inventory/inventoryDocument';
import { scanNodesLayout } from '../inventory/layout';
import type { NodeModel } from '../inventory/model';
import { readNode } from '../inventory/read';
import { lineOfOffset } from '../text/lineIndex';
import { shiftRange, type Range } from '../text/positions';
import type { SourceFile } from '../workspace/sourceFile';
import { recognize, type OurKind } from '../workspace/recognize';
import { findPair, resolveAlias } from '../yaml/ast';
import { nodeAt, type NodeAtOffset } from '../yaml/nodeAt';
import { LARGE_DOCUMENT_CHARS, parseYaml, type ParsedYaml } from '../yaml/parse';
import { splitDocuments } from '../yaml/split';

/**
 * The piece of YAML around an offset, freshly parsed from the current text: the node item
 * of an inventory (or its head), or a whole Service document. Hovers and quick-fixes work
 * on it, so they never depend on the text an analysis last saw.
 */
export interface LocatedYaml {
  kind: OurKind;
  /** An inventory node item, or the rest of the document. */
  region: 'item' | 'document';
  /** Absolute offset and line where `parsed` starts. */
  base: number;
  baseLine: number;
  parsed: ParsedYaml;
  /** The node at the offset, in `parsed`'s coordinates. */
  at?: NodeAtOffset;
  /** For items: the node's mapping and what the rules know about it. */
  itemNode?: unknown;
  node?: NodeModel;
  /** The analysed inventory the item belongs to, when the analysis is current. */
  inventory?: InventoryDocument;
}

/** A range of offsets in `located.parsed`, in the file's lines. */
export function absoluteRange(located: LocatedYaml, start: number, end: number): Range {
  return shiftRange(located.parsed.lines.rangeOf(start, end), located.baseLine);
}

export function locate(file: SourceFile, offset: number): LocatedYaml | undefined {
  const text = file.text;
  const lineStarts = file.buffer.lineStarts;
  const lineOf = (o: number) => lineOfOffset(lineStarts, o);

  let span: { start: number; end: number } | undefined;
  let kind: OurKind | undefined;
  let inventory: InventoryDocument | undefined;
  if (!file.needsAnalysis) {
    const doc = [...file.documents].reverse().find((d) => d.chunk.startOffset <= offset);
    if (!doc || offset > doc.end || doc.kind === 'foreign') return undefined;
    span = { start: doc.chunk.startOffset, end: doc.end };
    kind = doc.kind as OurKind;
    if (doc instanceof InventoryDocument) inventory = doc;
  } else {
    span = splitDocuments(text).find((s) => s.start <= offset && offset <= s.end);
    if (!span) return undefined;
    kind = recognize(text.slice(span.start, span.end))?.kind;
    if (!kind) return undefined;
  }

  /** Where the node items begin, when the document is split by node: the head ends there. */
  let firstItem: number | undefined;
  if (kind === 'inventory') {
    let itemStart: number | undefined;
    let itemEnd: number | undefined;
    if (inventory?.chunked) {
      firstItem = inventory.items[0]?.chunk.startOffset;
      const index = inventory.items.findIndex(
        (item, i) =>
          item.chunk.startOffset <= offset && offset < inventory!.itemEnd(i) + (i === inventory!.items.length - 1 ? 1 : 0),
      );
      if (index >= 0) {
        itemStart = inventory.items[index].chunk.startOffset;
        itemEnd = inventory.itemEnd(index);
      }
    } else if (!inventory) {
      const layout = scanNodesLayout(text.slice(span.start, span.end));
      if (layout) {
        const starts = layout.itemStarts.map((s) => s + span!.start);
        firstItem = starts[0];
        const index = starts.findIndex((s, i) => s <= offset && offset < (i + 1 < starts.length ? starts[i + 1] : span!.end + 1));
        if (index >= 0) {
          itemStart = starts[index];
          itemEnd = index + 1 < starts.length ? starts[index + 1] : span.end;
        }
      }
    }
    if (itemStart !== undefined && itemEnd !== undefined) {
      const parsed = parseYaml(text.slice(itemStart, itemEnd));
      const contents = parsed.doc.contents;
      const itemNode = isSeq(contents) ? resolveAlias((contents as YAMLSeq).items[0], parsed.doc) : undefined;
      const at = nodeAt(itemNode, offset - itemStart);
      const chunk = { startOffset: itemStart, startLine: lineOf(itemStart) };
      return {
        kind,
        region: 'item',
        base: itemStart,
        baseLine: chunk.startLine,
        parsed,
        at,
        itemNode,
        node: readNode(itemNode, parsed.lines, parsed.doc, chunk, []),
        inventory,
      };
    }
  }

  // The head of an inventory split by node (parsed without its items), an inventory parsed
  // whole, a Service or a config. A large document that cannot be split is not parsed again
  // for a hover: that would block the server for as long as its analysis takes.
  const end = firstItem !== undefined && offset < firstItem ? firstItem : span.end;
  if (end - span.start >= LARGE_DOCUMENT_CHARS) return undefined;
  const parsed = parseYaml(text.slice(span.start, end));
  const root = parsed.doc.contents;
  const at = nodeAt(root, offset - span.start);
  const located: LocatedYaml = {
    kind,
    region: 'document',
    base: span.start,
    baseLine: lineOf(span.start),
    parsed,
    at,
    inventory,
  };
  if (kind === 'inventory' && at && at.path[0] === 'spec' && at.path[1] === 'nodes' && typeof at.path[2] === 'number') {
    const nodes = resolveAlias(findPair(resolveAlias(findPair(root, 'spec')?.value, parsed.doc), 'nodes')?.value, parsed.doc);
    const itemNode = isSeq(nodes) ? resolveAlias((nodes as YAMLSeq).items[at.path[2]], parsed.doc) : undefined;
    const chunk = { startOffset: span.start, startLine: located.baseLine };
    return {
      ...located,
      region: 'item',
      at: { ...at, path: at.path.slice(3) },
      itemNode,
      node: readNode(itemNode, parsed.lines, parsed.doc, chunk, []),
    };
  }
  return located;
}
