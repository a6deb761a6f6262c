/**
 * What users control about the rules, applied to a file's findings in one place: the levels a
 * project's `.cluster-preflight.yaml` (and the editor's or the command line's overrides) give
 * rule ids or globs of them, and the disable comments in the file itself. A disable comment
 * that suppresses nothing is reported (`unused-disable`), so that stale ones do not pile up.
 */
import { Lexer } from 'yaml';
import { parseYaml } from '../core/yaml/parse';
import type { Finding, Severity } from '../core/findings';
import { globProblem, isGlob, matchesGlob } from '../core/globs';
import { LineIndex } from '../core/text/lineIndex';
import type { Range } from '../core/text/positions';
import { RULES, ruleMeta } from '../rules/catalogue';
import type { Value } from '../core/located';
import { closestName } from '../schema/suggest';

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

import { configData } from '../sources/config/kind';

export { CONFIG_FILE_NAMES, isConfigFile } from '../sources/config/kind';

/** Reads a config file's settings; what is malformed is left out (its own diagnostics say so). */
export function readProjectConfig(directory: string, text: string): ProjectConfig {
  // The guarded reader every document goes through (nesting limit, alias limit): a hostile config
  // is a finding of its own document, never a crash here.
  return projectConfigOf(directory, configData(parseYaml(text)));
}

/**
 * A config's settings from its data (`configData`, which the config's own document keeps, so that
 * a config is parsed once); what is malformed is left out. Linear in the number of entries.
 */
export function projectConfigOf(directory: string, value: unknown): ProjectConfig {
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

/**
 * One list of levels, resolved once: exact ids in a map, globs compiled once and tried from the
 * last, and each rule id's answer remembered — linear in the list however many keys it has.
 */
interface ResolvedLevels {
  /** Id -> the index of the last entry that is exactly it. */
  exact: Map<string, number>;
  /** The indexes of the glob entries, in order. */
  globs: number[];
  /** Rule id -> the index of the entry that decides its level (-1: none). */
  decided: Map<string, number>;
}

const resolvedLevels = new WeakMap<RuleLevels, ResolvedLevels>();

function resolve(list: RuleLevels): ResolvedLevels {
  let resolved = resolvedLevels.get(list);
  if (!resolved) {
    resolved = { exact: new Map(), globs: [], decided: new Map() };
    list.forEach(([pattern], i) => (isGlob(pattern) ? resolved!.globs.push(i) : resolved!.exact.set(pattern, i)));
    resolvedLevels.set(list, resolved);
  }
  return resolved;
}

/** The index of the last entry of a list matching a rule id, or -1. */
function decidingEntry(list: RuleLevels, id: string): number {
  const resolved = resolve(list);
  let index = resolved.decided.get(id);
  if (index === undefined) {
    index = resolved.exact.get(id) ?? -1;
    for (let g = resolved.globs.length - 1; g >= 0 && resolved.globs[g] > index; g--) {
      if (matchesGlob(list[resolved.globs[g]][0], id)) {
        index = resolved.globs[g];
        break;
      }
    }
    resolved.decided.set(id, index);
  }
  return index;
}

/** The level a rule gets: the last matching entry of the project's levels, then of the overrides. */
export function levelOf(id: string, ...levels: RuleLevels[]): RuleLevel | undefined {
  let level: RuleLevel | undefined;
  for (const list of levels) {
    if (list.length === 0) continue;
    const index = decidingEntry(list, id);
    if (index >= 0) level = list[index][1];
  }
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
}

/** How a file writes comments: YAML's `#` (only where YAML's lexer sees a comment), or INI's `;` and `#`. */
export type CommentSyntax = 'yaml' | 'ini';

const DIRECTIVE = /(^|\s)[#;]\s*cluster-preflight-disable-(next-line|line|file)\b([^\n]*)/;

/**
 * A file's directives, indexed so that applying them is linear in findings + directives: the
 * directives on (or for) each line, and the first file-wide directive for every rule and for all.
 */
interface DirectiveIndex {
  directives: readonly Directive[];
  /** Line -> the indexes of the `line` directives on it and the `next-line` directives above it. */
  byLine: ReadonlyMap<number, number[]>;
  /** The first file-wide directive without ids, if any. */
  fileAll: number;
  /** Rule id -> the first file-wide directive naming it. */
  fileById: ReadonlyMap<string, number>;
}

const NO_DIRECTIVES: DirectiveIndex = { directives: [], byLine: new Map(), fileAll: -1, fileById: new Map() };

/** The last text read for directives, and what it had: a file's findings are asked for many times between edits. */
let lastText: string | undefined;
let lastSyntax: CommentSyntax | undefined;
let lastIndex: DirectiveIndex = NO_DIRECTIVES;

/** The disable comments of a file's text, read once per text. */
function directiveIndexOf(text: string, syntax: CommentSyntax): DirectiveIndex {
  if (text !== lastText || syntax !== lastSyntax) {
    lastText = text;
    lastSyntax = syntax;
    lastIndex = text.includes('cluster-preflight-disable-') ? indexDirectives(readDirectives(text, syntax)) : NO_DIRECTIVES;
  }
  return lastIndex;
}

/** The disable comments of a file's text. */
export function directivesOf(text: string, syntax: CommentSyntax = 'yaml'): readonly Directive[] {
  return directiveIndexOf(text, syntax).directives;
}

function indexDirectives(directives: Directive[]): DirectiveIndex {
  const byLine = new Map<number, number[]>();
  const fileById = new Map<string, number>();
  let fileAll = -1;
  directives.forEach((d, i) => {
    if (d.scope === 'file') {
      if (d.ids.length === 0 && fileAll < 0) fileAll = i;
      for (const id of d.ids) if (!fileById.has(id)) fileById.set(id, i);
      return;
    }
    const line = d.scope === 'line' ? d.line : d.line + 1;
    const list = byLine.get(line);
    if (list) list.push(i);
    else byLine.set(line, [i]);
  });
  return { directives, byLine, fileAll, fileById };
}

/**
 * The offsets where YAML comments start and end, from the yaml library's lexer: a `#` inside a
 * block scalar, a quoted string or a plain value (`a#b`) is text, not a comment.
 */
function yamlCommentSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens (document, scalar and flow-error markers) are not source text.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token[0] === '#') spans.push([offset, offset + token.length]);
    offset += token.length;
  }
  return spans;
}

