/**
 * The project configuration, `.cluster-preflight.yaml`: rule levels, ignored files and declared clusters. The
 * workspace reads its settings (analysis/ruleControl.ts); this kind gives the file itself what
 * every other kind gets: validation against its schema, hovers and completion (the rule ids
 * under `rules`, with their titles).
 */
import type { Finding } from '../../core/findings';
import { detach } from '../../core/text/detach';
import { documentData, parseYaml, syntaxFindings, type ParsedYaml } from '../../core/yaml/parse';
import { YamlReader } from '../../core/yaml/reader';
import type { Value } from '../../core/located';
import { schemaCompletions, type CompletionCandidate, type CompletionPlace } from '../../schema/complete';
import { schemaFindings } from '../../schema/findings';
import { schemaHover } from '../../schema/hover';
import { schemaDocument, validatorFor } from '../../schema/registry';
import { ParsedDocument, type CompletionContext, type DocumentKind, type HoverContext, type LocatedYaml } from '../kind';

export const CONFIG_KIND_ID = 'config';

export const CONFIG_FILE_NAMES = ['.cluster-preflight.yaml', '.cluster-preflight.yml'];

export function isConfigFile(uri: string): boolean {
  return CONFIG_FILE_NAMES.includes(uri.slice(uri.lastIndexOf('/') + 1));
}

/** The schema with one property per rule under `rules` (from the context's catalogue): what hovers and completion read. */
const described = new WeakMap<object, any>();
function schema(context: HoverContext): any {
  const base = schemaDocument('config');
  const catalogue = context.rules ?? [];
  let result = described.get(catalogue);
  if (!result) {
    const level = base.properties.rules.additionalProperties;
    const rules = Object.fromEntries(
      catalogue.map((r) => [r.id, { ...level, description: `${r.title}. Default: ${r.severity}.`, 'x-doc-url': r.docs }]),
    );
    result = { ...base, properties: { ...base.properties, rules: { ...base.properties.rules, properties: rules } } };
    described.set(catalogue, result);
  }
  return result;
}

/**
 * What a config says, as plain data, when it parses without errors (else undefined: a config with a
 * syntax error changes nothing until it is fixed, and its findings say why).
 */
export function configData(parsed: ParsedYaml): unknown {
  if (parsed.tooDeepAt !== undefined || parsed.doc.errors.length > 0) return undefined;
  const data = documentData(parsed.doc.contents, parsed.doc, parsed.lines.rangeOf(0, 0));
  return data.ok ? data.value : undefined;
}

export class ProjectConfigDocument extends ParsedDocument {
  constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly findings: Finding[],
    /** The keys under `rules`: rule ids or globs (the schema rule checks that each names a rule). */
    readonly ruleKeys: ReadonlyArray<Value<string>>,
    /** The globs under `ignore` (checked like the rule keys). */
    readonly ignoreGlobs: ReadonlyArray<Value<string>> = [],
    /** Each declared cluster's file globs where they are written, by the cluster's index under `clusters`. */
    readonly clusterGlobs: ReadonlyArray<{ cluster: number; name: string; glob: Value<string> }> = [],
    /** What the config says (`configData`): the workspace reads its settings from here instead of parsing it again. */
    readonly data: unknown = undefined,
  ) {
    super(start, startLine, end);
  }

  static parse(kind: DocumentKind, text: string, start: number, end: number, startLine: number): ProjectConfigDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const findings = syntaxFindings(parsed);
    const root = parsed.doc.contents;
    const data = documentData(root, parsed.doc, parsed.lines.rangeOf(0, 0));
    const clean = parsed.tooDeepAt === undefined && parsed.doc.errors.length === 0;
    if (!data.ok) findings.push(data.finding);
    else if (data.value !== null) {
      const validate = validatorFor('config');
      validate(data.value);
      findings.push(...schemaFindings(validate.errors, root, parsed.lines, parsed.doc, { rootName: 'the configuration' }));
    }
    const r = new YamlReader(parsed.lines, parsed.doc);
    const ruleKeys = r.entries(root, 'rules').map(({ key }) => key);
    const clusterGlobs = (r.items(root, 'clusters') ?? []).flatMap((item, cluster) => {
      const name = r.string(item, 'name')?.value ?? '';
      return r.strings(item, 'files').map((glob) => ({ cluster, name, glob }));
    });
    const settings = clean && data.ok ? data.value : undefined;
    return new ProjectConfigDocument(
      kind,
      start,
      startLine,
      end,
      findings,
      ruleKeys,
      r.strings(root, 'ignore'),
      clusterGlobs,
      settings,
    );
  }
}

export const configKind: DocumentKind<ProjectConfigDocument> = {
  id: CONFIG_KIND_ID,
  label: 'Cluster Preflight project configuration',
  definesCluster: false,
  recognize: ({ uri }) => isConfigFile(uri),
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    return ProjectConfigDocument.parse(configKind, text, start, end, lineOf(start));
  },
  contribute() {},
  hover: (located: LocatedYaml, context: HoverContext) =>
    located.at ? schemaHover(schema(context), schema(context), located.at.path, located.at.onKey) : undefined,
  complete: (place: CompletionPlace, context: CompletionContext): CompletionCandidate[] =>
    schemaCompletions(schema(context), schema(context), place),
};
