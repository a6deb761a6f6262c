/**
 * The schema's description of a key (or of the value under the cursor), with its type and
 * default, and for config APIs a link to the reference section of the type that holds it.
 * Schemas are walked as plain JSON data.
 */
export function schemaHover(
  root: any,
  start: any,
  path: ReadonlyArray<string | number>,
  onKey: boolean,
  reference?: string,
): string | undefined {
  let schema: any = start;
  let owner: any = resolveRef(root, start);
  let name = '';
  for (const segment of path) {
    schema = resolveRef(root, schema);
    if (typeof segment === 'number') schema = schema?.items;
    else {
      owner = schema;
      schema =
        schema?.properties?.[segment] ??
        (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      name = segment;
    }
    if (!schema) return undefined;
  }
  const described = schema.description ? schema : resolveRef(root, schema);
  const resolved = resolveRef(root, schema);
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
  return lines.join('\n');
}

export function resolveRef(root: any, schema: any): any {
  if (schema?.$ref?.startsWith('#/definitions/')) return root.definitions[schema.$ref.slice('#/definitions/'.length)];
  return schema;
}
