/**
 * RKE2 and K3s node configs (`/etc/rancher/rke2/config.yaml`, `/etc/rancher/k3s/config.yaml`,
 * and their `config.yaml.d/*.yaml` drop-ins): the keys are the command-line flags of
 * `rke2 server|agent` / `k3s server|agent`. There is no schema of their own upstream; ours
 * lists every flag of both distributions.
 */
import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Value } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { Range } from '../../core/text/positions';
import { documentData, type ParsedYaml, parseYaml, syntaxFindings } from '../../core/yaml/parse';
import { YamlReader } from '../../core/yaml/reader';
import { schemaFindings } from '../../schema/findings';
import { schemaDocument, validatorFor } from '../../schema/registry';
import { parentDirectory } from '../../core/uris';
import { ParsedDocument, type DocumentKind } from '../kind';

export type Distribution = 'rke2' | 'k3s';

interface FlagSchema {
  properties: Record<string, { 'x-scope'?: 'server' | 'agent' | 'both'; 'x-cluster-wide'?: boolean; default?: unknown }>;
  'x-aliases': Record<string, string>;
}

const SCHEMAS: Record<Distribution, FlagSchema> = { rke2: schemaDocument('rke2'), k3s: schemaDocument('k3s') };

/** Keys only these configs use at their top level: one of them is needed to recognise a file by its content. */
const DISTINCTIVE = ['cluster-cidr', 'service-cidr', 'tls-san', 'write-kubeconfig-mode', 'cluster-init', 'node-ip'];

/** The flag a key names: `node-taint+` appends to node-taint, `i` is node-ip. */
export function flagName(key: string): string {
  const name = key.endsWith('+') ? key.slice(0, -1) : key;
  return SCHEMAS.rke2['x-aliases'][name] ?? name;
}

export function isFlag(name: string, distribution?: Distribution): boolean {
  return distribution
    ? name in SCHEMAS[distribution].properties
    : name in SCHEMAS.rke2.properties || name in SCHEMAS.k3s.properties;
}

/** A flag only `server` accepts (its presence shows the file is a server's). */
export function isServerFlag(name: string, distribution?: Distribution): boolean {
  const scopes = (distribution ? [distribution] : (['rke2', 'k3s'] as const)).map(
    (d) => SCHEMAS[d].properties[name]?.['x-scope'],
  );
  return scopes.includes('server') && !scopes.includes('both') && !scopes.includes('agent');
}

/**
 * Settings the join check does not compare, but that every server applies to the whole cluster
 * and that cannot differ between servers without breaking it: each server deploys its own `cni`
 * chart (and RKE2 cannot change the CNI of a running cluster), and each API server allocates
 * NodePorts from its own range.
 */
export const APPLIED_BY_EVERY_SERVER: Record<string, string> = {
  cni: 'each server deploys the CNI it names, and a running cluster cannot change its CNI',
  'service-node-port-range': 'each API server allocates NodePorts from its own range, so Services get ports other servers reject',
};

/**
 * The flags every server of a cluster must share: a joining server compares them with the
 * cluster's ("critical configuration mismatched") and refuses to start. `disable` is left
 * out: only some of the components it lists take part in the comparison.
 */
export function clusterWideFlags(distribution: Distribution | undefined): string[] {
  const names = (distribution ? [distribution] : (['rke2', 'k3s'] as const)).flatMap((d) =>
    Object.keys(SCHEMAS[d].properties).filter((name) => SCHEMAS[d].properties[name]['x-cluster-wide']),
  );
  return [...new Set(names)].filter((name) => name !== 'disable');
}

export function isClusterWide(name: string, distribution: Distribution | undefined): boolean {
  return (distribution ? [distribution] : (['rke2', 'k3s'] as const)).some(
    (d) => !!SCHEMAS[d].properties[name]?.['x-cluster-wide'],
  );
}

