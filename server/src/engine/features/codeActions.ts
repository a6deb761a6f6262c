import type { Workspace } from '../analysis/workspace';
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
  return fixes;
}
