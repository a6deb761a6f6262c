import type { SourceFile } from '../analysis/sourceFile';
import type { Workspace } from '../analysis/workspace';
import type { TextEdit } from '../core/edits';
import { INTERNAL_ERROR, SCHEMA, YAML_SYNTAX, type Finding } from '../core/findings';
import { Rewrite } from '../core/text/rewrite';
import type { Position } from '../core/text/positions';
import { RULES } from '../rules/catalogue';
import type { DiagnosticRef, FixRequest, QuickFix } from '../rules/types';
import { parseYaml, type ParsedYaml } from '../core/yaml/parse';
import { locate } from './locate';

export type { DiagnosticRef, QuickFix } from '../rules/types';

const SOURCE = 'cluster-preflight';

/**
 * Quick-fixes for the request's diagnostics: each rule with fixes gets its own diagnostics
 * and the file as it is now, in a guard of its own (one failing fix never hides the others).
 * The YAML around an offset is parsed at most once per request.
 */
export function codeActions<D extends DiagnosticRef>(
  workspace: Workspace,
  uri: string,
  diagnostics: readonly D[],
  log: (message: string) => void = () => {},
): Array<QuickFix & { diagnostics: D[] }> {
  const file = workspace.file(uri);
  if (!file) return [];
  const ours = diagnostics.filter((d) => !d.source || d.source === SOURCE);
  if (ours.length === 0) return [];
  // One parse per piece of YAML (a node item, or a document) for the whole request.
  const parsed = new Map<string, ParsedYaml>();
  const parse = (start: number, end: number) => {
    const key = `${start}:${end}`;
    let result = parsed.get(key);
    if (!result) parsed.set(key, (result = parseYaml(file.text.slice(start, end))));
    return result;
  };
  const request: Omit<FixRequest, 'diagnostics'> = {
    uri,
    allDiagnostics: ours,
    text: file.text,
    positionAt: (offset) => file.buffer.positionAt(offset),
    offsetAt: (position) => file.buffer.offsetAt(position),
    documents: file.documents,
    locate: (offset) => locate(file, offset, parse),
    placement: workspace.lastView(uri).placement,
  };
  const fixes: Array<QuickFix & { diagnostics: D[] }> = [];
  for (const rule of RULES) {
    if (!rule.fixes) continue;
    const mine = ours.filter((d) => d.code === rule.meta.id);
    if (mine.length === 0) continue;
    try {
      fixes.push(...(rule.fixes({ ...request, diagnostics: mine }) as Array<QuickFix & { diagnostics: D[] }>));
    } catch (error) {
      log(`quick-fixes of ${rule.meta.id} failed on ${uri}: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
  fixes.push(
    ...disableComments(
      file.text,
      (o) => file.buffer.positionAt(o),
      (p) => file.buffer.offsetAt(p),
      ours,
    ),
  );
  return fixes;
}

const NEXT_LINE = /^(\s*)#\s*cluster-preflight-disable-next-line\b([^\n\r]*)$/;

/**
 * "Disable <id> for this line": writes `# cluster-preflight-disable-next-line <id>` above the
 * diagnostic's line, indented like it, or adds the id to such a comment already there.
 */
function disableComments<D extends DiagnosticRef>(
  text: string,
  positionAt: (offset: number) => Position,
  offsetAt: (position: Position) => number,
  diagnostics: readonly D[],
): Array<QuickFix & { diagnostics: D[] }> {
  const out: Array<QuickFix & { diagnostics: D[] }> = [];
  const done = new Set<string>();
  for (const diagnostic of diagnostics) {
    const id = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    const line = diagnostic.range.start.line;
    if (!id || id === 'unused-disable' || done.has(`${line}:${id}`)) continue;
    done.add(`${line}:${id}`);
    const lineStart = offsetAt({ line, character: 0 });
    const lineText = text.slice(lineStart, text.indexOf('\n', lineStart) < 0 ? text.length : text.indexOf('\n', lineStart));
    const eol = lineText.endsWith('\r') ? '\r\n' : '\n';
    const indent = /^\s*/.exec(lineText)![0];
    let edit: TextEdit;
    const previousStart = line > 0 ? offsetAt({ line: line - 1, character: 0 }) : -1;
    const previous = previousStart >= 0 ? text.slice(previousStart, lineStart).replace(/\r?\n$/, '') : '';
    const existing = NEXT_LINE.exec(previous);
    if (existing) {
      const ids = existing[2].split(/\s--\s/)[0];
      if (ids.split(/[\s,]+/).includes(id)) continue;
      // Before a " -- reason", if there is one.
      const at = previousStart + previous.length - (existing[2].length - ids.trimEnd().length);
      edit = { range: { start: positionAt(at), end: positionAt(at) }, newText: ids.trim() ? `, ${id}` : ` ${id}` };
    } else {
      edit = {
        range: { start: positionAt(lineStart), end: positionAt(lineStart) },
        newText: `${indent}# cluster-preflight-disable-next-line ${id}${eol}`,
      };
    }
    out.push({ title: `Disable ${id} for this line`, edits: [edit], isPreferred: false, diagnostics: [diagnostic] });
  }
  return out;
}

/** At most this many rounds of fixes: each round's are computed on the text the last one left. */
const FIX_ALL_ROUNDS = 10;

/** Findings that say a file is not well-formed: a round of fixes that adds one is not applied. */
const WELL_FORMEDNESS: ReadonlySet<string> = new Set([YAML_SYNTAX, SCHEMA, INTERNAL_ERROR]);

/** Rules whose fixes add what is missing: they wait for a round without corrections. */
const ADDING_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.fixesAddMissing).map((r) => r.meta.id));

/**
 * Every safe fix of a file at once (source.fixAll, fix-on-save), applied until none is left: each
 * round takes each rule's preferred fix for its findings (a node's missing port rules in one edit, a
 * key's "did you mean", a reversed range), skipping any whose edits would touch text another chosen
 * fix edits, and the fixes that add missing entries wait for a round with nothing to correct (a
 * corrected protocol may be the entry that was missing). The file is then analysed again as a draft
 * in its cluster, and the next round fixes what is left, until nothing is, no text changes, a round
 * leaves as many findings of fixable rules as before, or FIX_ALL_ROUNDS. A round that would leave the file less well-formed (a new yaml-syntax, schema or
 * internal-error finding, or documents no longer read as the kinds they were) is not applied, nor
 * any after it. The result is one set of minimal edits of the original text: every byte no fix
 * changed (comments, BOM, CRLF) stays outside them, and fix-all on its result has nothing to do.
 * The workspace is left as it was.
 */
export function fixAll(workspace: Workspace, uri: string, log: (message: string) => void = () => {}): TextEdit[] {
  const file = workspace.file(uri);
  if (!file) return [];
  let findings = workspace.findings(uri);
  let edits = chooseFixes(workspace, uri, findings, log);
  if (edits.length === 0) return [];
  const original = file.buffer;
  let done = Rewrite.of(original.text);
  // A round after which the file reads as other kinds of documents (or as none of ours) is not applied.
  const kinds = kindsOf(file);
  workspace.withDraft(uri, (draft) => {
    let buffer = original;
    const seen = new Set([done.text]);
    for (let round = 0; round < FIX_ALL_ROUNDS && edits.length > 0; round++) {
      const next = done.apply(
        edits.map((e) => ({ start: buffer.offsetAt(e.range.start), end: buffer.offsetAt(e.range.end), text: e.newText })),
      );
      if (seen.has(next.text)) break; // no progress, or back to an earlier text
      seen.add(next.text);
      const drafted = draft(next.text);
      buffer = drafted.buffer;
      const after = workspace.findings(uri);
      if (kindsOf(drafted) !== kinds || lessWellFormed(findings, after)) break;
      // A round that leaves as many findings of fixable rules as before fixed nothing: it is not applied.
      if (countFixable(after) >= countFixable(findings)) break;
      done = next;
      findings = after;
      edits = chooseFixes(workspace, uri, findings, log);
    }
  });
  return done.edits().map((e) => ({
    range: { start: original.positionAt(e.start), end: original.positionAt(e.end) },
    newText: e.text,
  }));
}

/** One round of fix-all: the preferred fixes that do not overlap, corrections before additions. */
function chooseFixes(
  workspace: Workspace,
  uri: string,
  findings: readonly Finding[],
  log: (message: string) => void,
): TextEdit[] {
  const diagnostics = findings.map((f) => ({ range: f.range, code: f.ruleId, source: SOURCE, data: f.data }));
  const chosen: TextEdit[] = [];
  const additions: TextEdit[][] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
  const take = (edits: readonly TextEdit[]) => {
    if (!edits.some((e) => chosen.some((c) => overlaps(e, c)))) chosen.push(...edits);
  };
  for (const fix of codeActions(workspace, uri, diagnostics, log)) {
    if (!fix.isPreferred) continue;
    if (fix.diagnostics.some((d) => ADDING_RULES.has(String(d.code)))) additions.push(fix.edits);
    else take(fix.edits);
  }
  if (chosen.length === 0) for (const edits of additions) take(edits);
  return chosen;
}

/** Rules that have quick-fixes. */
const FIXABLE_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.fixes).map((r) => r.meta.id));

function countFixable(findings: readonly Finding[]): number {
  return findings.filter((f) => FIXABLE_RULES.has(f.ruleId)).length;
}

/** What kinds of documents a file holds, in order. */
function kindsOf(file: SourceFile): string {
  return file.documents.map((d) => d.kind.id).join(',');
}

/** Whether `after` has a yaml-syntax, schema or internal-error finding `before` did not have (by message). */
function lessWellFormed(before: readonly Finding[], after: readonly Finding[]): boolean {
  const counts = new Map<string, number>();
  for (const f of before)
    if (WELL_FORMEDNESS.has(f.ruleId))
      counts.set(`${f.ruleId}\n${f.message}`, (counts.get(`${f.ruleId}\n${f.message}`) ?? 0) + 1);
  for (const f of after) {
    if (!WELL_FORMEDNESS.has(f.ruleId)) continue;
    const key = `${f.ruleId}\n${f.message}`;
    const left = counts.get(key) ?? 0;
    if (left === 0) return true;
    counts.set(key, left - 1);
  }
  return false;
}

/** a ends before b starts (touching ends count as apart, except two insertions at one point). */
function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
