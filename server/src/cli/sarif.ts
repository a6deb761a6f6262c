import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../engine/core/findings';
import { RULES } from '../engine/rules/catalogue';
import type { FileFindings } from './format';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: stable rule ids, real regions,
 * related locations for the other party of a duplicate or conflict, and the Kubernetes
 * docs link both as helpUri and inside help (GitHub shows only the latter).
 */
export function formatSarif(
  results: readonly FileFindings[],
  baseDir: string,
  version: string,
  uriToPath: (uri: string) => string,
): string {
  // A URI reference, not a path: each segment percent-encoded (a space, `#`, `%`, `?`, a `:` that would read as a scheme).
  const artifactUri = (path: string) => relative(baseDir, path).split(sep).map(encodeURIComponent).join('/');
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const sarifResults = [];
  for (const { path, findings } of results) {
    for (const f of findings) {
      sarifResults.push({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          { physicalLocation: { artifactLocation: { uri: artifactUri(path), uriBaseId: '%SRCROOT%' }, region: region(f.range) } },
        ],
        relatedLocations: (f.related ?? []).map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: {
            artifactLocation: { uri: artifactUri(r.uri ? uriToPath(r.uri) : path), uriBaseId: '%SRCROOT%' },
            region: region(r.range),
          },
        })),
      });
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cluster-preflight',
            version,
            informationUri: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
            rules: RULES.map(({ meta }) => ({
              id: meta.id,
              name: meta.id,
              shortDescription: { text: meta.title },
              fullDescription: { text: meta.description },
              ...(meta.docs ? { helpUri: meta.docs } : {}),
              help: {
                text: `${meta.description}${meta.docs ? ` See ${meta.docs}` : ''}`,
                markdown: `${meta.description}${meta.docs ? `\n\n[Kubernetes documentation](${meta.docs})` : ''}`,
              },
              defaultConfiguration: { level: LEVEL[meta.severity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(baseDir).href.replace(/\/?$/, '/') } },
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
