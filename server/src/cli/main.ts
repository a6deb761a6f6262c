import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readProjectConfig, type RuleLevel } from '../engine/analysis/ruleControl';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/analysis/sourceFile';
import { Workspace } from '../engine/analysis/workspace';
import type { Finding } from '../engine/core/findings';
import { RULES } from '../engine/rules/catalogue';
import { closestName } from '../engine/schema/suggest';
import { parseSize } from '../node/files';
import { loadPaths, parseProblem, usageError, type CliEnvironment, type Writable } from './load';
import { colorsFor, displayPath, formatJson, formatText, totals, type FileFindings } from './format';
import { clusterMapData } from '../engine/features/clusterMap';
import { clusterMapHtml } from '../engine/features/clusterMapHtml';
import { clusterRequirements, nodeOutput, undescribedGroups } from '../engine/features/requirements';
import { formatSarif } from './sarif';
import { printableLines } from './printable';
import { VERSION } from '../version';
import { runFirewall } from './firewall';

export type { CliEnvironment };

const USAGE = `Usage: cluster-preflight [options] <file-or-directory>...
       cluster-preflight [options] - --stdin-filename <path>
       cluster-preflight --list-rules [--format json|sarif]
       cluster-preflight firewall [options] <file-or-directory>...   (see firewall --help)

Checks Kubernetes cluster descriptions: Cluster Preflight inventories, Kubespray inventories
(YAML and INI), k0sctl and k0s configs, RKE2/K3s node configs, kubeadm, kubelet and kube-proxy
configs, NodePort Services, and AWS security groups in Terraform. Directories are searched
recursively for *.yaml, *.yml, *.ini, *.tf and *.tfvars (node_modules and .git skipped). A file named alone is checked with the files of its
directory as its cluster's context, so it reports what checking the directory reports for it
(inside its repository or the working directory only; elsewhere it is checked alone).

Options:
  --format <text|json|sarif|html>
                               output format (default: text); json lists the findings and each
                               cluster's nodes with the ports they need and whether they are open;
                               html is a self-contained report with each cluster's map (port
                               matrix, flows, settings, findings)
  --config <file>              use this .cluster-preflight.yaml for every file (default: the
                               nearest one above each file, up to its repository's root: the
                               nearest directory with .git, else the working directory)
  --disable <ids>              turn rules off, comma-separated ids or globs (repeatable)
  --fail-on <error|warning|never>
                               exit 1 when there are errors (default), warnings or errors, or never
  --exit-zero                  the same as --fail-on never
  --quiet                      report errors only
  --color <auto|always|never>  colour the text output (default: auto: a terminal, and no NO_COLOR)
  --stdin-filename <path>      the path of the text read from "-" (standard input)
  --max-file-size <size>       skip files above this size, such as 25MB (default: 10MB)
  --strict                     exit 2 when a file found could not be checked (unreadable, not a
                               regular file, a name that is not UTF-8, above --max-file-size);
                               by default such a file is skipped with a warning
  --list-rules                 list the rules (id, default severity, title, docs) and exit;
                               --format json or sarif lists them as JSON or as a SARIF log
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 no problem that fails the run, 1 problems found (see --fail-on), 2 usage or I/O problem
(with --strict, also a file found but not checked).

Examples:
  cluster-preflight .                                  check a repository
  cluster-preflight --format sarif . > preflight.sarif for code scanning
  cluster-preflight --disable etcd-quorum,nodeport-* inventory/
  cat hosts.yaml | cluster-preflight - --stdin-filename inventory/lab/hosts.yaml
  cluster-preflight firewall --format ufw inventory/  the firewall rules each node needs
`;

