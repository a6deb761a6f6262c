/**
 * Where a project starts on disk, the same for the CLI and the language server: the nearest
 * directory holding `.git`, or else the working directory. Project configs are searched up to
 * it and a file's context never reaches above it, so a file in a shared folder (or named with
 * `../../..`) never reads unrelated files as its cluster's context.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, isAbsolute, resolve } from 'node:path';
import { CONFIG_FILE_NAMES } from '../engine/analysis/ruleControl';

function isWithinPath(path: string, directory: string): boolean {
  const rel = relative(directory, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project root of a path (a file or a directory): the nearest directory at or above it that
 * holds `.git` (a directory, or a file for worktrees and submodules); else the working directory
 * when the path lies in it; else undefined (the path belongs to no project we can see).
 */
export function projectRootOf(path: string, cwd = process.cwd()): string | undefined {
  const start = resolve(path);
  for (let dir = isDirectory(start) ? start : dirname(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  const workingDirectory = resolve(cwd);
  return isWithinPath(start, workingDirectory) ? workingDirectory : undefined;
}

/**
 * The directory up to which configs are searched for a path: its project root, or the path
 * itself (its directory, for a file) when it belongs to no project — never above what was named.
 */
export function configRootOf(path: string, cwd = process.cwd()): string {
  const start = resolve(path);
  return projectRootOf(start, cwd) ?? (isDirectory(start) ? start : dirname(start));
}

/** The `.cluster-preflight.yaml` files in `from` (a directory) and each directory above it up to `root`. */
export function configFilesAbove(from: string, root: string): string[] {
  const found: string[] = [];
  let dir = resolve(from);
  if (!isWithinPath(dir, root)) return found;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) found.push(file);
    }
    if (dir === resolve(root) || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return found;
}

/** Whether `path` is `directory` or lies below it. */
export { isWithinPath };
