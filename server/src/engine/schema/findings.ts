import type { ErrorObject } from 'ajv';
import { isCollection, isMap, isScalar, type YAMLMap } from 'yaml';
import type { Finding, Severity } from '../core/findings';
import type { Range } from '../core/text/positions';
import type { LineIndex } from '../core/text/lineIndex';
import { decodePointer, keySpan, locatePath, nodeSpan, type YamlDoc } from '../core/yaml/ast';
import { closestName } from './suggest';

/** Unknown-key messages list the allowed keys when there are at most this many. */
const MAX_LISTED_KEYS = 40;

/** How an unknown key is reported: its severity, and what the reader does with it. */
export interface UnknownKeyPolicy {
  severity: Severity;
  consequence: string;
}

/** How a document's reader treats what its schema does not describe. */
export interface SchemaPolicy {
  /** How messages name the root itself ("the document", "this node"). */
  rootName?: string;
  /**
   * An unknown or misplaced key. kubeadm, the kubelet and kube-proxy decode strictly and fall
   * back to lenient decoding with a logged warning, so such a key is ignored and the component
   * starts: a warning that says so. Wrong types, values and missing keys stay errors.
   */
  unknownKey?: UnknownKeyPolicy | ((path: readonly string[], key: string) => UnknownKeyPolicy);
  /** The YAML parser's errors: schema findings on their lines, and missing keys, may be their echo and are left out. */
  syntaxErrors?: readonly Range[];
  /**
   * The reader decodes like Go: an empty value (`key:`, `~`, `null`) leaves the field at its
   * zero value instead of failing, so it is no type error.
   */
  nullIsUnset?: boolean;
}

/**
 * Turns ajv errors into findings placed on the exact YAML key or value: ajv only knows
 * JSON pointers, the editor needs ranges.
 */