export function flagDefault(name: string, distribution: Distribution | undefined): string | undefined {
  const value = SCHEMAS[distribution ?? 'rke2'].properties[name]?.default ?? SCHEMAS.k3s.properties[name]?.default;
  return value === undefined ? undefined : String(value);
}

/** The top-level keys of a YAML text, cheaply, for recognition. */
function topLevelKeys(text: string): string[] {
  return [...text.matchAll(/^([A-Za-z][A-Za-z0-9_-]*\+?)[ \t]*:/gm)].map((m) => m[1]);
}

/**
 * Which distribution a path names: the directory nearest the file that names exactly one decides
 * (`my-rke2-lab/etc/rancher/k3s/` is K3s's), and whether it is the whole directory name (`k3s/`,
 * `/etc/rancher/k3s/`) rather than a part of one (`my-rke2-lab/`).
 */
function pathEvidence(uri: string): { distribution: Distribution; whole: boolean } | undefined {
  const segments = uri.slice(0, uri.lastIndexOf('/')).toLowerCase().split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    const rke2 = /(^|[_.-])rke2([_.-]|$)/.test(segment);
    const k3s = /(^|[_.-])k3s([_.-]|$)/.test(segment);
    if (rke2 !== k3s) return { distribution: rke2 ? 'rke2' : 'k3s', whole: segment === 'rke2' || segment === 'k3s' };
  }
  return undefined;
}

/** Which distribution a path names, if any. */
export function distributionOfPath(uri: string): Distribution | undefined {
  return pathEvidence(uri)?.distribution;
}

/** The distribution whose own flags a config sets when it sets no flag only the other has (`cni` or `docker`). */
function distributionOfFlags(names: Iterable<string>): Distribution | undefined {
  let rke2 = false;
  let k3s = false;
  for (const name of names) {
    const inRke2 = name in SCHEMAS.rke2.properties;
    const inK3s = name in SCHEMAS.k3s.properties;
    rke2 ||= inRke2 && !inK3s;
    k3s ||= inK3s && !inRke2;
  }
  return rke2 === k3s ? undefined : rke2 ? 'rke2' : 'k3s';
}

/**
 * Which distribution reads a config. A directory named exactly `rke2` or `k3s` nearest the file
 * decides (the config's own `/etc/rancher/<distribution>/`); otherwise flags only one distribution
 * has, when they all point one way; otherwise the nearest directory that merely contains the name.
 * Flags of the other distribution in a file the path decided stay reported as that distribution's.
 */
function distributionOf(uri: string, flags: Iterable<string>): Distribution | undefined {
  const path = pathEvidence(uri);
  if (path?.whole) return path.distribution;
  return distributionOfFlags(flags) ?? path?.distribution;
}

/**
 * Whether a YAML document is an RKE2/K3s config: `config.yaml` (or a `config.yaml.d` drop-in)
 * under a path that names rke2 or k3s whose keys are mostly flags, or any file with at least
 * three flags, one of them a key no other tool puts at its top level. Files with an apiVersion
 * are Kubernetes objects, never these.
 */
export function looksLikeNodeConfig(uri: string, text: string, apiVersion: string | undefined): boolean {
  if (apiVersion !== undefined) return false;
  const keys = topLevelKeys(text).map(flagName);
  if (keys.length === 0) return false;
  const flags = keys.filter((k) => isFlag(k));
  if (flags.length * 2 < keys.length) return false;
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const byPath =
    distributionOfPath(uri) !== undefined && (/^config\.ya?ml$/.test(name) || /\/config\.yaml\.d\/[^/]+\.ya?ml$/.test(uri));
  if (byPath) return flags.length > 0;
  return flags.length >= 3 && flags.some((f) => DISTINCTIVE.includes(f));
}

/** The directory a config belongs to as a node: the one holding config.yaml (drop-ins sit in its config.yaml.d/). */
export function nodeDirectory(uri: string): string {
  const dir = parentDirectory(uri);
  return dir.endsWith('/config.yaml.d/') ? parentDirectory(dir) : dir;
}

