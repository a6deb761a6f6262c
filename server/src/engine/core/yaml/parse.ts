import {
  Composer,
  isScalar,
  Lexer,
  parseDocument,
  Parser,
  visit,
  YAMLParseError,
  type CST,
  type Node,
  type ScalarTag,
  type YAMLError,
} from 'yaml';
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
  /**
   * Set when the text nests deeper than MAX_NESTING: where, and the (empty) document stands in for it,
   * with the parser's errors before that place.
   */
  tooDeepAt?: number;
}

const EMPTY = '';
const LONE_CR = /\r(?!\n)/g;

/**
 * Ansible's own tags: "!vault" (an encrypted value) and "!unsafe" (a value never templated). Both are
 * strings to us, read as written, not "Unresolved tag" warnings.
 */
const ANSIBLE_TAGS: ScalarTag[] = ['!vault', '!unsafe'].map((tag) => ({ tag, resolve: (value: string) => value }));

/** Parses one YAML document keeping source ranges (offsets are relative to `text`). */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineIndex(text);
  // A lone CR ends a line (YAML 1.2, and LineIndex), but the parser reads it as a character of the line.
  // Replaced by LF, one character for one, every offset stays where it was.
  const source = text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
  const tooDeepAt = nestingLimitExceededAt(source);
  // logLevel 'error': the parser's warnings (collection keys stringified...) are not printed.
  // uniqueKeys false: the parser compares each key with every earlier one of its mapping (40,000 keys took
  // 13 s); duplicateKeyErrors finds the same duplicates in linear time.
  const options = {
    prettyErrors: false,
    keepSourceTokens: false,
    uniqueKeys: false,
    logLevel: 'error',
    customTags: ANSIBLE_TAGS,
  } as const;
  if (tooDeepAt !== undefined) return { doc: parseDocument(EMPTY, options), lines, tooDeepAt };
  const composed = composeDocument(source, options);
  if (composed.tooDeepAt !== undefined) {
    // The document read so far is cut off mid-structure: it stands empty, with the errors found before the cut.
    const doc = parseDocument(EMPTY, options);
    doc.errors = composed.doc.errors.filter((e) => e.pos[0] < composed.tooDeepAt!);
    return { doc, lines, tooDeepAt: composed.tooDeepAt };
  }
  const { doc } = composed;
  const duplicates = duplicateKeyErrors(doc);
  if (duplicates.length) doc.errors = [...doc.errors, ...duplicates].sort((a, b) => a.pos[0] - b.pos[0]);
  return { doc, lines };
}

/**
 * The deepest the yaml parser's stack may grow: the nesting limit, plus the document and a scalar
 * being read. Each entry is a collection (or scalar) still open.
 */
const MAX_PARSER_STACK = MAX_NESTING + 2;

type ParseOptions = Parameters<typeof parseDocument>[1];

/**
 * What `parseDocument` does (lexer, parser, composer; the first document, and MULTIPLE_DOCS after it),
 * watching the parser's stack. The nesting guard above sees the nesting the text shows, but the parser
 * may read more into it: after "a: v", a more indented "  b: v" continues the plain scalar "v" and makes
 * "v b" the key of a new mapping inside the previous one, so 40,000 such lines are 40,000 mappings each
 * inside the last. The parser closes collections that a less indented line ends one call inside the
 * other (blockMap, pop, step, blockMap...), and the composer reads them the same way: a stack that deep
 * overflows the call stack. Stopping where the parser's own stack passes the limit bounds both.
 */
