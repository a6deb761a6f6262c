/**
 * Template placeholders in YAML that has not been rendered yet: envsubst and shell style
 * (`${NODE_IP}`, `$NODE_IP`, `$(NODE_IP)`), Jinja/Helm/Go templates (`{{ node_ip }}`, `{% if %}`),
 * and the markers of sed-style scripts (`{NODE_IP}`, `__NODE_IP__`, `<NODE_IP>`).
 * A value with a placeholder is not what the cluster will get, so checks leave it alone.
 */
import type { Range } from '../text/positions';

export interface TemplateUse {
  /** The first placeholder, relative to the document's first line. */
  first: Range;
  /** Up to three of the placeholders, as written, for messages. */
  examples: string[];
  /** Lines (relative to the document) that hold a placeholder. */
  lines: Set<number>;
  /** Template control structures ({% if %}, {{- range }}, {{ end }}): the YAML's structure itself is not known yet. */
  control: boolean;
  /** How many lines the document has. */
  lineCount: number;
}

/**
 * `${VAR}`, `$(VAR)`, `$VAR`, `{{ ... }}`, `{% ... %}`, and the markers sed-style scripts replace:
 * `{NODE_IP}`, `__NODE_IP__`, `<NODE_IP>` or `<node-ip>` (upper case, or a `-`/`_` inside angle brackets, so that ordinary text is not taken for one).
 */
const PLACEHOLDER =
  /\$\{[A-Za-z_][A-Za-z0-9_]*[^}\n]{0,80}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$[A-Z_][A-Z0-9_]*\b|\{\{[^\n]{0,200}?\}\}|\{%[^\n]{0,200}?%\}|\{[A-Z][A-Z0-9_]*\}|__[A-Z][A-Z0-9_]*__|<(?=[A-Za-z0-9_.-]*[A-Z_-])[A-Za-z][A-Za-z0-9_.-]+>/g;
const CONTROL = /^\{%|^\{\{-?\s*(?:if|else|end|range|with|define|template|include|block|for|endfor|endif)\b/;

/**
 * The placeholders of a document's text, outside comments; undefined when it has none. Without
 * `jinja`, `{{ }}` and `{% %}` are left out: in Ansible's files they are the format's own
 * expressions, while `${PREFIX}` or `<NODE_IP>` still mark a file some script renders first.
 */
export function findTemplateUse(text: string, jinja = true): TemplateUse | undefined {
  if (!/[$]|\{\{|\{%|\{[A-Z]|__[A-Z]|<[A-Za-z]/.test(text)) return undefined;
  let use: TemplateUse | undefined;
  let line = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const content = withoutComment(text.slice(lineStart, lineEnd));
    for (const match of content.matchAll(PLACEHOLDER)) {
      if (!jinja && /^\{[{%]/.test(match[0])) continue;
      const at = match.index!;
      use ??= {
        first: { start: { line, character: at }, end: { line, character: at + match[0].length } },
        examples: [],
        lines: new Set(),
        control: false,
        lineCount: 0,
      };
      use.lines.add(line);
      if (use.examples.length < 3 && !use.examples.includes(match[0])) use.examples.push(match[0]);
      if (CONTROL.test(match[0]) && content.trim() === match[0]) use.control = true;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
    line++;
  }
  if (use) use.lineCount = line + 1;
  return use;
}

/**
 * Whether a value (its range relative to the document) is written on a line with a placeholder:
 * what it will be is known only once the file is rendered, so it is never compared with others.
 */
export function isTemplatedAt(template: TemplateUse | undefined, range: Range): boolean {
  if (!template) return false;
  if (template.control) return true;
  for (let line = range.start.line; line <= range.end.line; line++) if (template.lines.has(line)) return true;
  return false;
}

/** A line without its comment: "#" at the start or after a space, outside quotes. */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i);
  }
  return line;
}
