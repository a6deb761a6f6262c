import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';

/** A yaml node together with the pair that holds it (for keys and "missing key" positions). */
export interface Located {
  node: Node | null;
  pair?: Pair<unknown, unknown>;
}

export type YamlDoc = Document.Parsed;

export function resolveAlias(node: unknown, doc?: YamlDoc): unknown {
  if (doc && isAlias(node)) {
    try {
      return node.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return node;
}

export function findPair(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of (map as YAMLMap<unknown, unknown>).items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair as Pair<Node, Node | null>;
  }
  return undefined;
}

export function getMap(map: unknown, key: string, doc?: YamlDoc): YAMLMap | undefined {
  const value = resolveAlias(findPair(map, key)?.value, doc);
  return isMap(value) ? (value as YAMLMap) : undefined;
}

export function getSeq(map: unknown, key: string, doc?: YamlDoc): YAMLSeq | undefined {
  const value = resolveAlias(findPair(map, key)?.value, doc);
  return isSeq(value) ? (value as YAMLSeq) : undefined;
}

/** A scalar's value when it is a string (quoted or plain). */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** Source range of a node, without trailing comments: [start, end). */
export function nodeSpan(node: Node | null | undefined): [number, number] | undefined {
  if (!node || !node.range) return undefined;
  return [node.range[0], node.range[1]];
}

/** Where a key sits; falls back to the value when the key has no source range. */
export function keySpan(pair: Pair<unknown, unknown>): [number, number] | undefined {
  return nodeSpan(pair.key as Node) ?? nodeSpan(pair.value as Node);
}

/**
 * The node at a JSON pointer path (as ajv reports it), following the YAML tree.
 */
export function locatePath(root: unknown, path: readonly string[], doc?: YamlDoc): Located {
  let node = resolveAlias(root, doc);
  let pair: Pair<unknown, unknown> | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      pair = (node as YAMLMap<unknown, unknown>).items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment,
      );
      if (!pair) return { node: null };
      node = resolveAlias(pair.value, doc);
    } else if (isSeq(node)) {
      const item = (node as YAMLSeq<unknown>).items[Number(segment)];
      pair = undefined;
      node = resolveAlias(item, doc);
    } else {
      return { node: null };
    }
  }
  return { node: (node as Node) ?? null, pair };
}

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
