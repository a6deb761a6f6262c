import { schemaById } from './registry';

/**
 * The schema's description of a key (or of the value under the cursor), with its type and
 * default, and for config APIs a link to the reference section of the type that holds it.
 * Schemas are walked as plain JSON data; a reference into another of our schemas (k0sctl's
 * embedded k0s config) is followed.
 */
export function schemaHover(
  root: any,
  start: any,
  path: ReadonlyArray<string | number>,
  onKey: boolean,
  reference?: string,
): string | undefined {
  let current = { root, schema: start };
  let owner: any = resolve(current).schema;
  let name = '';
  for (const segment of path) {
    current = resolve(current);
    const schema = current.schema;
    let next: any;
    if (typeof segment === 'number') next = Array.isArray(schema?.items) ? schema.items[segment] : schema?.items;
    else {
      owner = schema;
      next =
        schema?.properties?.[segment] ??
        (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      name = segment;
    }
    if (!next) return undefined;
    current = { root: current.root, schema: next };
  }
  const described = current.schema.description ? current.schema : resolve(current).schema;
  const resolved = resolve(current).schema;
  if (!described?.description || (!onKey && typeof path[path.length - 1] === 'number')) return undefined;
  const type = resolved.enum
    ? resolved.enum.join(' | ')
    : Array.isArray(resolved.type)
      ? resolved.type.join(' | ')
      : (resolved.type ?? '');
  const defaultValue = described.default ?? resolved.default;
  const lines = [`**${name}**${type ? ` \`${type}\`` : ''}`, '', described.description];
  if (defaultValue !== undefined)
    lines.push('', `Default: \`${typeof defaultValue === 'string' ? defaultValue : JSON.stringify(defaultValue)}\``);
  const anchor = owner?.['x-doc-anchor'];
  if (reference && owner?.title)
    lines.push('', `[${owner.title}](${anchor ? `${reference}#${anchor}` : (owner['x-doc-url'] ?? reference)})`);
  else if (!reference && (described['x-doc-url'] ?? owner?.['x-doc-url']))
    lines.push('', `[Documentation](${described['x-doc-url'] ?? owner['x-doc-url']})`);
  return lines.join('\n');
}

/** Follows `$ref`s: local ones within the same schema, absolute ones into another of ours. */
function resolve(at: { root: any; schema: any }): { root: any; schema: any } {
  let current = at;
  for (let hops = 0; hops < 10 && typeof current.schema?.$ref === 'string'; hops++) {
    const ref: string = current.schema.$ref;
    const hash = ref.indexOf('#');
    const root = hash > 0 ? schemaById(ref.slice(0, hash)) : current.root;
    const pointer = hash >= 0 ? ref.slice(hash + 1) : '';
    if (!root) return current;
    let schema = root;
    for (const part of pointer.split('/').filter(Boolean)) schema = schema?.[part];
    if (!schema) return current;
    current = { root, schema };
  }
  return current;
}
