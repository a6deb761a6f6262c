import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/analysis/sourceFile';
import { Workspace } from '../engine/analysis/workspace';
import type { Finding } from '../engine/core/findings';
import { megabytes } from '../engine/sources/kind';
import { parseSize, readSource } from '../node/files';
import { discover, PathError } from './discover';
import { formatJson, formatText, totals, type FileFindings } from './format';
import { formatSarif } from './sarif';
import { VERSION } from '../version';

const USAGE = `Usage: cluster-preflight [options] <file-or-directory>...

Checks Kubernetes cluster inventories, kubeadm configs and Service manifests.
Directories are searched recursively for *.yaml, *.yml and *.ini (node_modules and .git skipped).

Options:
  --format <text|json|sarif>  output format (default: text)
  --exit-zero                 exit 0 even when errors are found (usage and I/O problems still exit 2)
  --max-file-size <size>      skip files above this size, such as 25MB (default: 10MB)
  -h, --help                  show this help
  -v, --version               show the version

Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problem.
`;

interface Writable {
  write(text: string): unknown;
}

export function runCli(argv: string[], stdout: Writable, stderr: Writable): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'exit-zero': { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    stderr.write(`cluster-preflight: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    stdout.write(`${VERSION}\n`);
    return 0;
  }
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) {
    stderr.write(`cluster-preflight: unknown --format "${format}"; use text, json or sarif\n`);
    return 2;
  }
  if (positionals.length === 0) {
    stderr.write(`cluster-preflight: no files or directories given\n\n${USAGE}`);
    return 2;
  }

  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (values['max-file-size'] !== undefined) {
    const parsed = parseSize(values['max-file-size']);
    if (parsed === undefined) {
      stderr.write(
        `cluster-preflight: --max-file-size "${values['max-file-size']}" is not a size; write it as 25MB, 500KB or a number of bytes\n`,
      );
      return 2;
    }
    maxFileSize = parsed;
  }
  const warn = (message: string) => stderr.write(`cluster-preflight: warning: ${message}\n`);
  const workspace = new Workspace({ maxFileSize, log: (message) => stderr.write(`cluster-preflight: ${message}\n`) });
  const roots: string[] = [];
  const paths = new Set<string>();
  const named = new Set<string>();
  try {
    for (const arg of positionals) {
      const found = discover(arg, warn);
      roots.push(pathToFileURL(found.root).href + (found.isDirectory ? '/' : ''));
      if (!found.isDirectory) named.add(found.root);
      for (const file of found.files) paths.add(file);
    }
    for (const path of [...paths]) {
      const source = readSource(path, maxFileSize);
      const uri = pathToFileURL(path).href;
      if (!source.ok) {
        // A file named on the command line must be readable; one found in a directory is skipped.
        if (named.has(path)) throw new PathError(`${path}: cannot read (${source.problem})`);
        warn(`${path}: cannot read (${source.problem}); skipped`);
        paths.delete(path);
      } else if ('head' in source) {
        warn(`${path}: ${megabytes(source.size)}, above the ${megabytes(maxFileSize)} limit (--max-file-size); not checked`);
        workspace.setOversized(uri, source.head, source.size);
      } else {
        workspace.setText(uri, source.text);
      }
    }
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    stderr.write(`cluster-preflight: ${error.message}\n`);
    return 2;
  }
  workspace.setRoots(roots);

  const results: FileFindings[] = [];
  for (const path of [...paths].sort()) {
    let findings: Finding[];
    try {
      findings = workspace.findings(pathToFileURL(path).href);
    } catch (error) {
      // A failure the engine's own guards did not catch still costs only this file.
      stderr.write(`cluster-preflight: checking ${path} failed: ${(error as Error)?.stack ?? String(error)}\n`);
      findings = [
        {
          ruleId: 'internal-error',
          severity: 'error',
          message: `Checking this file failed (${(error as Error)?.message ?? String(error)}). This is a bug in Cluster Preflight, not in the file; please report it.`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ];
    }
    if (findings.length) results.push({ path, findings });
  }
  const uriToPath = (uri: string) => fileURLToPath(uri);
  const t = totals(results, paths.size);
  if (format === 'json') stdout.write(formatJson(results, uriToPath));
  else if (format === 'sarif') stdout.write(formatSarif(results, process.cwd(), VERSION, uriToPath));
  else stdout.write(formatText(results, t));
  return t.errors > 0 && !values['exit-zero'] ? 1 : 0;
}