export function schemaFindings(
  errors: readonly ErrorObject[] | null | undefined,
  root: unknown,
  lines: LineIndex,
  doc?: YamlDoc,
  policy: SchemaPolicy = {},
): Finding[] {
  if (!errors) return [];
  const rootName = policy.rootName ?? 'the document';
  const broken = policy.syntaxErrors ?? [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (broken.length && error.keyword === 'required') continue;
    // "must match then/else": the error of the branch itself says what is wrong.
    if (error.keyword === 'if') continue;
    if (policy.nullIsUnset && error.keyword === 'type' && error.data === null) continue;
    const placed = place(error, root, rootName, doc);
    if (!placed) continue;
    const key = `${placed.span[0]}:${placed.span[1]}:${placed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const range = lines.rangeOf(placed.span[0], placed.span[1]);
    if (broken.some((b) => range.start.line <= b.end.line && b.start.line <= range.end.line)) continue;
    const unknown =
      placed.unknownKey && policy.unknownKey
        ? typeof policy.unknownKey === 'function'
          ? policy.unknownKey(decodePointer(error.instancePath), String(error.params.additionalProperty ?? ''))
          : policy.unknownKey
        : undefined;
    findings.push({
      ruleId: 'schema',
      severity: unknown ? unknown.severity : 'error',
      message: unknown ? `${placed.message} ${unknown.consequence}` : placed.message,
      range,
      ...(placed.suggestion ? { data: { replacement: placed.suggestion } } : {}),
    });
  }
  return findings;
}

interface Placed {
  span: [number, number];
  message: string;
  /** The key is not in the schema (an unknown or misplaced key). */
  unknownKey?: boolean;
  /** The key that was probably meant: a quick-fix replaces the unknown one with it. */
  suggestion?: { from: string; to: string };
}

function place(error: ErrorObject, root: unknown, rootName: string, doc?: YamlDoc): Placed | undefined {
  const path = decodePointer(error.instancePath);
  const at = locatePath(root, path, doc);
  const name = path.length ? describePath(path) : rootName;
  // A whole mapping or list is reported on its key: painting a block of lines helps no one.
  const valueOrKey = (): [number, number] | undefined =>
    (isCollection(at.node) && at.pair ? keySpan(at.pair) : nodeSpan(at.node)) ?? (at.pair ? keySpan(at.pair) : undefined);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      // On the parent's first key: the whole mapping would paint the entire document.
      const map = at.node;
      const first = isMap(map) ? (map as YAMLMap<unknown, unknown>).items[0] : undefined;
      const span = (first ? keySpan(first) : undefined) ?? (at.pair ? keySpan(at.pair) : undefined) ?? nodeSpan(map);
      if (!span) return undefined;
      return { span, message: `${capitalize(name)} is missing the required key "${missing}".` };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      // A key that is itself a collection (`? [a]`) reaches ajv stringified: find it by that text.
      const pair =
        locatePath(root, [...path, extra], doc).pair ??
        (isMap(at.node)
          ? (at.node as YAMLMap<unknown, unknown>).items.find((p) => !isScalar(p.key) && bare(String(p.key)) === bare(extra))
          : undefined);
      const span = pair ? keySpan(pair) : valueOrKey();
      if (!span) return undefined;
      const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const suggestion = closestName(extra, allowed);
      // A list of a hundred flags helps nobody: completion offers them instead.
      const hint = suggestion
        ? ` Did you mean "${suggestion}"?`
        : allowed.length && allowed.length <= MAX_LISTED_KEYS
          ? ` Allowed here: ${allowed.join(', ')}.`
          : '';
      return {
        span,
        message: `Unknown key "${extra}" in ${name}.${hint}`,
        unknownKey: true,
        suggestion: suggestion && pair ? { from: extra, to: suggestion } : undefined,
      };
    }
    case 'not': {
      // "not both a and b": on the key that came second.
      const keys = (error.schema as { required?: string[] } | undefined)?.required ?? [];
      const map = at.node;
      const pair = isMap(map)
        ? [...(map as YAMLMap<unknown, unknown>).items]
            .reverse()
            .find((p) => isScalar(p.key) && keys.includes(String(p.key.value)))
        : undefined;
      const span = (pair ? keySpan(pair) : undefined) ?? valueOrKey();
      if (!span) return undefined;
      return { span, message: describeError(error, name) };
    }
    default: {
      const span = valueOrKey();
      if (!span) return undefined;
      return { span, message: describeError(error, name) };
    }
  }
}

function describeError(error: ErrorObject, name: string): string {
  const data = error.data;
  const hint = (error.parentSchema as { 'x-type-hint'?: string } | undefined)?.['x-type-hint'];
  if (error.keyword === 'type' && hint)
    return `${capitalize(name)} must be ${String((error.params as { type: string }).type)
      .split(',')
      .map(article)
      .join(' or ')}, not ${typeName(data)}: ${hint}`;
  const shown = typeof data === 'string' ? `"${data}"` : safeJson(data);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'type': {
      const expected = String(params.type).split(',').map(article).join(' or ');
      return `${capitalize(name)} must be ${expected}, not ${typeName(data)}${data === null ? '' : ` (${shown})`}.`;
    }
    case 'enum':
      return `${capitalize(name)} must be one of ${(params.allowedValues as unknown[]).map((v) => String(v)).join(', ')}; found ${shown}.`;
    case 'const':
      return `${capitalize(name)} must be ${JSON.stringify(params.allowedValue)}; found ${shown}.`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const schema = error.parentSchema as { minimum?: number; maximum?: number };
      if (schema?.minimum !== undefined && schema?.maximum !== undefined) {
        return `${capitalize(name)} is ${shown}, outside ${schema.minimum}-${schema.maximum}.`;
      }
      return `${capitalize(name)} is ${shown}; it ${error.message}.`;
    }
    case 'not': {
      const why = (error.parentSchema as { 'x-not-message'?: string } | undefined)?.['x-not-message'];
      return `${capitalize(name)} ${why ?? 'is not allowed here'}.`;
    }
    case 'minItems':
      return `${capitalize(name)} needs at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}.`;
    case 'uniqueItems':
      return `${capitalize(name)} lists the same value twice (entries ${params.j + 1} and ${params.i + 1}).`;
    default:
      return `${capitalize(name)} ${error.message ?? 'is invalid'}.`;
  }
}

function describePath(path: readonly string[]): string {
  let text = '';
  for (const segment of path) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return `"${text}"`;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function article(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return `a ${type}`;
  }
}

function capitalize(text: string): string {
  return text.startsWith('"') ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** JSON for a value in a message; a value that contains itself (a YAML alias to its own parent) cannot be written out. */
function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return 'a value that contains itself';
  }
}

/** Text without spaces and quotes, to compare a collection key with how JavaScript stringified it. */
function bare(text: string): string {
  return text.replace(/[\s"']/g, '');
}
