import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Workspace } from '../engine/analysis/workspace';
import { discover, PathError } from './discover';
import { formatJson, formatText, totals, type FileFindings } from './format';
import { formatSarif } from './sarif';
import { VERSION } from '../version';

const USAGE = `Usage: cluster-preflight [options] <file-or-directory>...

Checks Kubernetes cluster inventories, kubeadm configs and Service manifests.
Directories are searched recursively for *.yaml and *.yml (node_modules and .git skipped).

Options:
  --format <text|json|sarif>  output format (default: text)
  --exit-zero                 exit 0 even when errors are found (usage and I/O problems still exit 2)
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

  const workspace = new Workspace();
  const roots: string[] = [];
  const paths = new Set<string>();
  try {
    for (const arg of positionals) {
      const found = discover(arg);
      roots.push(pathToFileURL(found.root).href + (found.isDirectory ? '/' : ''));
      for (const file of found.files) paths.add(file);
    }
    for (const path of paths) workspace.setText(pathToFileURL(path).href, readText(path));
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    stderr.write(`cluster-preflight: ${error.message}\n`);
    return 2;
  }
  workspace.setRoots(roots);

  const results: FileFindings[] = [];
  for (const path of [...paths].sort()) {
    const findings = workspace.findings(pathToFileURL(path).href);
    if (findings.length) results.push({ path, findings });
  }
  const uriToPath = (uri: string) => fileURLToPath(uri);
  const t = totals(results, paths.size);
  if (format === 'json') stdout.write(formatJson(results, uriToPath));
  else if (format === 'sarif') stdout.write(formatSarif(results, process.cwd(), VERSION, uriToPath));
  else stdout.write(formatText(results, t));
  return t.errors > 0 && !values['exit-zero'] ? 1 : 0;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new PathError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
