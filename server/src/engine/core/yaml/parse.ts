import { parseDocument, type YAMLError } from 'yaml';
import type { Finding } from '../findings';
import { LineIndex } from '../text/lineIndex';
import type { YamlDoc } from './ast';

/**
 * A document this large takes the yaml parser a good part of a second: an editor should not
 * parse one on the thread that answers its requests (about 5,000 lines).
 */
export const LARGE_DOCUMENT_CHARS = 128 * 1024;

export interface ParsedYaml {
  doc: YamlDoc;
  lines: LineIndex;
}

/** Parses one YAML document keeping source ranges (offsets are relative to `text`). */
export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true });
  return { doc, lines: new LineIndex(text) };
}

/** The parser's errors (and warnings) as yaml-syntax findings, on the parser's own range. */
export function syntaxFindings(parsed: ParsedYaml): Finding[] {
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