function composeDocument(source: string, options: ParseOptions): { doc: YamlDoc; tooDeepAt?: number } {
  const watch: { tooDeepAt?: number } = {};
  const tokens = watchedTokens(new Parser(), source, watch);
  let doc: YamlDoc | undefined;
  for (const next of new Composer(options).compose(tokens, true, source.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          next.range.slice(0, 2) as [number, number],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // compose(..., forceDoc) always gives a document, if only an empty one.
  return { doc: doc!, tooDeepAt: watch.tooDeepAt };
}

/**
 * The parser's tokens, ended early where its stack passes MAX_PARSER_STACK (set in `watch`). A plain
 * generator function, not a closure: a closure here made parsing small documents some 5% slower.
 */
function* watchedTokens(parser: Parser, source: string, watch: { tooDeepAt?: number }): Generator<CST.Token> {
  for (const lexeme of new Lexer().lex(source)) {
    const at = parser.offset;
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_PARSER_STACK) {
      watch.tooDeepAt = at;
      break;
    }
  }
  // Closing the open collections at the end is a loop in the parser, not a recursion.
  yield* parser.end();
}

/**
 * The errors the parser gives with `uniqueKeys: true`, at the same place ("Map keys must be unique" on the
 * first character of the repeated key), found with one set of key values per mapping. The parser's own
 * test: the same node, or two scalars whose values are ===; keys of any other kind are never equal (so
 * NaN, which is not === to itself, is never a duplicate).
 */
function duplicateKeyErrors(doc: YamlDoc): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key) || !key.range || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) {
          errors.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        } else seen.add(key.value);
      }
    },
  });
  return errors;
}

/**
 * The parser's errors (and warnings) as yaml-syntax findings, on the parser's own range. A reader
 * that takes the last of two equal keys (Ansible warns and goes on) makes them `duplicateKeys: 'warning'`.
 */
export function syntaxFindings(parsed: ParsedYaml, options: { duplicateKeys?: 'warning' } = {}): Finding[] {
  const toFinding = (problem: YAMLError, severity: 'error' | 'warning'): Finding => ({
    ruleId: 'yaml-syntax',
    severity,
    message: describeYamlError(problem),
    range: parsed.lines.rangeOf(problem.pos[0], Math.max(problem.pos[0], problem.pos[1])),
  });
  const errorSeverity = (e: YAMLError) => (e.code === 'DUPLICATE_KEY' && options.duplicateKeys ? options.duplicateKeys : 'error');
  const findings = [
    ...parsed.doc.errors.map((e) => toFinding(e, errorSeverity(e))),
    ...parsed.doc.warnings.map((w) => toFinding(w, 'warning')),
  ];
  if (parsed.tooDeepAt !== undefined) {
    // After the errors the parser found before it went too deep, if it got that far.
    findings.push({
      ruleId: 'yaml-syntax',
      severity: 'error',
      message: `This document nests more than ${MAX_NESTING} levels deep here; it was not checked.`,
      range: parsed.lines.rangeOf(parsed.tooDeepAt, parsed.tooDeepAt + 1),
    });
  }
  return findings;
}

function describeYamlError(problem: YAMLError): string {
  const message = problem.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
  if (problem.code === 'TAB_AS_INDENT' || /tab/i.test(message)) return `${message} (YAML indentation must use spaces, not tabs)`;
  if (problem.code === 'DUPLICATE_KEY') return `${message}: this key appears twice in the same mapping`;
  return message;
}

