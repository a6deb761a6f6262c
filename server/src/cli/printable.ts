/**
 * Text output that a file cannot forge: names and messages carry text from the files checked
 * (host names, keys, file names), and a terminal or a CI log interprets some of it — ESC starts
 * a terminal control sequence, CR rewinds the line (a forged "No problems found"), bidi controls
 * reorder what is shown, and a line starting with `::` is a GitHub Actions workflow command.
 */

/** C0 controls but tab, DEL, C1 controls, and the Unicode line separators and bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line's worth of text with every control character written as a visible escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * Output of several lines, each made printable, none starting with `::` (a workflow command in a
 * GitHub Actions log; leading blanks do not help, the runner trims them): its first colon is escaped.
 */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => printable(line).replace(/^(\s*):(?=:)/, '$1\\x3a'))
    .join('\n');
}