function readDirectives(text: string, syntax: CommentSyntax): Directive[] {
  const lines = new LineIndex(text);
  const out: Directive[] = [];
  let comments: Array<[number, number]> | undefined;
  let comment = 0;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStarts[line];
    const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : text.length;
    const content = text.slice(start, end).replace(/\r?\n$/, '');
    const match = DIRECTIVE.exec(content);
    if (!match) continue;
    const at = match.index + match[1].length;
    if (syntax === 'yaml') {
      // Only a `#` the lexer reads as (inside) a comment: lexed once, lazily, walked in step with the lines.
      if (content[at] !== '#') continue;
      comments ??= yamlCommentSpans(text);
      while (comment < comments.length && comments[comment][1] <= start + at) comment++;
      if (comment >= comments.length || comments[comment][0] > start + at) continue;
    }
    // "-- why" after the ids is a reason, as in ESLint.
    const list = match[3].split(/\s--\s|^--\s/)[0];
    const ids = list
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter(Boolean);
    out.push({
      scope: match[2] as Directive['scope'],
      ids,
      line,
      range: { start: { line, character: at }, end: { line, character: content.length } },
    });
  }
  return out;
}

/**
 * A file's findings with the user's control applied: levels (off drops a finding, a severity
 * replaces its own), then disable comments; unused or unknown directives are reported. Linear in
 * findings + directives: a finding looks only at its line's directives and the file-wide ones by id.
 */
export function applyRuleControl(
  findings: readonly Finding[],
  text: string,
  levels: RuleLevels[],
  syntax: CommentSyntax = 'yaml',
): Finding[] {
  // A repeated request with nothing changed (the same findings, text, levels and syntax) gets the last answer.
  const last = applied.get(findings);
  if (
    last &&
    last.text === text &&
    last.syntax === syntax &&
    last.levels.length === levels.length &&
    last.levels.every((l, i) => l === levels[i] || (l.length === 0 && levels[i].length === 0))
  )
    return [...last.result];
  const result = controlled(findings, text, levels, syntax);
  applied.set(findings, { text, levels: [...levels], syntax, result });
  return [...result];
}

/** The last result of applyRuleControl for each findings array (dropped with the array). */
const applied = new WeakMap<
  readonly Finding[],
  { text: string; levels: RuleLevels[]; syntax: CommentSyntax; result: readonly Finding[] }