export function runCli(argv: string[], stdout: Writable, rawStderr: Writable, environment: CliEnvironment = {}): number {
  const env = environment.env ?? process.env;
  // Warnings name files and quote their problems: escaped like the text output, so a file name cannot forge a line.
  const stderr: Writable = { write: (text: string) => rawStderr.write(printableLines(text)) };
  // A subcommand only as the first word: `cluster-preflight ./firewall` still checks a folder of that name.
  if (argv[0] === 'firewall') return runFirewall(argv.slice(1), stdout, stderr, environment);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        disable: { type: 'string', multiple: true },
        'fail-on': { type: 'string' },
        'exit-zero': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        color: { type: 'string', default: 'auto' },
        'stdin-filename': { type: 'string' },
        'max-file-size': { type: 'string' },
        'list-rules': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    return usageError(stderr, parseProblem(error));
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
  if (!['text', 'json', 'sarif', 'html'].includes(format))
    return usageError(stderr, `unknown --format "${format}"; use text, json, sarif or html`);
  if (values['list-rules']) {
    // SARIF's rule list is its tool.driver.rules: a log with every rule and no results, what code scanning reads.
    if (format === 'sarif') stdout.write(formatSarif([], process.cwd(), VERSION, (uri) => uri));
    else if (format === 'html') return usageError(stderr, '--list-rules prints text, json or sarif, not html');
    else stdout.write(listRules(format));
    return 0;
  }
  const failOn = values['exit-zero'] ? 'never' : (values['fail-on'] ?? 'error');
  if (!['error', 'warning', 'never'].includes(failOn))
    return usageError(stderr, `unknown --fail-on "${failOn}"; use error, warning or never`);
  const colorMode = values.color!;
  if (!['auto', 'always', 'never'].includes(colorMode))
    return usageError(stderr, `unknown --color "${colorMode}"; use auto, always or never`);
  const color = colorMode === 'always' || (colorMode === 'auto' && !!stdout.isTTY && !env.NO_COLOR && env.TERM !== 'dumb');
  if (positionals.length === 0) return usageError(stderr, 'no files or directories given');
  const stdinName = values['stdin-filename'];
  if (positionals.includes('-') && !stdinName) return usageError(stderr, '"-" (standard input) needs --stdin-filename <path>');

  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (values['max-file-size'] !== undefined) {
    const size = parseSize(values['max-file-size']);
    if (size === undefined) {
      stderr.write(
        `cluster-preflight: --max-file-size "${values['max-file-size']}" is not a size; write it as 25MB, 500KB or a number of bytes\n`,
      );
      return 2;
    }
    maxFileSize = size;
  }
  const warn = (message: string) => stderr.write(`cluster-preflight: warning: ${message}\n`);
  /** Files found but not checked (unreadable, not a regular file, a name that is not UTF-8, above the size limit). */
  let skipped = 0;
  const warnSkipped = (message: string) => {
    skipped++;
    warn(message);
  };
  const workspace = new Workspace({ maxFileSize, log: (message) => stderr.write(`cluster-preflight: ${message}\n`) });

  const disabled = (values.disable ?? []).flatMap((list) =>
    list
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
  for (const id of disabled)
    if (!RULES.some((r) => r.meta.id === id) && !/[*?[\]{}]/.test(id)) {
      const suggestion = closestName(
        id,
        RULES.map((r) => r.meta.id),
      );
      warn(`--disable ${id}: no rule has this id${suggestion ? `; did you mean ${suggestion}?` : ''}`);
    }
  workspace.setRuleOverrides(disabled.map((id): [string, RuleLevel] => [id, 'off']));
  if (values.config !== undefined) {
    const path = resolve(values.config);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      stderr.write(
        `cluster-preflight: --config ${values.config}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
      );
      return 2;
    }
    workspace.setProjectConfig(readProjectConfig(pathToFileURL(dirname(path)).href + '/', text));
  }

  const loaded = loadPaths(workspace, positionals, stdinName, maxFileSize, environment, stderr, warn, warnSkipped);
  if (!loaded.ok) return loaded.code;
  const { reported } = loaded;

  const results: FileFindings[] = [];
  const clusters = new Set<string>();
  let checked = 0;
  for (const path of [...reported].sort()) {
    const uri = pathToFileURL(path).href;
    if (workspace.isIgnored(uri)) continue;
    checked++;
    let findings: Finding[];
    try {
      findings = workspace.findings(uri);
      if (workspace.file(uri)?.isOurs) clusters.add(workspace.clusterOf(uri));
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
  const all = totals(results, checked, clusters.size);
  const shown = values.quiet
    ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })).filter((r) => r.findings.length)
    : results;
  const uriToPath = (uri: string) => fileURLToPath(uri);
  /**
   * The clusters of the files checked, sorted by root then name: named by the declared or
   * anchor name, else by their root, or, where several unnamed clusters share a root (seven
   * k0sctl files in one folder), by the file that is the cluster; with a file of each, to ask for its model.
   */
  const clusterListing = () => {
    const described = [...clusters].map((id) => ({ id, ...workspace.describeCluster(id) }));
    const unnamedPerRoot = new Map<string, number>();
    for (const { name, root } of described) if (name === undefined) unnamedPerRoot.set(root, (unnamedPerRoot.get(root) ?? 0) + 1);
    const listing = described.map(({ id, name, root, files }) => {
      const rootPath = relative(process.cwd(), fileURLToPath(root)) === '' ? '.' : displayPath(fileURLToPath(root));
      const isFile = !id.endsWith('/') && !id.includes('#');
      const fallbackPath = isFile && unnamedPerRoot.get(root)! > 1 ? fileURLToPath(id) : fileURLToPath(root);
      // A name is never an absolute path: outside the working directory, the HTML report's short form.
      const fallback = fallbackPath === fileURLToPath(root) && rootPath === '.' ? '.' : namePath(fallbackPath);
      return {
        name: name ?? fallback,
        root: rootPath,
        files: files.map((f) => displayPath(fileURLToPath(f.uri))).sort(),
        uri: files[0]?.uri,
      };
    });
    return listing.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };
  const namePath = (path: string) => {
    const shown = displayPath(path);
    return isAbsolute(shown) ? reportPath(path, positionals) : shown;
  };
  /** A cluster's node requirements; a failure costs only this part of the output, as a failed file costs only its findings. */
  const requirementsOf = (uri: string | undefined) => {
    if (uri === undefined) return undefined;
    try {
      return clusterRequirements(workspace, uri);
    } catch (error) {
      stderr.write(
        `cluster-preflight: listing the requirements of ${fileURLToPath(uri)}'s cluster failed: ${(error as Error)?.stack ?? String(error)}\n`,
      );
      return undefined;
    }
  };
  if (format === 'html') {
    // One section per cluster of the files checked, in the order of their first file.
    const firsts = new Map<string, string>();
    for (const path of [...reported].sort()) {
      const uri = pathToFileURL(path).href;
      if (workspace.isIgnored(uri) || !workspace.file(uri)?.isOurs) continue;
      const id = workspace.clusterOf(uri);
      if (!firsts.has(id)) firsts.set(id, uri);
    }
    const maps = [...firsts.values()].map((uri) => clusterMapData(workspace, uri));
    stdout.write(
      clusterMapHtml(maps, {
        title: 'Cluster Preflight report',
        withProblems: true,
        displayPath: (uri) => reportPath(fileURLToPath(uri), positionals),
      }),
    );
  } else if (format === 'json') {
    // Which files were compared with each other, and what each node needs: per cluster.
    const listing = clusterListing().map(({ uri, ...cluster }) => ({
      ...cluster,
      nodes: requirementsOf(uri)?.nodes.map(nodeOutput) ?? [],
    }));
    stdout.write(formatJson(shown, uriToPath, listing));
  } else if (format === 'sarif') stdout.write(formatSarif(shown, process.cwd(), VERSION, uriToPath));
  else {
    const visible = totals(shown, checked, clusters.size);
    const hidden = {
      warnings: all.warnings - visible.warnings,
      others: all.others - visible.others,
      failTheRun: failOn === 'warning',
    };
    const listing = clusterListing();
    // What nodes without firewall data need, per role: the text output's only word on ports they cannot be checked for.
    const needs = values.quiet
      ? []
      : listing.flatMap(({ name, uri }) => {
          const groups = requirementsOf(uri);
          return groups ? [{ name, groups: undescribedGroups(groups) }] : [];
        });
    stdout.write(
      formatText(shown, visible, colorsFor(color), hidden, {
        clusterNames: listing.map((c) => c.name),
        undescribed: needs.filter((c) => c.groups.length > 0),
      }),
    );
  }
  const failing = failOn === 'never' ? 0 : failOn === 'warning' ? all.errors + all.warnings : all.errors;
  if (skipped > 0) {
    // One line CI logs show after the warnings: how many files the findings do not cover.
    const files = `${skipped} file${skipped === 1 ? '' : 's'}`;
    if (values.strict) {
      stderr.write(`cluster-preflight: ${files} found but not checked (see the warnings above); failing the run (--strict)\n`);
      return 2;
    }
    stderr.write(`cluster-preflight: ${files} found but not checked (see the warnings above); --strict fails the run on this\n`);
  }
  return failing > 0 ? 1 : 0;
}

