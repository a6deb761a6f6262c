/**
 * Migrates kubeadm.k8s.io/v1beta3 documents to v1beta4 the way `kubeadm config migrate` would,
 * but as small text edits: only the apiVersion values, the extraArgs/kubeletExtraArgs maps
 * (which become name/value lists) and the moved timeouts change; every other byte of the file,
 * comments, byte-order mark and line ends included, stays as it is. A document that cannot be
 * migrated faithfully (arguments that are not plain scalars, aliases, tags) is refused: no edit
 * is better than a wrong one.
 */
import { isAlias, isMap, isScalar, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from '../../core/edits';
import type { Position } from '../../core/text/positions';
import { parseYaml, type ParsedYaml } from '../../core/yaml/parse';
import { splitDocuments } from '../../core/yaml/split';
import type { ConfigDocument } from './configDocument';

export const MIGRATE_TITLE = 'Migrate this file to kubeadm.k8s.io/v1beta4';

/** Where v1beta3 writes flags as maps that v1beta4 writes as name/value lists. */
const ARG_PATHS: Record<string, string[][]> = {
  ClusterConfiguration: [
    ['apiServer', 'extraArgs'],
    ['controllerManager', 'extraArgs'],
    ['scheduler', 'extraArgs'],
    ['etcd', 'local', 'extraArgs'],
  ],
  InitConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
  JoinConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
};

/** An edit in offsets of the whole file. */
interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** A key/value line to add under `timeouts` of an Init or Join configuration: the value as written, and its trailing comment. */
interface MovedTimeout {
  name: string;
  text: string;
}

class CannotMigrate extends Error {}

interface Target {
  doc: ConfigDocument;
  yaml: Document.Parsed;
  /** The document's text and its offset in the file. */
  text: string;
  base: number;
  kind: string;
}

/** The edits that migrate every v1beta3 document of a file, or undefined when there are none or one cannot be migrated faithfully. */
export function migrationEdits(
  fileText: string,
  documents: readonly ConfigDocument[],
  positionAt: (offset: number) => Position,
): TextEdit[] | undefined {
  const deprecated = documents.filter((d) => d.api?.status === 'deprecated');
  if (deprecated.length === 0) return undefined;
  const eol = fileText.includes('\r\n') ? '\r\n' : '\n';
  const targets: Target[] = [];
  for (const doc of deprecated) {
    const text = fileText.slice(doc.chunk.startOffset, doc.end);
    // The guarded reader (nesting limit, linear duplicate keys), as for every document: never a stack overflow here.
    const parsed = parseYaml(text);
    if (!parsesCleanly(parsed)) return undefined;
    const yaml = parsed.doc;
    targets.push({ doc, yaml, text, base: doc.chunk.startOffset, kind: String(yaml.get('kind')) });
  }
  try {
    const edits: OffsetEdit[] = [];
    const controlPlaneTimeouts: MovedTimeout[] = [];
    const moved = new Map<Target, MovedTimeout[]>();
    for (const target of targets) {
      edits.push(apiVersionEdit(target));
      for (const path of ARG_PATHS[target.kind] ?? []) edits.push(...argumentEdits(target, path, eol));
      if (target.kind === 'ClusterConfiguration') {
        const timeout = removePair(target, ['apiServer'], 'timeoutForControlPlane', edits);
        if (timeout) controlPlaneTimeouts.push({ name: 'controlPlaneComponentHealthCheck', text: timeout.text });
      }
      if (target.kind === 'JoinConfiguration') {
        const timeout = removePair(target, ['discovery'], 'timeout', edits);
        if (timeout) moved.set(target, [{ name: 'discovery', text: timeout.text }]);
      }
    }
    const receivers = targets.filter((t) => t.kind === 'InitConfiguration' || t.kind === 'JoinConfiguration');
    if (controlPlaneTimeouts.length && receivers.length === 0) {
      // Nowhere to move it in this file: say where it belongs rather than lose it silently.
      const removal = edits.find((e) => e.newText === '' && fileText.slice(e.start, e.end).includes('timeoutForControlPlane'))!;
      const indent = /^ */.exec(fileText.slice(removal.start, removal.end))![0];
      removal.newText = `${indent}# timeoutForControlPlane ${controlPlaneTimeouts[0].text.trim()} moved: set timeouts.controlPlaneComponentHealthCheck in your InitConfiguration/JoinConfiguration${eol}`;
    }
    const placed: Array<{ target: Target; names: string[] }> = [];
    for (const receiver of receivers) {
      const entries = [...(moved.get(receiver) ?? [])];
      if (controlPlaneTimeouts.length && !receiver.yaml.hasIn(['timeouts', 'controlPlaneComponentHealthCheck']))
        entries.push(controlPlaneTimeouts[0]);
      if (entries.length) {
        edits.push(timeoutsEdit(receiver, entries, eol));
        placed.push({ target: receiver, names: entries.map((e) => e.name) });
      }
    }
    edits.sort((a, b) => a.start - b.start);
    if (!keepsStructure(fileText, edits, placed)) return undefined;
    return edits.map((e) => ({ range: { start: positionAt(e.start), end: positionAt(e.end) }, newText: e.newText }));
  } catch (error) {
    if (error instanceof CannotMigrate) return undefined;
    throw error;
  }
}

/**
 * The safety net: the migrated file parses cleanly, has as many documents as before, and every
 * moved timeout is in the document it was moved to. Otherwise the migration is not offered.
 */
function keepsStructure(
  fileText: string,
  edits: readonly OffsetEdit[],
  placed: ReadonlyArray<{ target: Target; names: string[] }>,
): boolean {
  let migrated = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) return false; // overlapping edits
    migrated += fileText.slice(at, edit.start) + edit.newText;
    at = edit.end;
  }
  migrated += fileText.slice(at);
  // Documents as the engine splits them, each through the guarded reader.
  const before = splitDocuments(fileText);
  const after = splitDocuments(migrated).map((span) => parseYaml(migrated.slice(span.start, span.end)));
  if (before.length !== after.length || !after.every(parsesCleanly)) return false;
  for (const { target, names } of placed) {
    const index = before.findIndex((span) => span.start === target.base);
    if (index < 0) return false;
    const timeouts = after[index].doc.get('timeouts', true);
    if (!isMap(timeouts) || names.some((name) => !timeouts.has(name))) return false;
    if (after[index].doc.get('kind') !== target.kind) return false;
  }
  return true;
}

