/**
 * A copy of `s` that does not share memory with the string it was sliced from. V8 keeps a
 * whole file's text alive while any slice of it is; models built from a parsed node item
 * must not pin every past version of a 3 MB inventory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
