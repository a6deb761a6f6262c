/** Reading the files we check from disk, the same way for the CLI and the language server's workspace index. */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * Opening a FIFO (or a device) for reading blocks until a writer comes — a symbolic link named
 * `x.yaml` to one would hang a run. So the target is stat'ed first and only a regular file is
 * opened, and the open itself does not wait (O_NONBLOCK, where the platform has it) should the
 * file be swapped in between; a regular file reads the same either way.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NOT_REGULAR = 'not a regular file';

/** Directories never searched: dependencies and VCS metadata are not cluster descriptions. */
export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** The files a directory search reads: YAML, and INI for Ansible inventories (only Kubespray ones are claimed). */
export function isCheckedFile(name: string): boolean {
  return /\.(ya?ml|ini|tf|tfvars)$/i.test(name);
}

/** A file's text; or, above the size limit, its beginning and its size; or why it could not be read. */
export type ReadSource = { ok: true; text: string } | { ok: true; head: string; size: number } | { ok: false; problem: string };

/** How much of a file above the size limit is read, to tell whether it is one of ours. */
const HEAD_BYTES = 1024 * 1024;

/**
 * Reads a file as an editor would show it: UTF-8 (a byte-order mark dropped), or UTF-16 when
 * it starts with a UTF-16 byte-order mark (what Windows PowerShell's `>` writes). A file above
 * `maxSize` bytes is not read whole.
 */
export function readSource(path: string, maxSize: number): ReadSource {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return { ok: false, problem: NOT_REGULAR };
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, problem: NOT_REGULAR };
    const size = stats.size;
    const length = Math.min(size, size > maxSize ? HEAD_BYTES : size);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    const text = decode(bytes.subarray(0, read));
    return size > maxSize ? { ok: true, head: text, size } : { ok: true, text };
  } catch (error) {
    return { ok: false, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `readSource` without blocking: for the language server, which keeps answering while it reads. */
export async function readSourceAsync(path: string, maxSize: number): Promise<ReadSource> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    if (!(await stat(path)).isFile()) return { ok: false, problem: NOT_REGULAR };
    handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, problem: NOT_REGULAR };
    const length = Math.min(stats.size, stats.size > maxSize ? HEAD_BYTES : stats.size);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(bytes, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const text = decode(bytes.subarray(0, read));
    return stats.size > maxSize ? { ok: true, head: text, size: stats.size } : { ok: true, text };
  } catch (error) {
    return { ok: false, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    await handle?.close();
  }
}

export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/** "25MB", "500 KB", "1.5GB" or a number of bytes; MB means 1,048,576 bytes. Undefined when it is none of these. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(match[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}
