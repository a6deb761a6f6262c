import type { Workspace } from '../analysis/workspace';
import type { TextEdit } from '../core/edits';
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

/**
 * Every safe fix of a file at once (source.fixAll): each rule's preferred fix for its findings
 * (a node's missing port rules in one edit, a key's "did you mean", a reversed range), skipping
 * any whose edits would touch text another chosen fix edits.
 */
export function fixAll(workspace: Workspace, uri: string, log: (message: string) => void = () => {}): TextEdit[] {
  if (!workspace.file(uri)) return [];
  const diagnostics = workspace.findings(uri).map((f) => ({ range: f.range, code: f.ruleId, source: SOURCE, data: f.data }));
  const chosen: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
  for (const fix of codeActions(workspace, uri, diagnostics, log)) {
    if (!fix.isPreferred) continue;
    if (fix.edits.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    chosen.push(...fix.edits);
  }
  return chosen;
}

/** a ends before b starts (touching ends count as apart, except two insertions at one point). */
function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
