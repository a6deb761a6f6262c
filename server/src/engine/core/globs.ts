/** Glob matching (picomatch), for rule ids in levels and file paths in ignore lists. */
import picomatch from 'picomatch';

/** picomatch refuses longer patterns (its MAX_LENGTH); no rule id or path glob needs as many. */
export const MAX_GLOB_LENGTH = 65_536;

const matchers = new Map<string, ((text: string) => boolean) | string>();

const GLOB_CHARACTERS = /[*?[\]{}!]/;

/** Whether a pattern has glob syntax (otherwise it only matches itself). */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARACTERS.test(pattern);
}

/** The compiled matcher of a glob, or why it cannot be one (compiled once per pattern). */
function compiled(pattern: string): ((text: string) => boolean) | string {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    if (pattern.length > MAX_GLOB_LENGTH)
      matcher = `it is ${pattern.length} characters long, above the ${MAX_GLOB_LENGTH} a glob may have`;
    else {
      try {
        matcher = picomatch(pattern, { dot: true });
      } catch (error) {
        matcher = (error as Error).message;
      }
    }
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** Why a pattern cannot be used as a glob, or undefined when it can (a plain id or path always can). */
export function globProblem(pattern: string): string | undefined {
  if (!isGlob(pattern)) return undefined; // compared as it is, never compiled
  const matcher = compiled(pattern);
  return typeof matcher === 'string' ? matcher : undefined;
}

/** Whether `text` is `pattern`, or matches it as a glob (`nodeport-*`, `vendor/**`). Dotfiles match too. A glob that cannot be compiled matches nothing. */
export function matchesGlob(pattern: string, text: string): boolean {
  if (pattern === text) return true;
  if (!isGlob(pattern)) return false;
  const matcher = compiled(pattern);
  return typeof matcher !== 'string' && matcher(text);
}
