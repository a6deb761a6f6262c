import { isSeq, type Node, type YAMLSeq } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Chunk, Origin } from '../../core/located';
import type { LineIndex } from '../../core/text/lineIndex';
import { findPair, resolveAlias, type YamlDoc } from '../../core/yaml/ast';
import { parseYaml, syntaxFindings } from '../../core/yaml/parse';
import type { NodeFacts } from '../../model/cluster';
import { schemaFindings } from '../../schema/findings';
import { validatorFor } from '../../schema/registry';
import type { InventoryHead } from './model';
import { readHead, readNode } from './read';

/** Guards toJS against alias bombs: a billion laughs must fail fast, not eat the heap. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedNode {
  node: NodeFacts;
  /** yaml-syntax and schema findings of the item, relative to its chunk. */
  parseFindings: Finding[];
}

/** The origin of items parsed without one (on a parser thread): the document replaces it. */
function detachedOrigin(chunk: Chunk): Origin {
  return { uri: '', chunk };
}

/**
 * Parses one node item on its own. The text is a whole sequence item ("- hostname: ..."
 * with its indentation), so positions inside are relative to the item's first line and
 * its columns are the file's columns. Returns undefined when the text is not exactly one
 * sequence item, which means the layout scan was wrong and the caller must parse whole.
 */
export function parseNodeItem(text: string, chunk: Chunk): ParsedNode | undefined {
  const parsed = parseYaml(text);
  const syntax = syntaxFindings(parsed);
  const contents = parsed.doc.contents;
  const item = isSeq(contents) && (contents as YAMLSeq).items.length === 1 ? (contents as YAMLSeq).items[0] : undefined;
  if (item === undefined && syntax.length === 0) return undefined;
  return nodeFrom(item ?? null, parsed.lines, parsed.doc, chunk, syntax);
}

function nodeFrom(item: unknown, lines: LineIndex, doc: YamlDoc, chunk: Chunk, syntax: Finding[]): ParsedNode {
  const broken = syntax.some((f) => f.severity === 'error');
  const findings = [...syntax];
  if (!broken) for (const f of validateNode(item, lines, doc)) findings.push(f);
  return { node: readNode(item, lines, doc, detachedOrigin(chunk), broken), parseFindings: findings };
}

function validateNode(item: unknown, lines: LineIndex, doc: YamlDoc): Finding[] {
  const value = toJS(item, doc);
  if (!value.ok) return [value.finding(lines)];
  const validate = validatorFor('inventory', 'node');
  validate(value.js);
  return schemaFindings(validate.errors, item, lines, doc, { rootName: 'this node' });
}

/**
 * The inventory without its node items (chunked mode: the text before the first item;
 * whole mode: the whole document). `hasItems` tells that spec.nodes is a non-empty list
 * parsed elsewhere, so the schema sees an empty list in its place.
 */
function headFrom(
  root: unknown,
  lines: LineIndex,
  doc: YamlDoc,
  chunk: Chunk,
  syntax: Finding[],
  itemsElsewhere: boolean,
): InventoryHead {
  const findings = [...syntax];
  if (!syntax.some((f) => f.severity === 'error')) {
    const value = toJS(root, doc);
    if (!value.ok) findings.push(value.finding(lines));
    else {
      const spec = value.js?.spec;
      if (spec && typeof spec === 'object' && (itemsElsewhere || Array.isArray(spec.nodes))) spec.nodes = [];
      const validate = validatorFor('inventory');
      validate(value.js);
      for (const f of schemaFindings(validate.errors, root, lines, doc)) findings.push(f);
    }
  }
  return readHead(root, lines, doc, chunk, findings);
}

export function parseHead(text: string, chunk: Chunk): InventoryHead {
  const parsed = parseYaml(text);
  return headFrom(parsed.doc.contents, parsed.lines, parsed.doc, chunk, syntaxFindings(parsed), true);
}

/**
 * An inventory of a version Cluster Preflight does not read: only its head (for the
 * apiVersion, which unknown-api-version reports) and the parser's errors; no nodes, no schema.
 */
export function parseUnknownVersion(text: string, chunk: Chunk): ParsedWhole {
  const parsed = parseYaml(text);
  return { head: readHead(parsed.doc.contents, parsed.lines, parsed.doc, chunk, syntaxFindings(parsed)), nodes: [] };
}

export interface ParsedWhole {
  head: InventoryHead;
  nodes: ParsedNode[];
}

/** Parses an inventory document in one piece (small files, or layouts the scan declines). */
export function parseWholeInventory(text: string, chunk: Chunk): ParsedWhole {
  const parsed = parseYaml(text);
  const { doc, lines } = parsed;
  const root = doc.contents;
  const seq = resolveAlias(findPair(resolveAlias(findPair(root, 'spec')?.value, doc), 'nodes')?.value, doc);
  const items = isSeq(seq) ? (seq as YAMLSeq).items : [];

  // Syntax errors belong to the node item they fall in, so that one broken node does not
  // silence the others; errors outside every item belong to the head.
  const itemSpans = items.map((i) => (i as Node | null)?.range);
  const headSyntax: Finding[] = [];
  const itemSyntax: Finding[][] = items.map(() => []);
  for (const finding of syntaxFindings(parsed)) {
    const offset = lines.offsetAt(finding.range.start);
    const index = itemSpans.findIndex((r) => r && r[0] <= offset && offset < r[2]);
    (index >= 0 ? itemSyntax[index] : headSyntax).push(finding);
  }
  return {
    head: headFrom(root, lines, doc, chunk, headSyntax, false),
    nodes: items.map((item, i) => nodeFrom(item, lines, doc, chunk, itemSyntax[i])),
  };
}

type ToJs = { ok: true; js: any } | { ok: false; finding: (lines: LineIndex) => Finding };

function toJS(node: unknown, doc: YamlDoc): ToJs {
  if (node === null || node === undefined) return { ok: true, js: null };
  try {
    return { ok: true, js: (node as Node).toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const span = (node as Node).range;
    return {
      ok: false,
      finding: (lines) => ({
        ruleId: 'yaml-syntax',
        severity: 'error',
        message: `${(error as Error).message}; aliases expand to too much data (an "alias bomb"), so this part was not checked.`,
        range: lines.rangeOf(span?.[0] ?? 0, span?.[0] ?? 0),
      }),
    };
  }
}
