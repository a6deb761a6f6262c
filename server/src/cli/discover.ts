import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isYamlFile, SKIPPED_DIRECTORIES } from '../node/files';

export class PathError extends Error {}

export interface DiscoveredPath {
  /** The path as the user gave it, resolved. */
  root: string;
  isDirectory: boolean;
  files: string[];
}

/** Resolves a command-line path to the YAML files under it. Throws PathError with a readable message. */
export function discover(path: string): DiscoveredPath {
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
  walk(root, files);
  return { root, isDirectory: true, files: files.sort() };
}

function walk(dir: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new PathError(`${dir}: cannot list directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Symbolic links to directories are not followed, so a link loop cannot trap the walk.
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path, into);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isYamlFile(entry.name)) {
      into.push(path);
    }
  }
}
