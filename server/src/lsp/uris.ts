import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One spelling per file: editors and the disk index may encode the same path differently
 * (drive letters, %-escapes), and the workspace must not see two files.
 */
export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
