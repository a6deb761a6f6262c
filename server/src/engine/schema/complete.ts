/**
 * Completion candidates from our JSON Schemas: the keys allowed at a place (with their
 * descriptions, never the ones already there) and the values an enum, const or boolean allows.
 * Schemas are walked as plain data, following $ref (into our other schemas too), allOf, and
 * the if/then branches whose condition the document's data meets.
 */
import { schemaById } from './registry';

/** What an editor shows: the feature layer turns it into the protocol's completion item. */
export interface CompletionCandidate {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'reference';
  detail?: string;
  documentation?: string;
  /** Text to insert instead of the label; a snippet when `snippet` is set ($1, ${1:default}, $0). */
  insertText?: string;
  snippet?: boolean;
  /** Sorts before the others when smaller (e.g. "0" for the ports a node still needs). */
  sortText?: string;
}

interface At {
  root: any;
  schema: any;
}

function resolve(at: At): At {
  let current = at;
  for (let hops = 0; hops < 10 && typeof current.schema?.$ref === 'string'; hops++) {
    const ref: string = current.schema.$ref;
    const hash = ref.indexOf('#');
    const root = hash > 0 ? schemaById(ref.slice(0, hash)) : current.root;
    if (!root) return current;
    let schema = root;
    for (const part of ref
      .slice(hash + 1)
      .split('/')
      .filter(Boolean)) {
      schema = schema?.[part];
    }
    if (!schema) return current;
    current = { root, schema };
  }
  return current;
}

/** Whether `data` meets an `if` made of property consts/enums (the only conditions our schemas use). */
function meets(condition: any, data: unknown): boolean {
  if (!condition || typeof data !== 'object' || data === null) return false;
  for (const [key, rule] of Object.entries<any>(condition.properties ?? {})) {
    const value = (data as Record<string, unknown>)[key];
    if (value === undefined) return false;
    if ('const' in rule && rule.const !== value) return false;
    if (Array.isArray(rule.enum) && !rule.enum.includes(value)) return false;
  }
  return true;
}

/** The schemas that together describe a value: itself, its allOf parts, and the then-branches that apply. */
function parts(at: At, data: unknown, depth = 0): At[] {
  const here = resolve(at);
  if (depth > 8 || !here.schema || typeof here.schema !== 'object') return [];
  const out = [here];
  for (const sub of here.schema.allOf ?? []) out.push(...parts({ root: here.root, schema: sub }, data, depth + 1));
  for (const sub of [...(here.schema.anyOf ?? []), ...(here.schema.oneOf ?? [])])
    out.push(...parts({ root: here.root, schema: sub }, data, depth + 1));
  if (here.schema.if && meets(here.schema.if, data) && here.schema.then)
    out.push(...parts({ root: here.root, schema: here.schema.then }, data, depth + 1));
  return out;
}

