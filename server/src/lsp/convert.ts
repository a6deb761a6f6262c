import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine/core/findings';
import { ruleMeta } from '../engine/rules/catalogue';

export const SOURCE = 'cluster-preflight';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic: rule id in `code`, its Kubernetes docs in `codeDescription`. */
export function toDiagnostic(
  finding: Finding,
  uri: string,
  clientUri: (uri: string) => string,
  withRelated: boolean,
): Diagnostic {
  const docs = ruleMeta(finding.ruleId)?.docs;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  if (docs) diagnostic.codeDescription = { href: docs };
  if (finding.data !== undefined) diagnostic.data = finding.data;
  if (withRelated && finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: clientUri(r.uri ?? uri), range: r.range },
      message: r.message,
    }));
  }
  return diagnostic;
}
