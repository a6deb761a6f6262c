/**
 * What `check` and `firewall` share: reading the paths given on the command line into a
 * workspace, and the one-line usage errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Workspace } from '../engine/analysis/workspace';
import { formatSize } from '../engine/sources/kind';
import { decode, readSource } from '../node/files';
import { configFilesAbove, configRootOf, projectRootOf } from '../node/projectRoot';
import { discover, PathError } from './discover';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliEnvironment {
  /** Standard input's text, for "-". */
  readStdin?: () => string;
  env?: Record<string, string | undefined>;
}

/** What loading the paths given found: the files whose findings are reported, or the exit code of a path problem. */
export type Loaded = { ok: true; reported: Set<string> } | { ok: false; code: number };

/**
 * Reads the paths given into the workspace, as `check` and `firewall` both do: directories'
 * files, files named alone with their directory as context, standard input, and the project
 * configs above each.
 */
export function loadPaths(
  workspace: Workspace,
  positionals: readonly string[],
  stdinName: string | undefined,
  maxFileSize: number,
  environment: CliEnvironment,
  stderr: Writable,
  warn: (message: string) => void,
  warnSkipped: (message: string) => void,
): Loaded {
  const roots: string[] = [];
  /** Each path's repository root: project configs are searched up to it, from every path given. */
  const configRoots = new Set<string>();
  /** Adds the configs between a named path and its repository root to what is read, as context. */
  const addConfigsAbove = (named: string, directory: string) => {
    const configRoot = configRootOf(named);
    configRoots.add(pathToFileURL(configRoot).href + '/');
    for (const file of configFilesAbove(directory, configRoot)) paths.add(file);
  };
  /** The files whose findings are reported: directories' files, named files, standard input. */
  const reported = new Set<string>();
  /** Every file read: the reported ones and the context of files named alone. */
  const paths = new Set<string>();
  const named = new Set<string>();
  let stdinPath: string | undefined;
  try {
    for (const arg of positionals) {
      if (arg === '-') {
        stdinPath = resolve(stdinName!);
        reported.add(stdinPath);
        const context = discoverContext(stdinPath, warn);
        roots.push(pathToFileURL(dirname(stdinPath)).href + '/');
        for (const file of context) paths.add(file);
        addConfigsAbove(stdinPath, dirname(stdinPath));
        continue;
      }
      // Every warning of the walk is about an entry it skips.
      const found = discover(arg, warnSkipped);
      if (found.isDirectory) {
        roots.push(pathToFileURL(found.root).href + '/');
        if (found.files.length === 0) warn(`${arg}: no YAML or INI files found`);
        for (const file of found.files) {
          paths.add(file);
          reported.add(file);
        }
        addConfigsAbove(found.root, found.root);
      } else {
        // A file named alone: its directory's files are its cluster's context.
        named.add(found.root);
        reported.add(found.root);
        paths.add(found.root);
        roots.push(pathToFileURL(dirname(found.root)).href + '/');
        for (const file of discoverContext(found.root, warn)) paths.add(file);
        addConfigsAbove(found.root, dirname(found.root));
      }
    }
    for (const path of [...paths]) {
      const uri = pathToFileURL(path).href;
      if (path === stdinPath) {
        const read = environment.readStdin ?? (() => decode(readFileSync(0)));
        workspace.setText(uri, read());
        continue;
      }
      const source = readSource(path, maxFileSize);
      if (!source.ok) {
        // A file named on the command line must be readable; one found in a directory is skipped.
        if (named.has(path)) throw new PathError(`${path}: cannot read (${source.problem})`);
        if (reported.has(path)) warnSkipped(`${path}: cannot read (${source.problem}); skipped`);
        paths.delete(path);
        reported.delete(path);
      } else if ('head' in source) {
        if (reported.has(path))
          warnSkipped(
            `${path}: ${formatSize(source.size)}, above the ${formatSize(maxFileSize)} limit (--max-file-size); not checked`,
          );
        workspace.setOversized(uri, source.head, source.size);
      } else {
        workspace.setText(uri, source.text);
      }
    }
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    stderr.write(`cluster-preflight: ${error.message}\n`);
    return { ok: false, code: 2 };
  }
  if (stdinPath && !paths.has(stdinPath)) {
    const read = environment.readStdin ?? (() => decode(readFileSync(0)));
    workspace.setText(pathToFileURL(stdinPath).href, read());
  }
  workspace.setRoots(roots);
  workspace.setConfigRoots([...configRoots]);
  return { ok: true, reported };
}

/**
 * The files of a named file's directory (below it too): the context its cluster is checked in.
 * Only inside a project (a repository, or the working directory): a file alone in a shared
 * folder, or named as `../../../x.yaml`, is checked alone rather than with every file below `/`.
 */
function discoverContext(file: string, warn: (message: string) => void): string[] {
  if (projectRootOf(file) === undefined) return [];
  try {
    return discover(dirname(file), () => undefined).files;
  } catch (error) {
    warn(`${dirname(file)}: cannot read the files around ${file} (${(error as Error).message}); it is checked alone`);
    return [];
  }
}

/** One line for a usage problem: what is wrong and where help is. */
export function usageError(stderr: Writable, message: string): number {
  stderr.write(`cluster-preflight: ${message} (see --help)\n`);
  return 2;
}

export function parseProblem(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const option = /'(-[^'\s]+)'/.exec(message)?.[1];
  const code = (error as { code?: string })?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'(--?[\w-]+)/.exec(message)?.[1];
    if (name) return `option ${name} needs a value`;
  }
  return message.split('\n')[0].replace(/[.]$/, '');
}
