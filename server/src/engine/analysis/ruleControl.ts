/**
 * What users control about the rules, applied to a file's findings in one place: the levels a
 * project's `.cluster-preflight.yaml` (and the editor's or the command line's overrides) give
 * rule ids or globs of them, and the disable comments in the file itself. A disable comment
 * that suppresses nothing is reported (`unused-disable`), so that stale ones do not pile up.
 */
import { parse as parseYamlValue } from 'yaml';
import type { Finding, Severity } from '../core/findings';
import { matchesGlob } from '../core/globs';
import { LineIndex } from '../core/text/lineIndex';
import type { Range } from '../core/text/positions';
import { RULES, ruleMeta } from '../rules/catalogue';
import type { Value } from '../core/located';

export const UNUSED_DISABLE = 'unused-disable';

export type RuleLevel = 'off' | Severity;
const LEVELS: readonly string[] = ['off', 'hint', 'information', 'warning', 'error'];

/** Rule ids (or globs of them) and the level each gets; later entries win over earlier ones. */
export type RuleLevels = ReadonlyArray<[pattern: string, level: RuleLevel]>;

/** A project's settings, from its `.cluster-preflight.yaml`. */
export interface ProjectConfig {
  /** The directory the file is in (with a trailing slash): ignore patterns are relative to it. */
  directory: string;
  rules: RuleLevels;
  ignore: readonly string[];
  /** Clusters declared by name and file globs (relative to `directory`): they replace the automatic grouping. */
  clusters: ReadonlyArray<DeclaredCluster>;
}

export interface DeclaredCluster {
  name: string;
  files: readonly string[];
}

export { CONFIG_FILE_NAMES, isConfigFile } from '../sources/config/kind';

