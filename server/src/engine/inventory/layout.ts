/**
 * Finds the items of `spec.nodes` by indentation alone, so that a large inventory can be
 * parsed node by node and a keystroke re-parses only the node it touched. Anything the
 * scan is not sure about (flow style, aliases, keys after the node list, tabs) returns
 * undefined and the document is parsed whole instead: the scan may decline, never guess.
 */
export interface NodesLayout {
  /** Column of the items' "-". */
  itemIndent: number;
  /** Offsets (in the scanned text) of the lines that start each item. */
  itemStarts: number[];
}

const SPEC_LINE = /^spec:[ ]*(?:#.*)?$/;
const NODES_LINE = /^nodes:[ ]*(?:#.*)?$/;
/** An alias anywhere means a node may depend on text outside its own item. */
const ALIAS = /(?:^|[\s,[{])\*[^\s,[\]{}]/;

export function scanNodesLayout(text: string): NodesLayout | undefined {
  if (ALIAS.test(text)) return undefined;
  let state: 'top' | 'spec' | 'afterNodes' | 'items' = 'top';
  let specIndent = -1;
  let itemIndent = -1;
  const itemStarts: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    const indent = indentOf(text, lineStart, lineEnd);
    if (indent < 0) {
      lineStart = next;
      continue; // blank or comment
    }
    const line = trimEnd(text.slice(lineStart + indent, lineEnd));
    switch (state) {
      case 'top':
        if (indent === 0 && SPEC_LINE.test(line)) state = 'spec';
        else if (indent === 0 && line.startsWith('spec:')) return undefined;
        break;
      case 'spec':
        if (indent === 0) return undefined; // spec ended without a block node list
        if (specIndent < 0) specIndent = indent;
        if (indent === specIndent && NODES_LINE.test(line)) state = 'afterNodes';
        else if (indent === specIndent && line.startsWith('nodes:')) return undefined;
        break;
      case 'afterNodes':
        if (indent < specIndent || !isItemStart(line)) return undefined;
        itemIndent = indent;
        itemStarts.push(lineStart);
        state = 'items';
        break;
      case 'items':
        if (indent > itemIndent) break;
        if (indent < itemIndent || !isItemStart(line)) return undefined; // content after the list
        itemStarts.push(lineStart);
        break;
    }
    lineStart = next;
  }
  return state === 'items' ? { itemIndent, itemStarts } : undefined;
}

/**
 * Item starts within `text`, which must begin with an item at `itemIndent` and contain
 * nothing outside the list. Used to re-chunk the few items an edit touched.
 */
export function scanItems(text: string, itemIndent: number): number[] | undefined {
  if (ALIAS.test(text)) return undefined;
  const starts: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    const indent = indentOf(text, lineStart, lineEnd);
    if (indent >= 0 && indent <= itemIndent) {
      if (indent < itemIndent || !isItemStart(trimEnd(text.slice(lineStart + indent, lineEnd)))) return undefined;
      starts.push(lineStart);
    } else if (indent > itemIndent && starts.length === 0) {
      return undefined; // text before the first item would belong to the previous one
    }
    lineStart = next;
  }
  return starts;
}

function isItemStart(line: string): boolean {
  return line === '-' || line.startsWith('- ');
}

/** Leading spaces of a line, or -1 for a blank or comment-only line. A tab is content. */
function indentOf(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  if (i === end) return -1;
  const ch = text.charCodeAt(i);
  if (ch === 35 /* # */) return -1;
  if (ch === 13 && i + 1 === end) return -1;
  return i - start;
}

function trimEnd(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1).trimEnd() : s.trimEnd();
}
