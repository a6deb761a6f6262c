import { relative, isAbsolute } from 'node:path';
import { styleText } from 'node:util';
import type { Finding } from '../engine/core/findings';
import { ruleMeta } from '../engine/rules/catalogue';
import { printable, printableLines } from './printable';

export interface FileFindings {
  path: string;
  findings: Finding[];
}

export interface Totals {
  errors: number;
  warnings: number;
  others: number;
  filesWithFindings: number;
  filesChecked: number;
  clusters: number;
}

export function totals(results: readonly FileFindings[], filesChecked: number, clusters = 0): Totals {
  const t: Totals = { errors: 0, warnings: 0, others: 0, filesWithFindings: 0, filesChecked, clusters };
  for (const r of results) {
    if (r.findings.length) t.filesWithFindings++;
    for (const f of r.findings) {
      if (f.severity === 'error') t.errors++;
      else if (f.severity === 'warning') t.warnings++;
      else t.others++;
    }
  }
  return t;
}

export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How the text output paints: ANSI styles through Node's util.styleText, or none. */
export interface Colors {
  severity(severity: string, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function colorsFor(enabled: boolean): Colors {
  // styleText arrived in Node 20.12: older 20.x print plain text.
  if (!enabled || typeof styleText !== 'function') return { severity: (_s, t) => t, dim: (t) => t, bold: (t) => t };
  // We decide about colour ourselves (--color, NO_COLOR, the TTY check in the CLI).
  const paint = (format: Parameters<typeof styleText>[0], text: string) => styleText(format, text, { validateStream: false });
  return {
    severity: (severity, text) => paint(severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'cyan', text),
    dim: (text) => paint('gray', text),
    bold: (text) => paint('bold', text),
  };
}

/**
 * `path:line:col: severity code message`, 1-based, then a summary line. Text from the files
 * (names, messages) is escaped, with or without colour: one finding is one line, and no line is
 * a terminal control sequence or a GitHub Actions workflow command.
 */
export function formatText(
  results: readonly FileFindings[],
  t: Totals,
  colors: Colors = colorsFor(false),
  hidden: { warnings: number; others: number; failTheRun?: boolean } = { warnings: 0, others: 0 },
): string {
  const lines: string[] = [];
  for (const { path, findings } of results) {
    for (const f of findings) {
      lines.push(
        `${colors.bold(`${printable(displayPath(path))}:${f.range.start.line + 1}:${f.range.start.character + 1}:`)} ${colors.severity(f.severity, f.severity)} ${colors.dim(printable(f.ruleId))} ${printable(f.message)}`,
      );
    }
  }
  const problems = t.errors + t.warnings + t.others;
  const checked = `${plural(t.filesChecked, 'file')} checked${t.clusters ? ` in ${plural(t.clusters, 'cluster')}` : ''}`;
  const hiddenCount = hidden.warnings + hidden.others;
  // --quiet hides warnings, not their existence: the summary says what the exit code counts.
  const notShown = hiddenCount
    ? `${[hidden.warnings ? plural(hidden.warnings, 'warning') : '', hidden.others ? `${hidden.others} other` : ''].filter(Boolean).join(' and ')} not shown (--quiet)${hidden.failTheRun && hidden.warnings ? ', which fail the run (--fail-on warning)' : ''}`
    : '';
  if (problems === 0 && hiddenCount) lines.push(`No errors; ${notShown} (${checked}).`);
  else if (problems === 0) lines.push(`No problems found (${checked}).`);
  else {
    const parts = [
      colors.severity('error', plural(t.errors, 'error')),
      colors.severity('warning', plural(t.warnings, 'warning')),
    ];
    if (t.others) parts.push(`${t.others} other`);
    lines.push(
      `${plural(problems, 'problem')} (${parts.join(', ')}) in ${plural(t.filesWithFindings, 'file')}${notShown ? `; ${notShown}` : ''} (${checked}).`,
    );
  }
  // Colour codes are ours; only a line that would start with `::` changes here.
  return lines.map((line) => (/^\s*::/.test(line) ? printableLines(line) : line)).join('\n') + '\n';
}

/** LSP-shaped diagnostics with 0-based positions. */
/** A cluster as `--format json` lists it: which files were compared with each other. */
export interface ClusterListing {
  name: string;
  root: string;
  files: string[];
}

export function formatJson(
  results: readonly FileFindings[],
  uriToPath: (uri: string) => string,
  clusters?: readonly ClusterListing[],
): string {
  const diagnostics = [];
  for (const { path, findings } of results) {
    for (const f of findings) {
      const docs = ruleMeta(f.ruleId)?.docs;
      diagnostics.push({
        file: displayPath(path),
        range: f.range,
        severity: f.severity,
        code: f.ruleId,
        message: f.message,
        ...(docs ? { codeDescription: { href: docs } } : {}),
        relatedInformation: (f.related ?? []).map((r) => ({
          file: displayPath(r.uri ? uriToPath(r.uri) : path),
          range: r.range,
          message: r.message,
        })),
      });
    }
  }
  return JSON.stringify(clusters ? { diagnostics, clusters } : { diagnostics }, null, 2) + '\n';
}