/** The schema at `path` below `start`; `dataAt` gives the document's data at a path, for if/then. */
export function schemaAtPath(
  root: any,
  start: any,
  path: ReadonlyArray<string | number>,
  dataAt: (path: ReadonlyArray<string | number>) => unknown,
): At[] {
  let current: At[] = [{ root, schema: start }];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const data = dataAt(path.slice(0, i));
    const next: At[] = [];
    for (const part of current.flatMap((c) => parts(c, data))) {
      const s = part.schema;
      const child =
        typeof segment === 'number'
          ? Array.isArray(s.items)
            ? s.items[segment]
            : s.items
          : (s.properties?.[segment] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined));
      if (child) next.push({ root: part.root, schema: child });
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

function typeOf(schemas: At[], data: unknown): string[] {
  return schemas
    .flatMap((at) => parts(at, data))
    .flatMap((p) => (Array.isArray(p.schema.type) ? p.schema.type : p.schema.type ? [p.schema.type] : []));
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n')[0];
}

/**
 * Keys allowed in the mapping `schemas` describe, except those `present`. A key whose value is
 * a mapping or a list is inserted with the next line ready; `indent` is the key's column.
 */
export function keyCandidates(schemas: At[], data: unknown, present: ReadonlySet<string>, indent: number): CompletionCandidate[] {
  const seen = new Set<string>();
  const out: CompletionCandidate[] = [];
  for (const part of schemas.flatMap((at) => parts(at, data))) {
    for (const [key, sub] of Object.entries<any>(part.schema.properties ?? {})) {
      if (present.has(key) || seen.has(key)) continue;
      seen.add(key);
      const value = parts({ root: part.root, schema: sub }, undefined);
      const types = value.flatMap((v) => (Array.isArray(v.schema.type) ? v.schema.type : v.schema.type ? [v.schema.type] : []));
      const description = value.map((v) => v.schema.description).find(Boolean) ?? sub.description;
      const pad = ' '.repeat(indent + 2);
      const insertText =
        types.length === 1 && types[0] === 'object'
          ? `${key}:\n${pad}$0`
          : types.length === 1 && types[0] === 'array'
            ? `${key}:\n${pad}- $0`
            : `${key}: $0`;
      out.push({
        label: key,
        kind: 'property',
        detail: firstLine(description),
        documentation: description,
        insertText,
        snippet: true,
      });
    }
  }
  return out;
}

/** The values an enum, const or boolean allows at `schemas`. */
export function valueCandidates(schemas: At[], data: unknown): CompletionCandidate[] {
  const out: CompletionCandidate[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, description?: string) => {
    const label = String(value);
    if (seen.has(label)) return;
    seen.add(label);
    out.push({ label, kind: 'value', detail: firstLine(description), documentation: description });
  };
  const all = schemas.flatMap((at) => parts(at, data));
  for (const part of all) {
    for (const value of part.schema.enum ?? []) add(value, part.schema.description);
    if ('const' in part.schema) add(part.schema.const, part.schema.description);
  }
  if (out.length === 0 && typeOf(schemas, data).includes('boolean')) {
    add(true);
    add(false);
  }
  return out;
}

/** The schemas of a list's items, for completing a new item of it. */
export function itemSchemas(schemas: At[], data: unknown): At[] {
  return schemas
    .flatMap((at) => parts(at, data))
    .flatMap((p) => (p.schema.items && !Array.isArray(p.schema.items) ? [{ root: p.root, schema: p.schema.items }] : []));
}

/** Where completion was asked, as the document kinds see it. */
export interface CompletionPlace {
  /** From the document root to the mapping whose key is typed ('key'), or to the value typed ('value'). */
  path: ReadonlyArray<string | number>;
  position: 'key' | 'value';
  /** Keys the mapping already has. */
  present: ReadonlySet<string>;
  /** The document's data at a path (what is being typed left out). */
  dataAt(path: ReadonlyArray<string | number>): unknown;
  /** The column the key or value starts at. */
  column: number;
}

/**
 * Keys or values from a schema at a completion place. A value typed as a new list item whose
 * items are mappings (`- |` under nodes) gets the item's keys.
 */
export function schemaCompletions(root: any, start: any, place: CompletionPlace): CompletionCandidate[] {
  const schemas = schemaAtPath(root, start, place.path, place.dataAt);
  const data = place.dataAt(place.path);
  if (place.position === 'key') return keyCandidates(schemas, data, place.present, place.column);
  const last = place.path[place.path.length - 1];
  // A list item: the values the list already has are not offered again (roles: [control-plane, |]).
  const siblings = typeof last === 'number' ? place.dataAt(place.path.slice(0, -1)) : undefined;
  const taken = new Set(Array.isArray(siblings) ? siblings.map(String) : []);
  const values = valueCandidates(schemas, data).filter((v) => !taken.has(v.label));
  if (values.length) return values;
  if (typeof last === 'number' && typeOf(schemas, data).includes('object'))
    return keyCandidates(schemas, data, new Set(), place.column);
  return [];
}