>();

function controlled(findings: readonly Finding[], text: string, levels: RuleLevels[], syntax: CommentSyntax): Finding[] {
  const leveled: Finding[] = [];
  const levelById = new Map<string, RuleLevel | undefined>();
  const cachedLevel = (id: string) => {
    if (!levelById.has(id)) levelById.set(id, levelOf(id, ...levels));
    return levelById.get(id);
  };
  for (const finding of findings) {
    const level = cachedLevel(finding.ruleId);
    if (level === 'off') continue;
    leveled.push(level && level !== finding.severity ? { ...finding, severity: level } : finding);
  }
  const index = directiveIndexOf(text, syntax);
  const directives = index.directives;
  if (directives.length === 0) return leveled;
  const used: Array<Set<string> | undefined> = [];
  const kept: Finding[] = [];
  for (const finding of leveled) {
    // The first directive in the text that applies, as a scan in order would find it.
    let suppressing = index.fileAll;
    const byId = index.fileById.get(finding.ruleId);
    if (byId !== undefined && (suppressing < 0 || byId < suppressing)) suppressing = byId;
    for (const i of index.byLine.get(finding.range.start.line) ?? []) {
      if ((suppressing < 0 || i < suppressing) && (directives[i].ids.length === 0 || directives[i].ids.includes(finding.ruleId)))
        suppressing = i;
    }
    if (suppressing >= 0) (used[suppressing] ??= new Set()).add(finding.ruleId);
    else kept.push(finding);
  }
  const unusedLevel = cachedLevel(UNUSED_DISABLE);
  if (unusedLevel === 'off') return kept;
  const severity = (unusedLevel as Severity | undefined) ?? 'information';
  directives.forEach((d, i) => {
    const usedIds = used[i];
    const unknown = d.ids.filter((id) => !ruleMeta(id));
    const unused = d.ids.length === 0 ? (usedIds?.size ? [] : ['']) : d.ids.filter((id) => ruleMeta(id) && !usedIds?.has(id));
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
  });
  return kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * The keys of a project config's `rules` that name no rule (a typo changes nothing): a warning on
 * each; and a rule key or `ignore` glob that cannot be compiled (too long, malformed): an error.
 */
export function unknownRuleKeys(
  keys: ReadonlyArray<Value<string>>,
  chunkLine: number,
  ignoreGlobs: ReadonlyArray<Value<string>> = [],
): Finding[] {
  const ids = new Set(RULES.map((rule) => rule.meta.id));
  const at = (range: Range): Range => ({
    start: { line: range.start.line + chunkLine, character: range.start.character },
    end: { line: range.end.line + chunkLine, character: range.end.character },
  });
  const shown = (pattern: string) => JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern);
  const findings: Finding[] = [];
  let unknown = 0;
  for (const key of keys) {
    const problem = globProblem(key.value);
    if (problem)
      findings.push({
        ruleId: 'schema',
        severity: 'error',
        message: `${shown(key.value)} is not a valid rule id glob (${problem}), so it changes nothing.`,
        range: at(key.range),
      });
    else if (!ids.has(key.value) && !(isGlob(key.value) && RULES.some((rule) => matchesGlob(key.value, rule.meta.id))))
      findings.push({
        ruleId: 'schema',
        severity: 'warning',
        message: `"${key.value}" names no Cluster Preflight rule, so it changes nothing; ${didYouMean(key.value, unknown++)}\`cluster-preflight --list-rules\` lists them.`,
        range: at(key.range),
      });
  }
  for (const glob of ignoreGlobs) {
    const problem = globProblem(glob.value);
    if (problem)
      findings.push({
        ruleId: 'schema',
        severity: 'error',
        message: `${shown(glob.value)} is not a valid glob (${problem}), so it ignores nothing.`,
        range: at(glob.range),
      });
  }
  return findings;
}

/** Suggestions for the first unknown keys only: a config of a hundred thousand typos stays linear. */
const MAX_SUGGESTIONS = 100;

function didYouMean(key: string, index: number): string {
  const suggestion =
    index < MAX_SUGGESTIONS
      ? closestName(
          key,
          RULES.map((rule) => rule.meta.id),
        )
      : undefined;
  return suggestion ? `did you mean "${suggestion}"? ` : '';
}
