import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCheckedFile, SKIPPED_DIRECTORIES } from '../node/files';

/** A path named on the command line that cannot be checked: the run stops with exit code 2. */
export class PathError extends Error {}

export interface DiscoveredPath {
  /** The path as the user gave it, resolved. */
  root: string;
  isDirectory: boolean;
  files: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Resolves a command-line path to the YAML files under it. A path that cannot be read throws
 * PathError; an entry below it that cannot be read (a dangling or looping symbolic link, a
 * directory without permission, a name that is not UTF-8) is skipped and `warn`ed about, so
 * one bad entry never costs the run its findings.
 */
export function discover(path: string, warn: (message: string) => void): DiscoveredPath {
  const root = resolve(path);
  let stats;
  try {
    stats = statSync(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PathError(
      code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code ?? (error as Error).message})`,
    );
  }
  if (stats.isFile()) return { root, isDirectory: false, files: [root] };
  if (!stats.isDirectory()) throw new PathError(`${path}: not a file or directory`);
  const files: string[] = [];
  try {
    walk(root, files, warn, true);
  } catch (error) {
    throw new PathError(`${path}: cannot list directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { root, isDirectory: true, files: files.sort() };
}

function walk(dir: string, into: string[], warn: (message: string) => void, named = false): void {
  let entries: Array<Dirent<Buffer>>;
  try {
    entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    if (named) throw error;
    warn(`${dir}: cannot list directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); skipped`);
    return;
  }
  for (const entry of entries) {
    let name: string;
    try {
      name = UTF8.decode(entry.name);
    } catch {
      if (isCheckedFile(entry.name.toString('latin1')) || entry.isDirectory()) {
        warn(`${join(dir, entry.name.toString('latin1'))}: the name is not valid UTF-8; skipped`);
      }
      continue;
    }
    const path = join(dir, name);
    // Symbolic links to directories are not followed, so a link loop cannot trap the walk.
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(name)) walk(path, into, warn);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isCheckedFile(name)) {
      into.push(path);
    }
  }
}
