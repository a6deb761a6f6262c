/**
 * Helpers of the end-to-end suite. They run inside a real VS Code extension host (desktop
 * VS Code through @vscode/test-electron, or code-server's) and use the `vscode` API only.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const SOURCE = 'cluster-preflight';
export const EXTENSION_ID = 'cluster-preflight.cluster-preflight';
export const PORTS_DOCS = 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/';

/** A file of the fixture workspace (test/e2e/fixture), which the runners open as the workspace folder. */
export function fixtureUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the runner must open test/e2e/fixture');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** The diagnostics Cluster Preflight published for a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code === undefined) return '<none>';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function targetOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? d.code.target.toString(true) : undefined;
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

const SEVERITY = ['error', 'warning', 'information', 'hint'];

export function severityName(s: vscode.DiagnosticSeverity): string {
  return SEVERITY[s] ?? String(s);
}

/** One line per diagnostic, sorted: `line:col-line:col severity code [source] message`. */
export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '    (none)';
  return diagnostics
    .map((d) => `    ${rangeText(d.range)} ${severityName(d.severity)} ${codeOf(d)} [${d.source ?? 'no source'}] ${d.message}`)
    .sort()
    .join('\n');
}

export function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

// ---------------------------------------------------------------------------------------------
// A record of every diagnostics change, so that a failure can say what the editor saw and when.

interface Seen {
  at: number;
  uri: string;
  diagnostics: string;
}
const history: Seen[] = [];
const started = Date.now();

export function recordDiagnostics(): vscode.Disposable {
  return vscode.languages.onDidChangeDiagnostics((event) => {
    for (const uri of event.uris) {
      if (uri.scheme !== 'file' && uri.scheme !== 'untitled' && uri.scheme !== 'vscode-remote') continue;
      history.push({ at: Date.now() - started, uri: relative(uri), diagnostics: describeDiagnostics(ours(uri)) });
    }
  });
}

/** What the editor showed: every document's diagnostics now, and the last changes seen. */
export function diagnosticsReport(limit = 25): string {
  const now = vscode.languages
    .getDiagnostics()
    .filter(([uri]) => uri.scheme !== 'output')
    .map(([uri, diagnostics]) => `  ${relative(uri)}:\n${describeDiagnostics(diagnostics)}`)
    .join('\n');
  const changes = history
    .slice(-limit)
    .map((s) => `  +${s.at} ms ${s.uri}:\n${s.diagnostics}`)
    .join('\n');
  return `Diagnostics in the editor now (all sources):\n${now || '  (none at all)'}\nLast ${Math.min(limit, history.length)} of ${history.length} diagnostics changes seen (cluster-preflight only):\n${changes || '  (no change event was seen)'}`;
}

// ---------------------------------------------------------------------------------------------
// Waiting: event-driven on onDidChangeDiagnostics, never a fixed sleep.

export const DIAGNOSTICS_TIMEOUT = Number(process.env.CLUSTER_PREFLIGHT_E2E_DIAGNOSTICS_TIMEOUT ?? 20_000);

/**
 * Resolves with the document's Cluster Preflight diagnostics as soon as they satisfy `predicate`
 * (checked now and on every onDidChangeDiagnostics event for the document). Rejects after
 * `timeout` ms with `what` was expected and what was seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeout = DIAGNOSTICS_TIMEOUT,
): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  return new Promise((resolve, reject) => {
    const satisfied = (): vscode.Diagnostic[] | undefined => {
      const diagnostics = ours(uri);
      try {
        return predicate(diagnostics) ? diagnostics : undefined;
      } catch {
        return undefined;
      }
    };
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === key)) return;
      const diagnostics = satisfied();
      if (diagnostics) {
        finish();
        resolve(diagnostics);
      }
    });
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `Timed out after ${timeout} ms waiting for ${what} in ${relative(uri)}.\n` +
            `Its cluster-preflight diagnostics at the time:\n${describeDiagnostics(ours(uri))}\n${diagnosticsReport()}`,
        ),
      );
    }, timeout);
    const now = satisfied();
    if (now) {
      finish();
      resolve(now);
    }
  });
}

/** A predicate: the diagnostics' codes are exactly `codes` (as a multiset). */
export function codesAre(codes: readonly string[]): (diagnostics: vscode.Diagnostic[]) => boolean {
  const expected = [...codes].sort().join(',');
  return (diagnostics) => diagnostics.map(codeOf).sort().join(',') === expected;
}

// ---------------------------------------------------------------------------------------------
// Documents

export async function open(relativePath: string, show = true): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  if (show) await vscode.window.showTextDocument(document, { preview: false });
  assert.equal(document.languageId, 'yaml', `${relativePath} should open as YAML`);
  return document;
}

/** Drops unsaved changes: the fixture files on disk are never written. */
export async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(document.isDirty, false, `${relative(document.uri)} could not be reverted`);
}

/** The range of the `nth` occurrence of `needle` in the document. */
export function rangeOf(document: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  const text = document.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" occurs fewer than ${nth + 1} times in ${relative(document.uri)}`);
  }
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}