/** Reads a config file's settings; what is malformed is left out (its own diagnostics say so). */
export function readProjectConfig(directory: string, text: string): ProjectConfig {
  let value: unknown;
  try {
    value = parseYamlValue(text, { logLevel: 'silent', maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  const root = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const rules: Array<[string, RuleLevel]> = [];
  if (root.rules && typeof root.rules === 'object' && !Array.isArray(root.rules)) {
    for (const [pattern, level] of Object.entries(root.rules as Record<string, unknown>)) {
      if (typeof level === 'string' && LEVELS.includes(level)) rules.push([pattern, level as RuleLevel]);
    }
  }
  const ignore = Array.isArray(root.ignore) ? root.ignore.filter((g): g is string => typeof g === 'string') : [];
  const clusters: DeclaredCluster[] = [];
  for (const entry of Array.isArray(root.clusters) ? root.clusters : []) {
    // A malformed entry stays in its place (matching nothing), so that indexes follow the file.
    const { name, files } = (entry ?? {}) as Record<string, unknown>;
    const valid = typeof name === 'string' && name !== '' && Array.isArray(files);
    clusters.push({
      name: valid ? name : '',
      files: valid ? files.filter((g): g is string => typeof g === 'string' && g !== '') : [],
    });
  }
  return { directory, rules, ignore, clusters };
}

/** The declared clusters (their indexes in `config.clusters`) whose globs match a file (its URI). */
export function declaredClustersOf(config: ProjectConfig, uri: string): number[] {
  if (!config.clusters.length || !uri.startsWith(config.directory)) return [];
  const relative = decodeURIComponent(uri.slice(config.directory.length));
  const matched: number[] = [];
  config.clusters.forEach((cluster, index) => {
    if (cluster.files.some((glob) => matchesGlob(glob, relative))) matched.push(index);
  });
  return matched;
}

/** Levels from a plain object (an editor setting), keeping only valid ones. */
export function ruleLevelsOf(value: unknown): Array<[string, RuleLevel]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([pattern, level]) =>
    typeof level === 'string' && LEVELS.includes(level) ? [[pattern, level as RuleLevel] as [string, RuleLevel]] : [],
  );
}

/** The level a rule gets: the last matching entry of the project's levels, then of the overrides. */
export function levelOf(id: string, ...levels: RuleLevels[]): RuleLevel | undefined {
  let level: RuleLevel | undefined;
  for (const list of levels) for (const [pattern, value] of list) if (matchesGlob(pattern, id)) level = value;
  return level;
}

/** Whether a file (its URI) is one a config's ignore patterns skip. */
export function isIgnoredBy(config: ProjectConfig, uri: string): boolean {
  if (!config.ignore.length || !uri.startsWith(config.directory)) return false;
  const relative = decodeURIComponent(uri.slice(config.directory.length));
  return config.ignore.some((glob) => matchesGlob(glob, relative));
}

interface Directive {
  scope: 'next-line' | 'line' | 'file';
  /** Rule ids; empty: every rule. */
  ids: string[];
  line: number;
  /** The comment itself, where an unused directive is reported. */
  range: Range;
  used: Set<string>;
}

const DIRECTIVE = /(^|\s)[#;]\s*cluster-preflight-disable-(next-line|line|file)\b([^\n]*)/;

/** The last text read for directives, and what it had: a file's findings are asked for many times between edits. */
let lastText: string | undefined;
let lastDirectives: ReadonlyArray<Omit<Directive, 'used'>> = [];

/** The disable comments of a file's text (each call gets its own `used` sets). */
export function directivesOf(text: string): Directive[] {
  if (text !== lastText) {
    lastText = text;
    lastDirectives = text.includes('cluster-preflight-disable-') ? readDirectives(text) : [];
  }
  return lastDirectives.map((d) => ({ ...d, used: new Set<string>() }));
}

function readDirectives(text: string): Directive[] {
  const lines = new LineIndex(text);
  const out: Directive[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStarts[line];
    const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : text.length;
    const content = text.slice(start, end).replace(/\r?\n$/, '');
    const match = DIRECTIVE.exec(content);
    if (!match) continue;
    // "-- why" after the ids is a reason, as in ESLint.
    const list = match[3].split(/\s--\s|^--\s/)[0];
    const ids = list
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter(Boolean);
    const at = match.index + match[1].length;
    out.push({
      scope: match[2] as Directive['scope'],
      ids,
      line,
      range: { start: { line, character: at }, end: { line, character: content.length } },
      used: new Set(),
    });
  }
  return out;
}

/**
 * A file's findings with the user's control applied: levels (off drops a finding, a severity
 * replaces its own), then disable comments; unused or unknown directives are reported.
 */
export function applyRuleControl(findings: readonly Finding[], text: string, levels: RuleLevels[]): Finding[] {
  const leveled: Finding[] = [];
  for (const finding of findings) {
    const level = levelOf(finding.ruleId, ...levels);
    if (level === 'off') continue;
    leveled.push(level && level !== finding.severity ? { ...finding, severity: level } : finding);
  }
  const directives = directivesOf(text);
  if (directives.length === 0) return leveled;
  const kept: Finding[] = [];
  for (const finding of leveled) {
    const line = finding.range.start.line;
    const suppressing = directives.find(
      (d) =>
        (d.scope === 'file' || (d.scope === 'line' && d.line === line) || (d.scope === 'next-line' && d.line === line - 1)) &&
        (d.ids.length === 0 || d.ids.includes(finding.ruleId)),
    );
    if (suppressing) suppressing.used.add(finding.ruleId);
    else kept.push(finding);
  }
  if (levelOf(UNUSED_DISABLE, ...levels) === 'off') return kept;
  const severity = (levelOf(UNUSED_DISABLE, ...levels) as Severity | undefined) ?? 'information';
  for (const d of directives) {
    const unknown = d.ids.filter((id) => !ruleMeta(id));
    const unused = d.ids.length === 0 ? (d.used.size ? [] : ['']) : d.ids.filter((id) => ruleMeta(id) && !d.used.has(id));
    const where = d.scope === 'file' ? 'in this file' : d.scope === 'line' ? 'on this line' : 'on the next line';
    const problems = [
      ...unknown.map((id) => `"${id}" is not a Cluster Preflight rule`),
      ...unused.map((id) => (id ? `${id} reports nothing ${where}` : `no rule reports anything ${where}`)),
    ];
    if (problems.length)
      kept.push({
        ruleId: UNUSED_DISABLE,
        severity,
        message: `This disable comment suppresses nothing: ${problems.join('; ')}. Remove it, or the ids that no longer apply.`,
        range: d.range,
      });
  }
  return kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The keys of a project config's `rules` that name no rule (a typo changes nothing): a warning on each. */
export function unknownRuleKeys(keys: ReadonlyArray<Value<string>>, chunkLine: number): Finding[] {
  return keys
    .filter((key) => !RULES.some((rule) => matchesGlob(key.value, rule.meta.id)))
    .map((key) => ({
      ruleId: 'schema',
      severity: 'warning' as const,
      message: `"${key.value}" names no Cluster Preflight rule, so it changes nothing; \`cluster-preflight --list-rules\` lists them.`,
      range: {
        start: { line: key.range.start.line + chunkLine, character: key.range.start.character },
        end: { line: key.range.end.line + chunkLine, character: key.range.end.character },
      },
    }));
}
