/** Glob matching (picomatch), for rule ids in levels and file paths in ignore lists. */
import picomatch from 'picomatch';

const matchers = new Map<string, (text: string) => boolean>();

/** Whether `text` is `pattern`, or matches it as a glob (`nodeport-*`, `vendor/**`). Dotfiles match too. */
export function matchesGlob(pattern: string, text: string): boolean {
  if (pattern === text) return true;
  if (!/[*?[\]{}!]/.test(pattern)) return false;
  let matcher = matchers.get(pattern);
  if (!matcher) matchers.set(pattern, (matcher = picomatch(pattern, { dot: true })));
  return matcher(text);
}