/**
 * How the HTML report names a cluster's folder or file: relative to the working directory; the
 * working directory itself by its name; elsewhere relative to the folder holding the path given
 * (never a long absolute path for a heading).
 */
function reportPath(path: string, given: readonly string[]): string {
  const fromCwd = relative(process.cwd(), path);
  if (fromCwd === '') return basename(path) || '.';
  if (!fromCwd.startsWith('..') && !isAbsolute(fromCwd)) return fromCwd;
  const base = given
    .filter((arg) => arg !== '-')
    .map((arg) => resolve(arg))
    // The path given holds the cluster, or (a file named alone) the cluster's folder holds it.
    .find((arg) => path === arg || path.startsWith(arg.endsWith(sep) ? arg : arg + sep) || arg.startsWith(path));
  return base ? relative(dirname(base), path) || basename(path) : displayPath(path);
}

function listRules(format: string): string {
  const rules = RULES.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    title: r.meta.title,
    docs: r.meta.docs,
    appliesTo: r.meta.appliesTo,
  }));
  if (format === 'json') return JSON.stringify({ rules }, null, 2) + '\n';
  const width = Math.max(...rules.map((r) => r.id.length));
  return (
    rules
      .map(
        (r) =>
          `${r.id.padEnd(width)}  ${r.severity.padEnd(11)}  ${r.title}${r.docs ? `\n${' '.repeat(width + 15)}${r.docs}` : ''}`,
      )
      .join('\n') + '\n'
  );
}