/** Parsed without an error, and not refused for nesting too deep. */
function parsesCleanly(parsed: ParsedYaml): boolean {
  return parsed.tooDeepAt === undefined && parsed.doc.errors.length === 0;
}

function apiVersionEdit(target: Target): OffsetEdit {
  const node = target.yaml.get('apiVersion', true) as Scalar | undefined;
  if (!isScalar(node) || !node.range) throw new CannotMigrate();
  const source = target.text.slice(node.range[0], node.range[1]);
  if (!source.includes('v1beta3')) throw new CannotMigrate();
  return { start: target.base + node.range[0], end: target.base + node.range[1], newText: source.replace('v1beta3', 'v1beta4') };
}

/** A plain scalar written on one line, with no anchor or tag: what can be rewritten as text. */
function simpleScalar(node: unknown, text: string): node is Scalar & { range: [number, number, number] } {
  if (!isScalar(node) || !node.range || node.anchor || node.tag) return false;
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') return false;
  const value = node.value;
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return false;
  return !text.slice(node.range[0], node.range[1]).includes('\n');
}

/** One extraArgs map as a name/value list: a block map line by line, a flow map as a flow list. */
function argumentEdits(target: Target, path: string[], eol: string): OffsetEdit[] {
  const node = target.yaml.getIn(path, true) as Node | undefined;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  if (isAlias(node) || (node as { anchor?: string }).anchor) throw new CannotMigrate();
  if (!isMap(node)) return []; // already a list (or something the schema will report)
  const map = node as YAMLMap<unknown, unknown>;
  const text = target.text;
  const quoted = (value: Scalar['value']) => JSON.stringify(value === null ? '' : String(value));
  for (const pair of map.items) {
    if (!simpleScalar(pair.key, text) || (pair.value !== null && !simpleScalar(pair.value, text))) throw new CannotMigrate();
  }
  const pairs = map.items as Array<
    Pair<Scalar & { range: [number, number, number] }, (Scalar & { range: [number, number, number] }) | null>
  >;
  if (map.flow) {
    if (!map.range) throw new CannotMigrate();
    const source = text.slice(map.range[0], map.range[1]);
    if (source.includes('#')) throw new CannotMigrate();
    const items = pairs.map(
      (p) => `{ name: ${text.slice(p.key.range[0], p.key.range[1])}, value: ${quoted(p.value?.value ?? null)} }`,
    );
    return [{ start: target.base + map.range[0], end: target.base + map.range[1], newText: `[${items.join(', ')}]` }];
  }
  const edits: OffsetEdit[] = [];
  for (const pair of pairs) {
    const keyStart = pair.key.range[0];
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const indent = text.slice(lineStart, keyStart);
    if (!/^ *$/.test(indent)) throw new CannotMigrate();
    const valueEnd = pair.value ? pair.value.range[1] : pair.key.range[1];
    const lineEnd = endOfLine(text, keyStart);
    if (valueEnd > lineEnd) throw new CannotMigrate();
    const trailing = pair.value ? text.slice(valueEnd, lineEnd) : text.slice(text.indexOf(':', pair.key.range[1]) + 1, lineEnd);
    const lineEol = lineEnding(text, lineEnd) ?? eol;
    const name = text.slice(pair.key.range[0], pair.key.range[1]);
    edits.push({
      start: target.base + keyStart,
      end: target.base + lineEnd,
      newText: `- name: ${name}${lineEol}${indent}  value: ${quoted(pair.value?.value ?? null)}${trailing.trimEnd() ? trailing : ''}`,
    });
  }
  return edits;
}

