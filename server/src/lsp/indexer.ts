import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCheckedFile, readSourceAsync, SKIPPED_DIRECTORIES } from '../node/files';

/** A workspace with more YAML files than this is indexed only this far. */
const MAX_INDEXED_FILES = 20_000;

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
    } else if (entry.isFile() && isCheckedFile(entry.name)) {
      into.push(path);
    }
  }
  return into;
}

/** A file read for the index: its whole text, or (above the size limit) its beginning and its size. */
export type IndexedFile = { uri: string; text: string; size?: number };

/** Reads a file for the index, or undefined when it cannot be read (it is then left out). */
export async function readForIndex(path: string, maxFileSize: number): Promise<IndexedFile | undefined> {
  const source = await readSourceAsync(path, maxFileSize);
  if (!source.ok) return undefined;
  const uri = pathToFileURL(path).href;
  return 'head' in source ? { uri, text: source.head, size: source.size } : { uri, text: source.text };
}