/** The characters the nesting guard acts on outside quotes; everything between them is skipped natively. */
const STRUCTURE = /[\n"'#[\]{}]/g;
const IN_DOUBLE_QUOTES = /["\\\n]/g;
const IN_SINGLE_QUOTES = /['\n]/g;

/**
 * The offset where the text first nests deeper than MAX_NESTING, counting flow brackets
 * (outside quotes and comments), block indentation levels and "- " sequence entries; undefined
 * when it never does. One pass, no parsing.
 *
 * The text between the characters that matter (a 2 MB scalar, a long comment) is skipped by a
 * search for the next one, not visited character by character: a per-character loop over such
 * a run became some 200 times slower once the process was warm (45 s for one 2 MB scalar after
 * 300 files in a language server). A bracket opens a collection where a value starts: after
 * ":", "-", ",", another bracket or at the start of a line, and also after a tag or an anchor
 * ("!!seq [", "&a ["), which would otherwise let a document nest without limit.
 */
export function nestingLimitExceededAt(text: string): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  /** Where the current line's content starts (after its indentation and "- " entries). */
  let contentStart = 0;
  /** Just after the last character acted on: looking back from a bracket stops here. */
  let scanned = 0;
  let i = 0;
  let atLineStart = true;
  /** The last bracket that opened a collection: "a[[" in a plain scalar opens none. */
  let openedAt = -1;
  while (i < text.length) {
    if (atLineStart) {
      atLineStart = false;
      let indent = 0;
      let dashes = 0;
      for (;;) {
        const ch = text.charCodeAt(i);
        if (ch === 32) {
          indent++;
          i++;
        } else if (ch === 45 /* - */ && text.charCodeAt(i + 1) === 32) {
          dashes++;
          indent += 2;
          i += 2;
        } else break;
      }
      contentStart = scanned = i;
      const first = text.charCodeAt(i);
      if (i >= text.length || first === 10 || first === 13 || first === 35 /* # */) {
        // A blank line or a comment line opens no level.
      } else {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        if (indents.length + dashes > MAX_NESTING) return i;
      }
    }
    STRUCTURE.lastIndex = i;
    const found = STRUCTURE.exec(text);
    if (!found) return undefined;
    const at = found.index;
    const ch = text.charCodeAt(at);
    i = at + 1;
    if (ch === 10) {
      atLineStart = true;
      continue;
    }
    if (ch === 35 /* # */) {
      if (at === contentStart || text.charCodeAt(at - 1) === 32) {
        const newline = text.indexOf('\n', at);
        if (newline < 0) return undefined;
        i = newline + 1;
        atLineStart = true;
        continue;
      }
    } else if (ch === 34 || ch === 39) {
      // A quoted scalar ends at its quote; outside flow collections, also at the end of the line.
      const closing = ch === 34 ? IN_DOUBLE_QUOTES : IN_SINGLE_QUOTES;
      for (;;) {
        closing.lastIndex = i;
        const end = closing.exec(text);
        if (!end) return undefined;
        const c = text.charCodeAt(end.index);
        i = end.index + 1;
        if (c === 92 /* \ */) {
          i++;
          continue;
        }
        if (c === 10) {
          if (flow === 0) {
            atLineStart = true;
            break;
          }
          // Inside a flow collection the scalar goes on; the line's indentation is still counted.
          const lineEnd = i;
          while (text.charCodeAt(i) === 32) i++;
          const indent = i - lineEnd;
          while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
          if (i < text.length && text.charCodeAt(i) !== 10) indents.push(indent);
          if (indents.length > MAX_NESTING) return lineEnd;
          continue;
        }
        break;
      }
      if (atLineStart) continue;
    } else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (opensCollection(text, at, contentStart, scanned, openedAt)) {
        openedAt = at;
        if (++flow + indents.length > MAX_NESTING) return at;
      }
    } else if (flow > 0) {
      flow--;
    }
    scanned = i;
  }
  return undefined;
}

/**
 * Whether the bracket at `at` opens a flow collection: where a value starts (after ":", "-", ",",
 * another bracket, at the line's content start) or after a tag or anchor. Looks back no further
 * than `scanned`, so all the look-backs of one text together visit each character at most once.
 */
function opensCollection(text: string, at: number, contentStart: number, scanned: number, openedAt: number): boolean {
  let p = at - 1;
  while (p >= scanned && text.charCodeAt(p) === 32) p--;
  if (p < contentStart) return true;
  if (p < scanned) return p === openedAt;
  const previous = text.charCodeAt(p);
  if (previous === 58 || previous === 45 || previous === 44) return true;
  if (p === at - 1) return false;
  // A word before the spaces: a tag ("!!seq", "!vault") or an anchor ("&a") precedes a value.
  while (p >= scanned && p >= contentStart && text.charCodeAt(p) !== 32) p--;
  const wordStart = text.charCodeAt(p + 1);
  return wordStart === 33 /* ! */ || wordStart === 38; /* & */
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
