/**
 * Style-keeping YAML writers for quick-fixes: they add to what a file already has in the way
 * the file already writes it (indentation, key order, which keys, quoting, flow or block,
 * line ends), as minimal text edits that leave every other byte alone.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from '../edits';
import type { Range } from '../text/positions';
import { findPair } from './ast';
import type { ParsedYaml } from './parse';

/**
 * A line ended by a CR alone (old Mac line ends). The writers below find lines by LF and write LF or
 * CRLF: in such text an edit would land at the wrong place or mix line ends, so none is offered.
 */
const LONE_CR = /\r(?!\n)/;

/** One field of an entry to add: its key and its value, written as YAML. */
export interface NewField {
  key: string;
  value: string | number;
  /** Written even when the file's entries never use this key (a protocol other than the default). */
  necessary?: boolean;
}

/** How to write entries: which keys exist (in the order to use when the file shows none), and which must always be written. */
export interface EntryShape {
  keys: readonly string[];
  required: readonly string[];
  /** A string value of this key is quoted the way the file quotes it (port ranges). */
  quoted?: string;
}

/** Where the mapping that gets the list lives: parsed text, and how its offsets map to the file. */
export interface EditTarget {
  parsed: ParsedYaml;
  toRange(start: number, end: number): Range;
}

interface EntryStyle {
  /** Keys in the order the existing entries write them. */
  keys: string[];
  quote: '' | '"' | "'";
  /** "{ port: 1 }" rather than "{port: 1}". */
  flowPadding: boolean;
}

/**
 * Edits that add `entries` to the list under `key` of `map`, in the style of the entries
 * already there, creating the list when the mapping has none. Returns undefined when the
 * mapping is written in a way these edits cannot extend safely.
 */
