import { relative, isAbsolute } from 'node:path';
import { styleText } from 'node:util';
import type { Finding } from '../engine/core/findings';
import { compactPorts, type NodeOutput, type UndescribedGroup } from '../engine/features/requirements';
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
  clusters: ClusterText = {},
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
  const names = clusters.clusterNames ?? [];
  // Several clusters are named, so that a reader sees which files were not compared with each other.
  const named = t.clusters > 1 && names.length > 1 ? `: ${boundedList(names.map(printable), MAX_CLUSTER_NAMES)}` : '';
  const checked = `${plural(t.filesChecked, 'file')} checked${t.clusters ? ` in ${plural(t.clusters, 'cluster')}${named}` : ''}`;
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
  lines.push(...undescribedLines(clusters.undescribed ?? [], names.length > 1));
  // Colour codes are ours; only a line that would start with `::` changes here.
  return lines.map((line) => (/^\s*::/.test(line) ? printableLines(line) : line)).join('\n') + '\n';
}

/** What the text output says about the clusters checked, beyond their count. */
export interface ClusterText {
  /** Every cluster's name, in the listing's order. */
  clusterNames?: readonly string[];
  /** The clusters with nodes whose firewall is not described, and what those nodes need per role. */
  undescribed?: ReadonlyArray<{ name: string; groups: readonly UndescribedGroup[] }>;
}

/** The summary names at most this many clusters, then "and N more". */
const MAX_CLUSTER_NAMES = 5;
/** The "… need …" lines cover at most this many clusters, then one line says how many more. */
const MAX_UNDESCRIBED_CLUSTERS = 20;

function boundedList(items: readonly string[], limit: number): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/**
 * One line per role combination of the nodes whose format describes no firewall: what they
 * need, which the text output could otherwise never say. "Control-plane nodes need 6443, 10250/TCP
 * (…)"; prefixed by the cluster's name when several clusters are checked.
 */
function undescribedLines(
  clusters: ReadonlyArray<{ name: string; groups: readonly UndescribedGroup[] }>,
  nameClusters: boolean,
): string[] {
  const lines: string[] = [];
  for (const { name, groups } of clusters.slice(0, MAX_UNDESCRIBED_CLUSTERS))
    for (const group of groups) {
      const needs = `need ${compactPorts(group.requirements)} (no firewall is described here; see --format html or json)`;
      lines.push(nameClusters ? `${printable(name)}: ${group.name} ${needs}` : `${group.heading} ${needs}`);
    }
  if (clusters.length > MAX_UNDESCRIBED_CLUSTERS)
    lines.push(
      `…and ${plural(clusters.length - MAX_UNDESCRIBED_CLUSTERS, 'more cluster')} whose firewall is not described (see --format html or json).`,
    );
  return lines;
}

/** A cluster as `--format json` lists it: which files were compared with each other, and what each node needs. */
export interface ClusterListing {
  name: string;
  root: string;
  files: string[];
  nodes?: NodeOutput[];
}

/** LSP-shaped diagnostics with 0-based positions. */
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
