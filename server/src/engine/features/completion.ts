/**
 * Completion: finds where in the document's structure the cursor is (the key being typed, or
 * the value), even in half-typed YAML, and asks the document kind under the cursor. The place
 * is found by putting a marker where the word being typed is and parsing the piece of YAML
 * around it (the node item of a large inventory, or the document).
 */
import { RULE_SUMMARIES } from './ruleCatalogue';
import { isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Workspace } from '../analysis/workspace';
import type { Range } from '../core/text/positions';
import { documentData, parseYaml } from '../core/yaml/parse';
import type { CompletionCandidate, CompletionPlace } from '../schema/complete';
import { locatedRange } from '../sources/kind';
import { locate } from './locate';

export type { CompletionCandidate } from '../schema/complete';

const MARKER = 'CLUSTERPREFLIGHTCURSOR';

export interface CompletionResult {
  items: CompletionCandidate[];
  /** The word being typed: what an item replaces. */
  range: Range;
}

interface Found {
  path: Array<string | number>;
  position: 'key' | 'value';
  present: Set<string>;
}

/** Where the marker landed: a key of a mapping, or a value (a mapping's or a list item). */
function findMarker(node: unknown, path: Array<string | number>, depth = 0): Found | undefined {
  if (depth > 200) return undefined;
  if (isMap(node)) {
    const map = node as YAMLMap<unknown, unknown>;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (key === MARKER) {
        const present = new Set(
          map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k && k !== MARKER),
        );
        return { path, position: 'key', present };
      }
      if (isScalar(pair.value) && pair.value.value === MARKER)
        return { path: [...path, String(key)], position: 'value', present: new Set() };
      const inner = findMarker(pair.value, [...path, String(key)], depth + 1);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    const items = (node as YAMLSeq<unknown>).items;
    for (let i = 0; i < items.length; i++) {
      if (isScalar(items[i]) && (items[i] as { value: unknown }).value === MARKER)
        return { path: [...path, i], position: 'value', present: new Set() };
      const inner = findMarker(items[i], [...path, i], depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

export function completions(
  workspace: Workspace,
  uri: string,
  position: { line: number; character: number },
): CompletionResult | undefined {
  const file = workspace.file(uri);
  if (!file) return undefined;
  const offset = file.buffer.offsetAt(position);
  const located = locate(file, offset);
  if (!located?.kind.complete) return undefined;
  const text = located.parsed.lines.text;
  const at = offset - located.base;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const lineEnd = newline < 0 ? text.length : newline;
  const before = text.slice(lineStart, at);
  const after = text.slice(at, lineEnd);
  // In a comment: nothing to offer.
  if (/(^|\s)#/.test(before)) return undefined;
  const word = /[^\s:,[\]{}#"'`]*$/.exec(before)![0];
  const wordStart = at - word.length;
  const lead = before.slice(0, before.length - word.length);
  const variants: string[] = [];
  // A key: only indentation (or a list dash) before the word, nothing after it.
  if (/^\s*(- )*$/.test(lead) && after.trim() === '') variants.push(`${text.slice(0, wordStart)}${MARKER}: ${text.slice(at)}`);
  variants.push(`${text.slice(0, wordStart)}${MARKER}${text.slice(at)}`);

  const items: CompletionCandidate[] = [];
  const seen = new Set<string>();
  const view = { ...workspace.lastView(uri), rules: RULE_SUMMARIES };
  for (const variant of variants) {
    const parsed = parseYaml(variant);
    const found = findMarker(parsed.doc.contents, []);
    if (!found) continue;
    // A node item of an inventory is parsed on its own, as a list of one item under spec.nodes.
    const prefix: Array<string | number> = located.region === 'item' ? ['spec', 'nodes'] : [];
    const path = [...prefix, ...found.path];
    const read = documentData(parsed.doc.contents, parsed.doc, parsed.lines.rangeOf(0, 0));
    const data = read.ok ? read.value : undefined;
    const place: CompletionPlace = {
      path,
      position: found.position,
      present: found.present,
      column: wordStart - lineStart,
      dataAt: (p) => {
        let value: unknown = located.region === 'item' ? { spec: { nodes: data } } : data;
        for (const segment of p)
          value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment as string] : undefined;
        return value;
      },
    };
    for (const item of located.kind.complete(place, { uri, ...view, node: located.node, document: located.document })) {
      const key = `${item.kind}:${item.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return items.length ? { items, range: locatedRange(located, wordStart, at) } : undefined;
}