export function appendToList(
  target: EditTarget,
  map: unknown,
  key: string,
  entries: ReadonlyArray<readonly NewField[]>,
  shape: EntryShape,
): TextEdit[] | undefined {
  const node = map as YAMLMap<unknown, unknown>;
  if (!isMap(node) || entries.length === 0) return undefined;
  const text = target.parsed.lines.text;
  if (LONE_CR.test(text)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const column = (offset: number) => target.parsed.lines.positionAt(offset).character;
  const lineEnd = (offset: number) => {
    const newline = text.indexOf('\n', offset);
    const end = newline < 0 ? text.length : newline;
    return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
  };
  const insertAt = (offset: number, newText: string): TextEdit => ({ range: target.toRange(offset, offset), newText });

  const pair = findPair(node, key) as Pair<Node, Node | null> | undefined;
  const seq = pair?.value && isSeq(pair.value) ? (pair.value as YAMLSeq<unknown>) : undefined;
  const existing = (seq?.items ?? []).filter(isMap) as YAMLMap<unknown, unknown>[];
  const style = entryStyle(existing, text, shape);
  // With no entries to follow, a flow mapping's own spacing ("{ a: 1 }" or "{a: 1}") is the file's style.
  if (existing.length === 0 && node.flow && node.range) style.flowPadding = text[node.range[0] + 1] === ' ';
  const sequenceIndent = sequenceIndentOf(node, column);
  const block = (fields: readonly NewField[], itemColumn: number) => blockEntry(fields, itemColumn, style, shape, eol);
  const flow = (fields: readonly NewField[]) => flowEntry(fields, style, shape);

  /** `key: <value>` becomes `key:` with a block list under it; a comment after the value stays on its line. */
  const replaceValue = (keyNode: Node, value: Node) => {
    const colon = text.indexOf(':', keyNode.range![1]);
    const end = lineEnd(value.range![1]);
    const itemColumn = column(keyNode.range![0]) + sequenceIndent;
    const newText = text.slice(value.range![1], end) + entries.map((e) => eol + block(e, itemColumn)).join('');
    return [{ range: target.toRange(colon + 1, end), newText }];
  };

  if (seq && seq.flow) {
    if (seq.items.length === 0 && pair?.key?.range && seq.range && !node.flow) return replaceValue(pair.key, seq);
    if (!seq.range) return undefined;
    if (seq.items.length === 0) return [insertAt(seq.range[1] - 1, entries.map(flow).join(', '))];
    // After the last entry, not before "]": a trailing comma or a comment stays where it is.
    const lastEnd = endOf(seq.items[seq.items.length - 1]);
    return lastEnd === undefined ? undefined : [insertAt(lastEnd, `, ${entries.map(flow).join(', ')}`)];
  }
  // Inside a flow mapping (`- {hostname: a, roles: [worker]}`) only flow style is valid.
  if (node.flow) {
    const list = `[${entries.map(flow).join(', ')}]`;
    if (pair?.key?.range) {
      const value = pair.value;
      if (value && !(isScalar(value) || isAlias(value) || (isMap(value) && (value as YAMLMap).items.length === 0)))
        return undefined;
      if (value?.range && value.range[1] > value.range[0])
        return [{ range: target.toRange(value.range[0], value.range[1]), newText: list }];
      const colon = text.indexOf(':', pair.key.range[1]);
      return colon < 0 ? undefined : [insertAt(colon + 1, ` ${list}`)];
    }
    const lastEnd = node.items.length ? endOf(node.items[node.items.length - 1]) : undefined;
    if (lastEnd !== undefined) return [insertAt(lastEnd, `, ${key}: ${list}`)];
    return node.range && text[node.range[1] - 1] === '}' ? [insertAt(node.range[1] - 1, `${key}: ${list}`)] : undefined;
  }
  if (seq && seq.items.length > 0 && seq.range) {
    const first = seq.items[0] as Node;
    const last = seq.items[seq.items.length - 1] as Node;
    const itemColumn = column(seq.range[0]);
    const after = lineEnd(Math.max(last.range![0], last.range![1] - 1));
    if (isMap(first) && (first as YAMLMap).flow) {
      return [insertAt(after, entries.map((e) => `${eol}${' '.repeat(itemColumn)}- ${flow(e)}`).join(''))];
    }
    return [insertAt(after, entries.map((e) => eol + block(e, itemColumn)).join(''))];
  }
  if (pair?.key?.range) {
    const value = pair.value;
    if (value?.range && value.range[1] > value.range[0]) {
      // `key: null`, `key: ~`, `key: some text` or `key: {}` is replaced by the list; a mapping with entries is not ours to replace.
      if (isScalar(value) || isAlias(value) || (isMap(value) && (value as YAMLMap).items.length === 0))
        return replaceValue(pair.key, value);
      return undefined;
    }
    // `key:` with nothing after it.
    const itemColumn = column(pair.key.range[0]) + sequenceIndent;
    return [insertAt(lineEnd(pair.key.range[1]), entries.map((e) => eol + block(e, itemColumn)).join(''))];
  }
  // No such key: add it after the mapping's last key.
  const firstKey = node.items[0]?.key as Node | undefined;
  if (!firstKey?.range || !node.range) return undefined;
  const keyColumn = column(firstKey.range[0]);
  const itemColumn = keyColumn + sequenceIndent;
  const list = `${eol}${' '.repeat(keyColumn)}${key}:${entries.map((e) => eol + block(e, itemColumn)).join('')}`;
  return [insertAt(lineEnd(Math.max(node.range[0], node.range[1] - 1)), list)];
}

/** Where an item of a flow collection ends (a pair ends with its value, or its key when it has none). */
function endOf(item: unknown): number | undefined {
  if (isPair(item)) return ((item.value ?? item.key) as Node | null)?.range?.[1];
  return (item as Node | null)?.range?.[1];
}

/** How the existing entries are written: which of the shape's keys they use, in what order, how strings are quoted. */
function entryStyle(existing: readonly YAMLMap<unknown, unknown>[], text: string, shape: EntryShape): EntryStyle {
  if (existing.length === 0) return { keys: [...shape.keys], quote: '', flowPadding: true };
  const seen: string[] = [];
  for (const entry of existing) {
    for (const p of entry.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (shape.keys.includes(key) && !seen.includes(key)) seen.push(key);
    }
  }
  for (const key of [...shape.required].reverse()) if (!seen.includes(key)) seen.unshift(key);
  const quoted = shape.quoted
    ? existing.map((e) => findPair(e, shape.quoted!)?.value).find((v) => isScalar(v) && typeof v.value === 'string')
    : undefined;
  const quote = isScalar(quoted) ? (quoted.type === 'QUOTE_DOUBLE' ? '"' : quoted.type === 'QUOTE_SINGLE' ? "'" : '') : '';
  const flowEntry = existing.find((e) => e.flow && e.range);
  return { keys: seen, quote, flowPadding: flowEntry ? text[flowEntry.range![0] + 1] === ' ' : true };
}

/** A plain scalar with one of these would end early, or break the collection, inside a flow collection. */
const FLOW_INDICATOR = /[,[\]{}]/;

function fieldTexts(fields: readonly NewField[], style: EntryStyle, shape: EntryShape, inFlow = false): string[] {
  const texts: string[] = [];
  const extra = shape.keys.filter((key) => !style.keys.includes(key) && fields.some((f) => f.key === key && f.necessary));
  for (const key of [...style.keys, ...extra]) {
    const field = fields.find((f) => f.key === key);
    if (!field) continue;
    const value =
      typeof field.value === 'number'
        ? String(field.value)
        : key === shape.quoted && style.quote
          ? `${style.quote}${field.value}${style.quote}`
          : stringify(field.value).trimEnd();
    // Double-quoted YAML reads a JSON string as written.
    const flowSafe = inFlow && FLOW_INDICATOR.test(value) && !/^["']/.test(value) ? JSON.stringify(String(field.value)) : value;
    texts.push(`${key}: ${flowSafe}`);
  }
  return texts;
}

function blockEntry(fields: readonly NewField[], column: number, style: EntryStyle, shape: EntryShape, eol: string): string {
  const [first, ...rest] = fieldTexts(fields, style, shape);
  return [`${' '.repeat(column)}- ${first}`, ...rest.map((f) => `${' '.repeat(column + 2)}${f}`)].join(eol);
}

function flowEntry(fields: readonly NewField[], style: EntryStyle, shape: EntryShape): string {
  const pad = style.flowPadding ? ' ' : '';
  return `{${pad}${fieldTexts(fields, style, shape, true).join(', ')}${pad}}`;
}

/** How far this file indents a block list under its key (2, or 0 for "compact" lists). */
function sequenceIndentOf(node: YAMLMap<unknown, unknown>, column: (offset: number) => number): number {
  for (const p of node.items) {
    const value = p.value as Node | null;
    const key = p.key as Node | null;
    if (isSeq(value) && !(value as YAMLSeq).flow && value.range && key?.range && (value as YAMLSeq).items.length) {
      return Math.max(0, column(value.range[0]) - column(key.range[0]));
    }
  }
  return 2;
}

/** The text of a scalar value to write: numbers as they are, strings plain when YAML reads them back as the same string. */
function scalarText(value: string | number): string | undefined {
  if (typeof value === 'number') return String(value);
  const plain = stringify(value).trimEnd();
  return plain === value ? plain : undefined;
}

/**
 * Edits that make `key` of `map` hold `value`: the scalar there is rewritten in place (inside
 * its quotes when it is quoted), or, when the mapping has no such key, `key: value` is written
 * after the pair of `after`, on a line of its own in a block mapping and after a comma in a flow
 * one. Undefined when the current value is not a scalar one can rewrite safely (a block scalar,
 * an alias, a collection) or the value needs quoting.
 */
export function setScalar(
  target: EditTarget,
  map: unknown,
  key: string,
  value: string | number,
  after: string,
): TextEdit[] | undefined {
  if (!isMap(map)) return undefined;
  const text = target.parsed.lines.text;
  if (LONE_CR.test(text)) return undefined;
  const written = scalarText(value);
  const pair = findPair(map, key) as Pair<Node, Node | null> | undefined;
  if (pair) {
    const current = pair.value;
    if (!isScalar(current) || !current.range) return undefined;
    const [start, end] = current.range;
    if (current.type === 'QUOTE_DOUBLE' || current.type === 'QUOTE_SINGLE') {
      const inner = String(value);
      if (/["'\\\r\n]/.test(inner)) return undefined;
      return [{ range: target.toRange(start + 1, end - 1), newText: inner }];
    }
    if (current.type !== 'PLAIN' || written === undefined) return undefined;
    return [{ range: target.toRange(start, end), newText: written }];
  }
  const anchor = findPair(map, after) as Pair<Node, Node | null> | undefined;
  const anchorValue = anchor?.value;
  const firstKey = (map as YAMLMap<unknown, unknown>).items[0]?.key as Node | undefined;
  if (!anchorValue?.range || !isScalar(anchorValue) || !firstKey?.range || written === undefined) return undefined;
  const valueEnd = anchorValue.range[1];
  if ((map as YAMLMap).flow) return [{ range: target.toRange(valueEnd, valueEnd), newText: `, ${key}: ${written}` }];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const newline = text.indexOf('\n', valueEnd);
  let lineEnd = newline < 0 ? text.length : newline;
  if (lineEnd > 0 && text[lineEnd - 1] === '\r') lineEnd--;
  const column = target.parsed.lines.positionAt(firstKey.range[0]).character;
  return [{ range: target.toRange(lineEnd, lineEnd), newText: `${eol}${' '.repeat(column)}${key}: ${written}` }];
}

/**
 * An edit that removes item `index` of a block list with other items: its lines, from its
 * `- ` to the end of its last line. Undefined when the item shares a line with anything else,
 * carries a comment (it would be lost), has an anchor others may use, or is the list's only item
 * (an empty `key:` would mean something else).
 */
export function removeListItem(target: EditTarget, seq: unknown, index: number): TextEdit[] | undefined {
  if (!isSeq(seq) || (seq as YAMLSeq).flow) return undefined;
  const items = (seq as YAMLSeq<unknown>).items;
  const item = items[index] as Node | undefined;
  if (items.length < 2 || !item?.range || isAlias(item) || item.anchor) return undefined;
  const text = target.parsed.lines.text;
  if (LONE_CR.test(text)) return undefined;
  // Back from the item to its dash: only blanks between them, only indentation before the dash.
  let dash = item.range[0] - 1;
  while (dash >= 0 && (text[dash] === ' ' || text[dash] === '\t')) dash--;
  if (dash < 0 || text[dash] !== '-') return undefined;
  const lineStart = text.lastIndexOf('\n', dash - 1) + 1;
  if (text.slice(lineStart, dash).trim() !== '') return undefined;
  // Forward to the end of the item's last line: only blanks or a comment after it.
  const last = Math.max(item.range[0], item.range[1] - 1);
  const newline = text.indexOf('\n', last);
  const contentEnd = Math.max(item.range[0], item.range[1]);
  const lineEnd = newline < 0 ? text.length : newline;
  if (text.slice(contentEnd, lineEnd).trim() !== '' || text.slice(dash, lineEnd).includes('#')) return undefined;
  // The item's newline goes with it; the last line of a text without one takes the newline before it.
  if (newline >= 0) return [{ range: target.toRange(lineStart, newline + 1), newText: '' }];
  if (lineStart === 0) return undefined;
  const before = lineStart >= 2 && text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  return [{ range: target.toRange(before, text.length), newText: '' }];
}
