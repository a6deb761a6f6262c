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
  let state = 'top' as 'top' | 'spec' | 'afterNodes' | 'items';
  let specIndent = -1;
  let itemIndent = -1;
  const itemStarts: number[] = [];
  const complete = forEachContentLine(text, (lineStart, indent, line) => {
    switch (state) {
      case 'top':
        if (indent === 0 && SPEC_LINE.test(line)) state = 'spec';
        else if (indent === 0 && line.startsWith('spec:')) return false;
        return true;
      case 'spec':
        if (indent === 0) return false; // spec ended without a block node list
        if (specIndent < 0) specIndent = indent;
        if (indent === specIndent && NODES_LINE.test(line)) state = 'afterNodes';
        else if (indent === specIndent && line.startsWith('nodes:')) return false;
        return true;
      case 'afterNodes':
        if (indent < specIndent || !isItemStart(line)) return false;
        itemIndent = indent;
        itemStarts.push(lineStart);
        state = 'items';
        return true;
      case 'items':
        if (indent > itemIndent) return true;
        if (indent < itemIndent || !isItemStart(line)) return false; // content after the list
        itemStarts.push(lineStart);
        return true;
    }
  });
  return complete && state === 'items' ? { itemIndent, itemStarts } : undefined;
}

/**
 * Item starts within `text`, which must begin with an item at `itemIndent` and contain
 * nothing outside the list. Used to re-chunk the few items an edit touched.
 */
export function scanItems(text: string, itemIndent: number): number[] | undefined {
  if (ALIAS.test(text)) return undefined;
  const starts: number[] = [];
  const complete = forEachContentLine(text, (lineStart, indent, line) => {
    if (indent > itemIndent) return starts.length > 0; // text before the first item would belong to the previous one
    if (indent < itemIndent || !isItemStart(line)) return false;
    starts.push(lineStart);
    return true;
  });
  return complete ? starts : undefined;
}

/**
 * Calls `visit` with each line that is neither blank nor a comment: its start offset, its
 * indentation and its text from the indentation on. Stops, returning false, when `visit` does.
 */
function forEachContentLine(text: string, visit: (lineStart: number, indent: number, line: string) => boolean): boolean {
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const indent = indentOf(text, lineStart, lineEnd);
    if (indent >= 0 && !visit(lineStart, indent, trimEnd(text.slice(lineStart + indent, lineEnd)))) return false;
    lineStart = newline < 0 ? text.length : newline + 1;
  }
  return true;
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
