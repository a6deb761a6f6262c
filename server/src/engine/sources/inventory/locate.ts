import { isSeq, type YAMLSeq } from 'yaml';
import type { Chunk } from '../../core/located';
import { findPair, resolveAlias } from '../../core/yaml/ast';
import { nodeAt } from '../../core/yaml/nodeAt';
import { LARGE_DOCUMENT_CHARS } from '../../core/yaml/parse';
import type { DocumentKind, DocumentSpan, LocatedYaml } from '../kind';
import { InventoryDocument } from './inventoryDocument';
import { scanNodesLayout } from './layout';
import { readNode } from './read';

/**
 * The YAML around an offset of an inventory: the node item it falls in, parsed on its own
 * (as the analysis parses it), or the head. A large document that cannot be split is not
 * parsed again: that would block the server for as long as its analysis takes.
 */
export function locateInInventory(kind: DocumentKind, span: DocumentSpan, offset: number): LocatedYaml | undefined {
  const { text, start, end, lineOf } = span;
  const inventory = span.document instanceof InventoryDocument ? span.document : undefined;
  /** Where the node items begin, when the document is split by node: the head ends there. */
  let firstItem: number | undefined;
  let itemStart: number | undefined;
  let itemEnd: number | undefined;
  if (inventory?.chunked) {
    firstItem = inventory.items[0]?.chunk.startOffset;
    const last = inventory.items.length - 1;
    const index = inventory.items.findIndex(
      (item, i) => item.chunk.startOffset <= offset && offset < inventory.itemEnd(i) + (i === last ? 1 : 0),
    );
    if (index >= 0) {
      itemStart = inventory.items[index].chunk.startOffset;
      itemEnd = inventory.itemEnd(index);
    }
  } else if (!inventory) {
    const layout = scanNodesLayout(text.slice(start, end));
    if (layout) {
      const starts = layout.itemStarts.map((s) => s + start);
      firstItem = starts[0];
      const index = starts.findIndex((s, i) => s <= offset && offset < (i + 1 < starts.length ? starts[i + 1] : end + 1));
      if (index >= 0) {
        itemStart = starts[index];
        itemEnd = index + 1 < starts.length ? starts[index + 1] : end;
      }
    }
  }
  if (itemStart !== undefined && itemEnd !== undefined) {
    const parsed = span.parse(itemStart, itemEnd);
    const contents = parsed.doc.contents;
    const itemNode = isSeq(contents) ? resolveAlias((contents as YAMLSeq).items[0], parsed.doc) : undefined;
    const chunk: Chunk = { startOffset: itemStart, startLine: lineOf(itemStart) };
    return {
      kind,
      region: 'item',
      base: itemStart,
      baseLine: chunk.startLine,
      parsed,
      at: nodeAt(itemNode, offset - itemStart),
      itemNode,
      node: readNode(itemNode, parsed.lines, parsed.doc, { uri: '', chunk }, false),
      document: span.document,
    };
  }

  const headEnd = firstItem !== undefined && offset < firstItem ? firstItem : end;
  if (headEnd - start >= LARGE_DOCUMENT_CHARS) return undefined;
  const parsed = span.parse(start, headEnd);
  const root = parsed.doc.contents;
  const at = nodeAt(root, offset - start);
  const located: LocatedYaml = {
    kind,
    region: 'document',
    base: start,
    baseLine: lineOf(start),
    parsed,
    at,
    document: span.document,
  };
  if (at && at.path[0] === 'spec' && at.path[1] === 'nodes' && typeof at.path[2] === 'number') {
    const nodes = resolveAlias(findPair(resolveAlias(findPair(root, 'spec')?.value, parsed.doc), 'nodes')?.value, parsed.doc);
    const itemNode = isSeq(nodes) ? resolveAlias((nodes as YAMLSeq).items[at.path[2]], parsed.doc) : undefined;
    const chunk: Chunk = { startOffset: start, startLine: located.baseLine };
    return {
      ...located,
      region: 'item',
      at: { ...at, path: at.path.slice(3) },
      itemNode,
      node: readNode(itemNode, parsed.lines, parsed.doc, { uri: '', chunk }, false),
    };
  }
  return located;
}
