/**
 * HCL (Terraform) syntax, read with tree-sitter's HCL grammar (web-tree-sitter, WASM). The
 * grammar keeps parsing past syntax errors and puts a position on every node; this module turns
 * its tree into a small plain syntax tree (blocks, attributes, expressions with their ranges) and
 * frees the WASM tree at once, so that nothing outside holds WASM memory.
 *
 * Loading WebAssembly is asynchronous, and the engine's API is not: the front ends call
 * `installHclParser` once at start-up (the language server before its first analysis, the CLI
 * before it reads files, the tests in a root hook). Until then a Terraform file is read as
 * "parser not loaded" and contributes nothing, which is never a false finding.
 */
import { Language, Parser, type Node as TsNode } from 'web-tree-sitter';
import { LineIndex } from '../../core/text/lineIndex';
import type { Range } from '../../core/text/positions';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads the runtime and the grammar once; later calls return the same promise. */
export function installHclParser(runtimeWasm: string | Uint8Array, grammarWasm: Uint8Array): Promise<void> {
  loading ??= (async () => {
    await Parser.init(typeof runtimeWasm === 'string' ? { locateFile: () => runtimeWasm } : { wasmBinary: runtimeWasm });
    const language = await Language.load(grammarWasm);
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

export function hclParserReady(): boolean {
  return parser !== undefined;
}

/** The loading under way, if any: an analysis that can wait (the language server's) waits for it. */
export function hclParserLoading(): Promise<void> | undefined {
  return parser ? undefined : loading?.catch(() => undefined);
}

/** Expressions nested deeper than this are unknown: hostile input cannot exhaust the stack. */
const MAX_DEPTH = 48;

export type HclExpr =
  | { t: 'literal'; value: string | number | boolean | null; range: Range }
  | { t: 'tuple'; items: HclExpr[]; range: Range }
  | { t: 'object'; items: Array<{ key: HclExpr; value: HclExpr }>; range: Range }
  /** A reference: `var.x`, `aws_security_group.k8s.id`, `count.index`, `local.ports[0]`. */
  | { t: 'reference'; root: string; steps: HclStep[]; range: Range }
  | { t: 'call'; name: string; args: HclExpr[]; expandLast: boolean; range: Range }
  /** A string with interpolations: literal parts and expressions. */
  | { t: 'template'; parts: Array<string | HclExpr>; range: Range }
  | { t: 'conditional'; condition: HclExpr; then: HclExpr; otherwise: HclExpr; range: Range }
  | { t: 'operation'; operator: string; operands: HclExpr[]; range: Range }
  /** Anything the evaluator does not read (for expressions, operators, heredocs with directives, syntax errors). */
  | { t: 'unsupported'; what: string; range: Range };

export type HclStep = { attr: string } | { index: HclExpr } | { splat: true };

export interface HclAttribute {
  name: string;
  nameRange: Range;
  value: HclExpr;
  /** The whole `name = value`. */
  range: Range;
}

export interface HclBlock {
  type: string;
  labels: Array<{ value: string; range: Range }>;
  body: HclBody;
  /** From the block type to the opening brace: where findings about the block as a whole go. */
  header: Range;
  range: Range;
  /** Offsets of the block's first character and of its closing brace (absent when the brace is missing). */
  start: number;
  closeBrace?: number;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclFile {
  body: HclBody;
  /** The parse recovered from syntax errors (what parsed is still read). */
  hasErrors: boolean;
}

export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** Parses a file; undefined while the parser is not loaded. */
export function parseHcl(text: string): HclFile | undefined {
  if (!parser) return undefined;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    const lines = new LineIndex(text);
    const reader = new Reader(text, lines);
    const root = tree.rootNode;
    const bodyNode = root.namedChildren.find((c) => c?.type === 'body');
    return { body: bodyNode ? reader.body(bodyNode, 0) : { attributes: [], blocks: [] }, hasErrors: root.hasError };
  } finally {
    tree.delete();
  }
}

class Reader {
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  range(node: TsNode): Range {
    return this.lines.rangeOf(node.startIndex, node.endIndex);
  }

  body(node: TsNode, depth: number): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    if (depth > MAX_DEPTH) return body;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'attribute') {
        const name = child.namedChildren.find((c) => c?.type === 'identifier');
        const expr = child.namedChildren.find((c) => c?.type === 'expression');
        if (!name) continue;
        body.attributes.push({
          name: name.text,
          nameRange: this.range(name),
          value: expr
            ? this.expr(expr, depth + 1)
            : { t: 'unsupported', what: 'a value with a syntax error', range: this.range(child) },
          range: this.range(child),
        });
      } else if (child.type === 'block') {
        const block = this.block(child, depth + 1);
        if (block) body.blocks.push(block);
      }
    }
    return body;
  }

  block(node: TsNode, depth: number): HclBlock | undefined {
    let type: string | undefined;
    const labels: HclBlock['labels'] = [];
    let bodyNode: TsNode | undefined;
    let open: TsNode | undefined;
    let close: TsNode | undefined;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'identifier') {
        if (type === undefined) type = child.text;
        else labels.push({ value: child.text, range: this.range(child) });
      } else if (child.type === 'string_lit') {
        const literal = child.namedChildren.find((c) => c?.type === 'template_literal');
        labels.push({ value: literal?.text ?? '', range: this.range(child) });
      } else if (child.type === 'block_start') open = child;
      else if (child.type === 'body') bodyNode = child;
      else if (child.type === 'block_end') close = child;
    }
    if (type === undefined) return undefined;
    const header = open ? this.lines.rangeOf(node.startIndex, open.endIndex) : this.range(node);
    return {
      type,
      labels,
      body: bodyNode ? this.body(bodyNode, depth) : { attributes: [], blocks: [] },
      header,
      range: this.range(node),
      start: node.startIndex,
      closeBrace: close && !close.isMissing && close.endIndex > close.startIndex ? close.startIndex : undefined,
    };
  }

  expr(node: TsNode, depth: number): HclExpr {
    const range = this.range(node);
    if (depth > MAX_DEPTH) return { t: 'unsupported', what: 'an expression nested too deeply', range };
    if (node.hasError) return { t: 'unsupported', what: 'an expression with a syntax error', range };
    switch (node.type) {
      case 'expression':
        return this.sequence(
          node.namedChildren.filter((c): c is TsNode => !!c && c.type !== 'comment'),
          depth,
          range,
        );
      case 'literal_value':
        return this.literal(node.namedChildren[0] ?? node, range);
      case 'collection_value': {
        const inner = node.namedChildren[0];
        if (!inner) return { t: 'unsupported', what: 'an empty collection', range };
        if (inner.type === 'tuple') {
          return {
            t: 'tuple',
            items: inner.namedChildren.filter((c): c is TsNode => c?.type === 'expression').map((c) => this.expr(c, depth + 1)),
            range,
          };
        }
        const items: Array<{ key: HclExpr; value: HclExpr }> = [];
        for (const elem of inner.namedChildren) {
          if (elem?.type !== 'object_elem') continue;
          const key = elem.childForFieldName('key');
          const value = elem.childForFieldName('val');
          if (!key || !value) continue;
          items.push({ key: this.objectKey(key, depth + 1), value: this.expr(value, depth + 1) });
        }
        return { t: 'object', items, range };
      }
      case 'function_call': {
        const name = node.namedChildren.find((c) => c?.type === 'identifier')?.text ?? '';
        const argsNode = node.namedChildren.find((c) => c?.type === 'function_arguments');
        const args = (argsNode?.namedChildren ?? [])
          .filter((c): c is TsNode => c?.type === 'expression')
          .map((c) => this.expr(c, depth + 1));
        const expandLast = !!argsNode?.namedChildren.some((c) => c?.type === 'ellipsis');
        return { t: 'call', name, args, expandLast, range };
      }
      case 'template_expr': {
        const inner = node.namedChildren[0];
        if (inner?.type !== 'quoted_template') return { t: 'unsupported', what: 'a heredoc', range };
        const parts: Array<string | HclExpr> = [];
        for (const part of inner.namedChildren) {
          if (!part) continue;
          if (part.type === 'template_literal') parts.push(unescape(part.text));
          else if (part.type === 'template_interpolation') {
            const expr = part.namedChildren.find((c) => c?.type === 'expression');
            parts.push(expr ? this.expr(expr, depth + 1) : { t: 'unsupported', what: 'an empty interpolation', range });
          } else if (part.type === 'template_directive') return { t: 'unsupported', what: 'a template directive', range };
        }
        return { t: 'template', parts, range };
      }
      case 'conditional': {
        const [condition, then, otherwise] = node.namedChildren.filter((c): c is TsNode => c?.type === 'expression');
        if (!condition || !then || !otherwise) return { t: 'unsupported', what: 'an incomplete condition', range };
        return {
          t: 'conditional',
          condition: this.expr(condition, depth + 1),
          then: this.expr(then, depth + 1),
          otherwise: this.expr(otherwise, depth + 1),
          range,
        };
      }
      case 'for_expr':
        return { t: 'unsupported', what: 'a `for` expression', range };
      case 'operation': {
        const op = node.namedChildren[0];
        if (!op) return { t: 'unsupported', what: 'an operator', range };
        // Operands are runs of nodes (a reference is `variable_expr get_attr...`) split by the operator token.
        const runs: TsNode[][] = [[]];
        let operator = '';
        for (const c of op.children) {
          if (!c || c.type === 'comment') continue;
          if (!c.isNamed) {
            operator = c.text;
            if (runs[runs.length - 1].length) runs.push([]);
          } else runs[runs.length - 1].push(c);
        }
        const operands = runs
          .filter((r) => r.length)
          .map((r) => this.sequence(r, depth + 1, this.lines.rangeOf(r[0].startIndex, r[r.length - 1].endIndex)));
        return { t: 'operation', operator, operands, range };
      }
      case 'splat':
        return { t: 'unsupported', what: 'a splat', range };
      default:
        return { t: 'unsupported', what: `a ${node.type.replace(/_/g, ' ')}`, range };
    }
  }

  /** An expression written as a run of nodes: one value, or a reference (`variable_expr` then its steps). */
  private sequence(children: TsNode[], depth: number, range: Range): HclExpr {
    if (children.length === 0) return { t: 'unsupported', what: 'an empty expression', range };
    if (children[0].type === 'variable_expr') return this.reference(children, depth, range);
    // A traversal of a computed value (`[...][0]`, `f()[0]`) is not read.
    if (children.length > 1) return { t: 'unsupported', what: 'an index on a computed value', range };
    return this.expr(children[0], depth + 1);
  }

  /** An object key: a bare word is a string (`Name = ...`), anything else an expression. */
  private objectKey(node: TsNode, depth: number): HclExpr {
    const children = node.namedChildren.filter((c): c is TsNode => !!c);
    if (children.length === 1 && children[0].type === 'variable_expr')
      return { t: 'literal', value: children[0].text, range: this.range(node) };
    return this.expr(node, depth);
  }

  private reference(children: TsNode[], depth: number, range: Range): HclExpr {
    const root = children[0].text;
    const steps: HclStep[] = [];
    for (const step of children.slice(1)) {
      if (step.type === 'get_attr') {
        const id = step.namedChildren.find((c) => c?.type === 'identifier');
        if (!id) return { t: 'unsupported', what: 'an incomplete reference', range };
        steps.push({ attr: id.text });
      } else if (step.type === 'index') {
        const inner = step.namedChildren[0];
        if (inner?.type === 'new_index') {
          const expr = inner.namedChildren.find((c) => c?.type === 'expression');
          if (!expr) return { t: 'unsupported', what: 'an incomplete index', range };
          steps.push({ index: this.expr(expr, depth + 1) });
        } else if (inner?.type === 'legacy_index') {
          const n = Number(inner.text.replace(/^\./, ''));
          steps.push({ index: { t: 'literal', value: n, range: this.range(inner) } });
        } else return { t: 'unsupported', what: 'an index', range };
      } else if (step.type === 'splat') {
        steps.push({ splat: true });
        return { t: 'reference', root, steps, range };
      } else return { t: 'unsupported', what: `a ${step.type.replace(/_/g, ' ')}`, range };
    }
    return { t: 'reference', root, steps, range };
  }

  private literal(node: TsNode, range: Range): HclExpr {
    switch (node.type) {
      case 'numeric_lit': {
        const n = Number(node.text);
        return Number.isFinite(n) ? { t: 'literal', value: n, range } : { t: 'unsupported', what: 'a number', range };
      }
      case 'bool_lit':
        return { t: 'literal', value: node.text === 'true', range };
      case 'null_lit':
        return { t: 'literal', value: null, range };
      case 'string_lit': {
        const literal = node.namedChildren.find((c) => c?.type === 'template_literal');
        return { t: 'literal', value: unescape(literal?.text ?? ''), range };
      }
      default:
        return { t: 'unsupported', what: 'a literal', range };
    }
  }
}

/** HCL string escapes (`\"`, `\\`, `\n`, `$${`); anything else stays as written. */
function unescape(text: string): string {
  if (!text.includes('\\') && !text.includes('$${') && !text.includes('%%{')) return text;
  return text
    .replace(/\\(["\\nrt])/g, (_, c: string) => ({ '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t' })[c] ?? c)
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}
