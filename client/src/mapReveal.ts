/**
 * What the cluster map's page may ask the extension to open. The page runs scripts, so a message
 * from it is treated as untrusted: only a place the map itself drew (a node or a cell of the map
 * the panel shows, as the server listed them) is revealed, never a URI a message makes up
 * (`file:///root/.ssh/id_rsa`, `vscode-userdata:…`, `command:…`). No vscode import, so that it
 * is tested on its own.
 */

/** A place in a file the map links to. */
export interface RevealTarget {
  uri: string;
  line: number;
  character: number;
}

/** Only files the editor can show as documents of the workspace. */
const ALLOWED_SCHEMES = /^(file|untitled):/;

const keyOf = (target: RevealTarget) => `${target.line}:${target.character}:${target.uri}`;

const isPosition = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The places a panel accepts: what the server said its map links to. */
export function allowedTargets(targets: readonly RevealTarget[] | undefined): Set<string> {
  return new Set((targets ?? []).filter((t) => typeof t?.uri === 'string' && ALLOWED_SCHEMES.test(t.uri)).map(keyOf));
}

/** The place to reveal for a message from the page, or undefined when the map did not draw it. */
export function revealTarget(allowed: ReadonlySet<string>, message: unknown): RevealTarget | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, uri, line, character } = message as Record<string, unknown>;
  if (type !== 'reveal' || typeof uri !== 'string' || !isPosition(line) || !isPosition(character)) return undefined;
  const target = { uri, line, character };
  return ALLOWED_SCHEMES.test(uri) && allowed.has(keyOf(target)) ? target : undefined;
}
