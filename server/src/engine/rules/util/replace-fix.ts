import type { DiagnosticRef, FixRequest, QuickFix } from '../types';

/** What a finding carries when one certain replacement fixes it: the text at its range, and what it becomes. */
export interface Replacement {
  from: string;
  to: string;
}

export function replacementData(from: string, to: string): { replacement: Replacement } {
  return { replacement: { from, to } };
}

function replacementOf(diagnostic: DiagnosticRef): Replacement | undefined {
  const data = diagnostic.data as { replacement?: Replacement } | undefined;
  const r = data?.replacement;
  return r && typeof r.from === 'string' && typeof r.to === 'string' ? r : undefined;
}

/**
 * One fix per diagnostic that carries a replacement, made from the file as it is now: offered
 * only when the diagnostic's range still holds the text it was about (inside quotes, if quoted),
 * so that a stale diagnostic never edits the wrong text.
 */
export function replacementFixes(request: FixRequest, title: (r: Replacement) => string): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const diagnostic of request.diagnostics) {
    const replacement = replacementOf(diagnostic);
    if (!replacement) continue;
    const start = request.offsetAt(diagnostic.range.start);
    const end = request.offsetAt(diagnostic.range.end);
    const text = request.text.slice(start, end);
    const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0];
    const inner = quoted ? text.slice(1, -1) : text;
    if (inner !== replacement.from) continue;
    const from = quoted ? start + 1 : start;
    fixes.push({
      title: title(replacement),
      edits: [
        { range: { start: request.positionAt(from), end: request.positionAt(from + inner.length) }, newText: replacement.to },
      ],
      isPreferred: true,
      diagnostics: [diagnostic],
    });
  }
  return fixes;
}