/**
 * What a node directory's name says the node is, for configs that set no server-only flag (a
 * K3s server joining with only `token` and `node-ip` looks like an agent). Conservative: names
 * starting agent, worker or node are agents; names containing server, or starting master,
 * controlplane/control-plane or cp-, are servers; anything else (`k3s/`, `lab-1/`) says nothing.
 * Agent names are tested first, so that `node-server-proxy` is no server by its name.
 */
const AGENT_DIRECTORY = /^(agent|worker|node)/i;
const SERVER_DIRECTORY = /server|^master|^control-?plane|^cp-/i;

export function directoryRole(uri: string): 'server' | 'agent' | undefined {
  if (!isNodeConfigFile(uri)) return undefined;
  const dir = nodeDirectory(uri);
  const name = decodeURIComponent(dir.slice(dir.lastIndexOf('/', dir.length - 2) + 1, -1));
  if (AGENT_DIRECTORY.test(name)) return 'agent';
  return SERVER_DIRECTORY.test(name) ? 'server' : undefined;
}

/** Whether a file is a node's config.yaml or one of its drop-ins (rather than a config recognised by its content alone). */
export function isNodeConfigFile(uri: string): boolean {
  return /\/config\.ya?ml$/.test(uri) || uri.includes('/config.yaml.d/');
}

export class NodeConfigDocument extends ParsedDocument {
  /**
   * The nodes of one cluster sit side by side (`rke2/server-1/config.yaml`,
   * `rke2/server-2/config.yaml`): the directory above the node directories is the cluster.
   */
  readonly definesCluster = true;
  readonly clusterScope = 'directory';
  clusterRoot(uri: string): string {
    return isNodeConfigFile(uri) ? parentDirectory(nodeDirectory(uri)) : parentDirectory(uri);
  }

  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly findings: Finding[],
    /** Decided by the path and the flags only one distribution has (`distributionOf`); undefined when neither tells. */
    readonly distribution: Distribution | undefined,
    /** The flags it sets, by name (after `+` and aliases), with their values as written (lists joined by commas). */
    readonly flags: ReadonlyMap<string, Value<string>>,
    /** The values of list flags, one by one (node-ip, tls-san...). */
    readonly lists: ReadonlyMap<string, Array<Value<string>>>,
    /** Where the document's first key is: findings about the node as a whole go there. */
    readonly firstKey: Range,
    /** What its node directory's name says it is (`directoryRole`). */
    readonly roleByDirectory: 'server' | 'agent' | undefined,
  ) {
    super(start, startLine, end);
  }

  /**
   * A server: it sets a flag only servers accept (cluster-init among them), or, setting none, its
   * node directory is named like a server's (`server-1/`: a server joining with `server`, `token`
   * and `node-ip` only). The flags win: a server flag in `agent-1/` is still a server's. Agents
   * are the others.
   */
  get isServer(): boolean {
    return [...this.flags.keys()].some((name) => isServerFlag(name, this.distribution)) || this.roleByDirectory === 'server';
  }

  static parse(
    documentKind: DocumentKind,
    uri: string,
    text: string,
    start: number,
    end: number,
    startLine: number,
  ): NodeConfigDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const root = parsed.doc.contents;
    const r = new YamlReader(parsed.lines, parsed.doc);
    // Keys as the flags they name, so that the schema sees `node-taint` for `node-taint+:`.
    if (isMap(root)) {
      for (const pair of (root as YAMLMap<unknown, unknown>).items) {
        if (isScalar(pair.key) && typeof pair.key.value === 'string') (pair.key as Scalar).value = flagName(pair.key.value);
      }
    }
    const flags = new Map<string, Value<string>>();
    const lists = new Map<string, Array<Value<string>>>();
    for (const { key, value } of r.entries(root)) {
      const values = r.strings(value).flatMap((v) => splitList(v));
      lists.set(key.value, values);
      const whole =
        r.text(value) ??
        (values.length ? { value: values.map((v) => v.value).join(','), range: r.rangeOf(value as Node)! } : undefined);
      if (whole) flags.set(key.value, whole);
    }
    const distribution = distributionOf(uri, flags.keys());
    const findings = syntaxFindings(parsed);
    const firstKey = r.entries(root)[0]?.key.range ?? parsed.lines.rangeOf(0, 0);
    const doc = new NodeConfigDocument(
      documentKind,
      start,
      startLine,
      end,
      findings,
      distribution,
      flags,
      lists,
      firstKey,
      directoryRole(uri),
    );
    if (parsed.tooDeepAt === undefined) for (const f of validate(parsed, distribution, doc.isServer)) findings.push(f);
    return doc;
  }
}

