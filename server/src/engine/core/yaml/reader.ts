import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Value } from '../located';
import type { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/positions';
import { findPair, keySpan, nodeSpan, resolveAlias, type YamlDoc } from './ast';

/**
 * Reads values with their ranges out of a parsed YAML tree (ranges relative to the text it
 * was parsed from), following aliases. A value of the wrong type reads as absent: the schema
 * reports it, the model leaves it out.
 */
export class YamlReader {
  constructor(
    readonly lines: LineIndex,
    readonly doc: YamlDoc,
  ) {}

  /** The node at `path` below `node` (keys of mappings), aliases resolved. */
  at(node: unknown, ...path: string[]): unknown {
    let current = resolveAlias(node, this.doc);
    for (const key of path) current = resolveAlias(findPair(current, key)?.value, this.doc);
    return current;
  }

  rangeOf(node: unknown): Range | undefined {
    const span = nodeSpan(node as Node | null | undefined);
    return span ? this.lines.rangeOf(span[0], span[1]) : undefined;
  }

  /** A string scalar (quoted or plain). */
  string(node: unknown, ...path: string[]): Value<string> | undefined {
    const value = this.at(node, ...path);
    if (!isScalar(value) || typeof value.value !== 'string' || !value.range) return undefined;
    return { value: value.value, range: this.rangeOf(value)! };
  }

  /** A scalar of any type as text (ports written as numbers or strings, booleans...). */
  text(node: unknown, ...path: string[]): Value<string> | undefined {
    const value = this.at(node, ...path);
    if (!isScalar(value) || value.value === null || typeof value.value === 'object' || !value.range) return undefined;
    return { value: String(value.value), range: this.rangeOf(value)! };
  }

  integer(node: unknown, ...path: string[]): Value<number> | undefined {
    const value = this.at(node, ...path);
    if (!isScalar(value) || typeof value.value !== 'number' || !Number.isInteger(value.value) || !value.range) return undefined;
    return { value: value.value, range: this.rangeOf(value)! };
  }

  boolean(node: unknown, ...path: string[]): Value<boolean> | undefined {
    const value = this.at(node, ...path);
    if (!isScalar(value) || typeof value.value !== 'boolean' || !value.range) return undefined;
    return { value: value.value, range: this.rangeOf(value)! };
  }

  /** The range of the key at the end of `path`. */
  keyRange(node: unknown, ...path: string[]): Range | undefined {
    const parent = this.at(node, ...path.slice(0, -1));
    const pair = findPair(parent, path[path.length - 1]);
    const span = pair && keySpan(pair);
    return span ? this.lines.rangeOf(span[0], span[1]) : undefined;
  }

  /** The items of a sequence, aliases resolved; undefined when it is not one. */
  items(node: unknown, ...path: string[]): unknown[] | undefined {
    const value = this.at(node, ...path);
    return isSeq(value) ? (value as YAMLSeq).items.map((item) => resolveAlias(item, this.doc)) : undefined;
  }

  /** A string, or a list of strings, as a list of values (flags that repeat). */
  strings(node: unknown, ...path: string[]): Array<Value<string>> {
    const value = this.at(node, ...path);
    if (isSeq(value)) return (value as YAMLSeq).items.flatMap((item) => this.text(item) ?? []);
    const one = this.text(node, ...path);
    return one ? [one] : [];
  }

  /** The pairs of a mapping with string keys: each key's value and range. */
  entries(node: unknown, ...path: string[]): Array<{ key: Value<string>; value: unknown }> {
    const map = this.at(node, ...path);
    if (!isMap(map)) return [];
    return (map as YAMLMap<unknown, unknown>).items.flatMap((pair) => {
      if (!isScalar(pair.key) || pair.key.value === null || !pair.key.range) return [];
      return [
        { key: { value: String(pair.key.value), range: this.rangeOf(pair.key)! }, value: resolveAlias(pair.value, this.doc) },
      ];
    });
  }
}
