import { parseDocument, type Node, type YAMLError } from 'yaml';
import type { Finding } from '../findings';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/positions';
import type { YamlDoc } from './ast';

/**
 * A document this large takes the yaml parser a good part of a second: an editor should not
 * parse one on the thread that answers its requests (about 5,000 lines).
 */
export const LARGE_DOCUMENT_CHARS = 128 * 1024;

/**
 * Deeper nesting than this is refused before parsing: the yaml parser recurses, and a
 * document nested about a thousand levels deep exhausts the stack at a point that varies from
 * run to run. No cluster description nests more than a few dozen levels.
 */
export const MAX_NESTING = 400;

export interface ParsedYaml {
  doc: YamlDoc;
  lines: LineIndex;
  /** Set when the text nests deeper than MAX_NESTING: where, and the (empty) document stands in for it. */
  tooDeepAt?: number;
}

const EMPTY = '';

/** Parses one YAML document keeping source ranges (offsets are relative to `text`). */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineIndex(text);
  const tooDeepAt = nestingLimitExceededAt(text);
  // logLevel 'error': the parser's warnings (collection keys stringified...) are not printed.
  const options = { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true, logLevel: 'error' } as const;
  if (tooDeepAt !== undefined) return { doc: parseDocument(EMPTY, options), lines, tooDeepAt };
  return { doc: parseDocument(text, options), lines };
}

/** The parser's errors (and warnings) as yaml-syntax findings, on the parser's own range. */
export function syntaxFindings(parsed: ParsedYaml): Finding[] {
  if (parsed.tooDeepAt !== undefined) {
    return [
      {
        ruleId: 'yaml-syntax',
        severity: 'error',
        message: `This document nests more than ${MAX_NESTING} levels deep here; it was not checked.`,
        range: parsed.lines.rangeOf(parsed.tooDeepAt, parsed.tooDeepAt + 1),
      },
    ];
  }
  const toFinding = (problem: YAMLError, severity: 'error' | 'warning'): Finding => ({
    ruleId: 'yaml-syntax',
    severity,
    message: describeYamlError(problem),
    range: parsed.lines.rangeOf(problem.pos[0], Math.max(problem.pos[0], problem.pos[1])),
  });
  return [...parsed.doc.errors.map((e) => toFinding(e, 'error')), ...parsed.doc.warnings.map((w) => toFinding(w, 'warning'))];
}

function describeYamlError(problem: YAMLError): string {
  const message = problem.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
  if (problem.code === 'TAB_AS_INDENT' || /tab/i.test(message)) return `${message} (YAML indentation must use spaces, not tabs)`;
  if (problem.code === 'DUPLICATE_KEY') return `${message}: this key appears twice in the same mapping`;
  return message;
}

/**
 * The offset where the text first nests deeper than MAX_NESTING, counting flow brackets
 * (outside quotes and comments), block indentation levels and "- " sequence entries; undefined
 * when it never does. One pass, no parsing.
 */
export function nestingLimitExceededAt(text: string): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote = 0;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  /** The last character that was not a space: a bracket opens a collection only where a value starts. */
  let previous = 10;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (flow === 0) quote = 0;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = 0;
      else if (ch === 92 /* \\ */ && quote === 34) i++;
      continue;
    }
    if (lineStart) {
      if (ch === 32) {
        indent++;
        continue;
      }
      if (ch === 45 /* - */ && text.charCodeAt(i + 1) === 32) {
        dashes++;
        indent += 2;
        i++;
        continue;
      }
      lineStart = false;
      previous = 10;
      if (ch === 13) continue;
      if (ch === 35 /* # */) {
        const newline = text.indexOf('\n', i);
        i = (newline < 0 ? text.length : newline) - 1;
        continue;
      }
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      if (indents.length + dashes > MAX_NESTING) return i;
    }
    if (ch === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      const newline = text.indexOf('\n', i);
      i = (newline < 0 ? text.length : newline) - 1;
    } else if (ch === 34 || ch === 39) {
      quote = ch;
    } else if ((ch === 91 /* [ */ || ch === 123) /* { */ && startsValue(previous)) {
      if (++flow + indents.length > MAX_NESTING) return i;
    } else if ((ch === 93 || ch === 125) && flow > 0) {
      flow--;
    }
    if (ch !== 32) previous = ch;
  }
  return undefined;
}

function startsValue(previous: number): boolean {
  // After ":", "-", ",", an opening bracket, or at the start of a line.
  return previous === 58 || previous === 45 || previous === 44 || previous === 91 || previous === 123 || previous === 10;
}

/** Aliases a document may expand while its data is read: an "alias bomb" is refused, not expanded. */
export const MAX_ALIAS_COUNT = 100;

/**
 * A document's data as plain values, for schema validation and completion. The parser refuses to
 * expand an alias bomb (or a cyclic alias): then there is nothing to validate, and the document
 * gets one yaml-syntax finding, at `at`, saying so.
 */
export function documentData(
  node: unknown,
  doc: YamlDoc,
  at: Range,
): { ok: true; value: unknown } | { ok: false; finding: Finding } {
  try {
    return { ok: true, value: (node as Node | null)?.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) ?? null };
  } catch (error) {
    return {
      ok: false,
      finding: {
        ruleId: 'yaml-syntax',
        severity: 'error',
        message: `${(error as Error).message}; this document was not checked.`,
        range: at,
      },
    };
  }
}