/** "10.0.0.1,fd00::1" (or a list) as its items, each with its own range. */
function splitList(value: Value<string>): Array<Value<string>> {
  if (!value.value.includes(',')) return [value];
  const out: Array<Value<string>> = [];
  // A quoted value's range includes its quotes: the text starts one character in.
  const quoted =
    value.range.start.line === value.range.end.line &&
    value.range.end.character - value.range.start.character === value.value.length + 2;
  let offset = quoted ? 1 : 0;
  for (const part of value.value.split(',')) {
    const lead = part.length - part.trimStart().length;
    const start = value.range.start.character + offset + lead;
    if (part.trim()) {
      out.push({
        value: part.trim(),
        range:
          value.range.start.line === value.range.end.line
            ? {
                start: { line: value.range.start.line, character: start },
                end: { line: value.range.start.line, character: start + part.trim().length },
              }
            : value.range,
      });
    }
    offset += part.length + 1;
  }
  return out;
}

/**
 * The schema findings. An unknown key is skipped with a logged warning by `rke2` and by
 * `k3s server`, but stops `k3s agent` ("flag provided but not defined"). A file that names
 * neither distribution is held to what both accept.
 */
function validate(parsed: ParsedYaml, distribution: Distribution | undefined, server: boolean): Finding[] {
  const root = parsed.doc.contents;
  const data = documentData(root, parsed.doc, parsed.lines.rangeOf(0, 0));
  if (!data.ok) return [data.finding];
  const value = data.value;
  const errors = syntaxFindings(parsed)
    .filter((f) => f.severity === 'error')
    .map((f) => f.range);
  const check = (d: Distribution) => {
    const validateFlags = validatorFor(d);
    validateFlags(value);
    const fatal = d === 'k3s' && !server;
    const other: Distribution = d === 'rke2' ? 'k3s' : 'rke2';
    const otherName = other === 'rke2' ? 'RKE2' : 'K3s';
    // `cluster-init` in an RKE2 file is a K3s habit: say so rather than only "unknown".
    const belongsToOther = (key: string) => isFlag(key, other) && !isFlag(key, d);
    return schemaFindings(validateFlags.errors, root, parsed.lines, parsed.doc, {
      rootName: `this ${d === 'rke2' ? 'RKE2' : 'K3s'} config`,
      syntaxErrors: errors,
      unknownKey: (_path, key) => {
        const whose = belongsToOther(key) ? `It is a ${otherName} flag. ` : '';
        return fatal
          ? { severity: 'error', consequence: `${whose}k3s agent refuses to start with it ("flag provided but not defined").` }
          : { severity: 'warning', consequence: `${whose}${d} skips it with a warning: the setting has no effect.` };
      },
    });
  };
  if (distribution) return check(distribution);
  // Neither cni nor flannel-backend nor the path says which: report only what both would.
  const rke2 = check('rke2');
  const k3s = check('k3s');
  const at = (f: Finding) => `${f.range.start.line}:${f.range.start.character}`;
  const k3sAt = new Set(k3s.map(at));
  return rke2.filter((f) => k3sAt.has(at(f)));
}
