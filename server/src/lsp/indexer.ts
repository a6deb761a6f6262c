import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isYamlFile, SKIPPED_DIRECTORIES } from '../node/files';

/** Files larger than this are not indexed from disk (an editor still checks them when opened). */
export const MAX_INDEXED_FILE_BYTES = 16 * 1024 * 1024;
/** A workspace with more YAML files than this is indexed only this far. */
const MAX_INDEXED_FILES = 20_000;

export interface IndexedFile {
  uri: string;
  text: string;
}

/** Lists the YAML files of a workspace folder, without following symbolic links. */
export async function listYamlFiles(root: string, into: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return into;
  }
  for (const entry of entries) {
    if (into.length >= MAX_INDEXED_FILES) break;
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await listYamlFiles(path, into);
    } else if (entry.isFile() && isYamlFile(entry.name)) {
      into.push(path);
    }
  }
  return into;
}

/** Reads a file for the index, or undefined when it is unreadable or too large. */
export async function readForIndex(path: string): Promise<IndexedFile | undefined> {
  try {
    const stats = await fs.stat(path);
    if (!stats.isFile() || stats.size > MAX_INDEXED_FILE_BYTES) return undefined;
    return { uri: pathToFileURL(path).href, text: await fs.readFile(path, 'utf8') };
  } catch {
    return undefined;
  }
}