/**
 * Removes `key` from the mapping at `path` (its whole lines; the mapping too when nothing else
 * is left in it) and returns its value as written, with its trailing comment.
 */
function removePair(target: Target, path: string[], key: string, edits: OffsetEdit[]): { text: string } | undefined {
  const parent = target.yaml.getIn(path, true) as YAMLMap<unknown, unknown> | undefined;
  if (!isMap(parent) || parent.flow) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair) return undefined;
  const text = target.text;
  if (!simpleScalar(pair.key, text) || !simpleScalar(pair.value, text)) throw new CannotMigrate();
  const value = pair.value as Scalar & { range: [number, number, number] };
  const lineEnd = endOfLine(text, value.range[0]);
  const moved = text.slice(value.range[0], lineEnd);
  let start = text.lastIndexOf('\n', (pair.key as Scalar & { range: number[] }).range[0] - 1) + 1;
  if (parent.items.length === 1) {
    // The mapping would be left empty (null, which kubeadm rejects): remove it with its key.
    const owner = target.yaml.getIn(path.slice(0, -1), true) as YAMLMap<unknown, unknown> | undefined;
    const ownerPair = (path.length === 1 ? (target.yaml.contents as YAMLMap<unknown, unknown>) : owner)?.items.find(
      (p) => isScalar(p.key) && p.key.value === path[path.length - 1],
    );
    const ownerKey = ownerPair?.key as (Scalar & { range: number[] }) | undefined;
    if (ownerKey?.range) start = text.lastIndexOf('\n', ownerKey.range[0] - 1) + 1;
  }
  const end = lineEnd + (lineEnding(text, lineEnd)?.length ?? 0);
  edits.push({ start: target.base + start, end: target.base + end, newText: '' });
  return { text: moved };
}

/** Adds entries to the document's `timeouts` mapping, creating it at the document's end. */
function timeoutsEdit(target: Target, entries: MovedTimeout[], eol: string): OffsetEdit {
  const text = target.text;
  const existing = target.yaml.get('timeouts', true) as YAMLMap<unknown, unknown> | undefined;
  if (isMap(existing) && !existing.flow && existing.items.length) {
    const first = existing.items[0].key as Scalar & { range: number[] };
    const column = first.range[0] - (text.lastIndexOf('\n', first.range[0] - 1) + 1);
    const last = existing.items[existing.items.length - 1];
    const lastEnd = endOfLine(text, ((last.value ?? last.key) as Scalar & { range: number[] }).range[1] - 1);
    const lines = entries.map((e) => `${eol}${' '.repeat(column)}${e.name}: ${e.text}`).join('');
    return { start: target.base + lastEnd, end: target.base + lastEnd, newText: lines };
  }
  if (existing !== undefined) throw new CannotMigrate();
  // After the root mapping's last line, at the mapping's own column: an indented mapping stays one
  // mapping, and a `...` end marker (or comments after the mapping) stays after the new key.
  const root = target.yaml.contents;
  if (!isMap(root) || root.flow || !root.items.length) throw new CannotMigrate();
  const firstKey = root.items[0].key as Scalar & { range?: number[] };
  if (!isScalar(firstKey) || !firstKey.range) throw new CannotMigrate();
  const column = firstKey.range[0] - (text.lastIndexOf('\n', firstKey.range[0] - 1) + 1);
  const last = root.items[root.items.length - 1];
  const lastNode = (last.value ?? last.key) as Node | null;
  if (!lastNode?.range) throw new CannotMigrate();
  const lastEnd = endOfLine(text, Math.max(lastNode.range[1] - 1, 0));
  const indent = indentUnit(text, column);
  const pad = ' '.repeat(column);
  const block = `${eol}${pad}timeouts:${entries.map((e) => `${eol}${pad}${' '.repeat(indent)}${e.name}: ${e.text}`).join('')}`;
  return { start: target.base + lastEnd, end: target.base + lastEnd, newText: block };
}

/** How far the document indents nested keys (2 unless it shows otherwise). */
function indentUnit(text: string, column: number): number {
  for (const nested of text.matchAll(/^( +)[^\s#-]/gm)) if (nested[1].length > column) return nested[1].length - column;
  return 2;
}

/** The offset of the end of the line holding `offset`, before its line break. */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/** The line break at `lineEnd`, or undefined at the end of the text. */
function lineEnding(text: string, lineEnd: number): string | undefined {
  if (text.startsWith('\r\n', lineEnd)) return '\r\n';
  if (text[lineEnd] === '\n') return '\n';
  return undefined;
}
