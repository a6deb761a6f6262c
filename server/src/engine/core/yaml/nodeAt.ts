import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export interface NodeAtOffset {
  /** Keys and indexes from the root to the node. */
  path: Array<string | number>;
  /** The offset is on a mapping key (then `node` is the key's value). */
  onKey: boolean;
  node: Node | null;
  /** The key of the innermost pair on the path. */
  key?: Node;
}

/** The innermost node at an offset, with its path, for hovers and code actions. */
export function nodeAt(root: unknown, offset: number): NodeAtOffset | undefined {
  const path: Array<string | number> = [];
  let node = root as Node | null;
  let key: Node | undefined;
  for (;;) {
    if (isMap(node)) {
      const pair = (node as YAMLMap<unknown, unknown>).items.find((p) => isPair(p) && within(p, offset));
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      const name = isScalar(keyNode) ? String(keyNode.value) : '?';
      if (keyNode?.range && offset >= keyNode.range[0] && offset <= keyNode.range[1]) {
        return { path: [...path, name], onKey: true, node: pair.value as Node | null, key: keyNode };
      }
      path.push(name);
      key = keyNode ?? undefined;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const items = (node as YAMLSeq<unknown>).items;
      const index = items.findIndex((item) => {
        const r = (item as Node | null)?.range;
        return r && offset >= r[0] && offset <= r[1];
      });
      if (index < 0) break;
      path.push(index);
      node = items[index] as Node;
    } else {
      break;
    }
  }
  if (!node || !node.range || offset < node.range[0] || offset > node.range[1])
    return path.length ? { path, onKey: false, node: null, key } : undefined;
  return { path, onKey: false, node, key };
}

function within(pair: Pair<unknown, unknown>, offset: number): boolean {
  const start = (pair.key as Node | null)?.range?.[0];
  const valueRange = (pair.value as Node | null)?.range;
  const end = valueRange?.[1] ?? (pair.key as Node | null)?.range?.[1];
  return start !== undefined && end !== undefined && offset >= start && offset <= end;
}
