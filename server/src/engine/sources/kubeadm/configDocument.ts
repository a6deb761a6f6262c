import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Value } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { LineIndex } from '../../core/text/lineIndex';
import type { Range } from '../../core/text/positions';
import { findPair, keySpan, resolveAlias, type YamlDoc } from '../../core/yaml/ast';
import { documentData, parseYaml, syntaxFindings } from '../../core/yaml/parse';
import { schemaFindings } from '../../schema/findings';
import { validatorFor } from '../../schema/registry';
import { addressIdentity, endpointIdentity, nameIdentity, type NodeClaim } from '../../model/nodeIdentities';
import { ParsedDocument, type DocumentKind } from '../kind';
import { readingApi, type ConfigApi } from './apis';

/** Flags given to a component in extraArgs (v1beta4 name/value list or v1beta3 map), by flag name. */
export type ExtraArgs = ReadonlyMap<string, Value<string>>;

/**
 * What the rules read from a kubeadm, kubelet or kube-proxy configuration document. Ranges
 * are relative to the document's chunk; absent fields were not written.
 */
export interface ConfigFacts {
  apiVersion: Value<string>;
  kind: Value<string>;
  // InitConfiguration / JoinConfiguration
  bindPort?: Value<number>;
  advertiseAddress?: Value<string>;
  nodeName?: Value<string>;
  /** The `controlPlane` key of a JoinConfiguration: the node joins as a control-plane node. */
  joinControlPlane?: Range;
  apiServerEndpoint?: Value<string>;
  // ClusterConfiguration
  controlPlaneEndpoint?: Value<string>;
  clusterName?: Value<string>;
  podSubnet?: Value<string>;
  serviceSubnet?: Value<string>;
  /** etcd.external is set: the control plane runs no etcd of its own. */
  externalEtcd: boolean;
  apiServerArgs: ExtraArgs;
  schedulerArgs: ExtraArgs;
  controllerManagerArgs: ExtraArgs;
  etcdArgs: ExtraArgs;
  // KubeletConfiguration
  kubeletPort?: Value<number>;
  kubeletHealthzPort?: Value<number>;
  kubeletReadOnlyPort?: Value<number>;
  // KubeProxyConfiguration
  proxyHealthzBindAddress?: Value<string>;
  proxyMetricsBindAddress?: Value<string>;
}

/** A kubeadm, kubelet or kube-proxy configuration document. */
export class ConfigDocument extends ParsedDocument {
  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly api: ConfigApi | undefined,
    readonly facts: ConfigFacts,
    /** yaml-syntax and schema findings, relative to the chunk. */
    readonly findings: Finding[],
  ) {
    super(start, startLine, end);
  }

  get typeName(): string {
    return this.facts.kind.value;
  }

  get role(): string {
    return this.facts.kind.value || 'kubeadm configuration';
  }

  get apiVersion(): string {
    return this.facts.apiVersion.value;
  }

  /** kubeadm's clusterName: beside several inventories, the file joins the one of that name. */
  get clusterName(): string | undefined {
    return this.facts.clusterName?.value || undefined;
  }

  /**
   * The node an InitConfiguration or JoinConfiguration is for: its `nodeRegistration.name`, its
   * advertise address, and for a join the control-plane node its API server endpoint names.
   * Beside several inventories, the file joins the one that lists the node.
   */
  get namedNodes(): NodeClaim[] {
    if (this.claims) return this.claims;
    const claims: NodeClaim[] = [];
    const kind = this.facts.kind.value;
    if (this.api?.family === 'kubeadm' && (kind === 'InitConfiguration' || kind === 'JoinConfiguration')) {
      const { nodeName, advertiseAddress, apiServerEndpoint } = this.facts;
      if (nodeName?.value.trim()) claims.push({ identity: nameIdentity(nodeName.value), says: `node name ${nodeName.value}` });
      const address = advertiseAddress && addressIdentity(advertiseAddress.value);
      if (address) claims.push({ identity: address, says: `advertise address ${advertiseAddress!.value}` });
      const endpoint = kind === 'JoinConfiguration' && apiServerEndpoint && endpointIdentity(apiServerEndpoint.value);
      if (endpoint) claims.push({ identity: endpoint, says: `API server endpoint ${apiServerEndpoint!.value}` });
    }
    return (this.claims = claims);
  }
  private claims?: NodeClaim[];

  /** A ClusterConfiguration with no inventory or other anchor above it is its cluster's anchor. */
  get definesClusterAlone(): boolean {
    return this.api?.family === 'kubeadm' && this.facts.kind.value === 'ClusterConfiguration';
  }

  static parse(documentKind: DocumentKind, text: string, start: number, end: number, startLine: number): ConfigDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const { doc, lines } = parsed;
    const root = doc.contents;
    const r = new FactReader(lines, doc);
    const apiVersion = r.string(root, 'apiVersion') ?? { value: '', range: lines.rangeOf(0, 0) };
    const kind = r.string(root, 'kind') ?? { value: '', range: apiVersion.range };
    const api = readingApi(apiVersion.value, kind.value);
    const findings = syntaxFindings(parsed);
    // Unknown versions are reported by unknown-api-version, removed ones by kubeadm-api-removed.
    // The parts of a document that parsed are checked even when another part did not.
    if (api?.schema && parsed.tooDeepAt === undefined) {
      const errors = findings.filter((f) => f.severity === 'error').map((f) => f.range);
      for (const f of validate(api, kind, root, lines, doc, errors)) findings.push(f);
    }
    return new ConfigDocument(documentKind, start, startLine, end, api, r.facts(root, apiVersion, kind), findings);
  }
}

/** Who reads each family's documents, for messages about keys they ignore. */
const READER: Record<ConfigApi['family'], string> = { kubeadm: 'kubeadm', kubelet: 'the kubelet', kubeproxy: 'kube-proxy' };

function validate(
  api: ConfigApi,
  kind: Value<string>,
  root: unknown,
  lines: LineIndex,
  doc: YamlDoc,
  syntaxErrors: readonly Range[],
): Finding[] {
  if (!api.kinds.includes(kind.value)) {
    return [
      {
        ruleId: 'schema',
        severity: 'error',
        message: `${api.apiVersion} has no kind "${kind.value}"; it has ${api.kinds.join(', ')}.`,
        range: kind.range,
      },
    ];
  }
  const data = documentData(root, doc, kind.range);
  if (!data.ok) return [data.finding];
  const check = validatorFor(api.schema!, kind.value);
  check(data.value);
  return schemaFindings(check.errors, root, lines, doc, {
    syntaxErrors,
    nullIsUnset: true,
    unknownKey: { severity: 'warning', consequence: `${capitalize(READER[api.family])} ignores it: the setting has no effect.` },
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads facts with ranges from a parsed configuration document. */
class FactReader {
  constructor(
    readonly lines: LineIndex,
    readonly doc: YamlDoc,
  ) {}

  private node(map: unknown, path: readonly string[]): unknown {
    let node = resolveAlias(map, this.doc);
    for (const key of path) node = resolveAlias(findPair(node, key)?.value, this.doc);
    return node;
  }

  range(node: Node): Range {
    return this.lines.rangeOf(node.range![0], node.range![1]);
  }

  string(map: unknown, ...path: string[]): Value<string> | undefined {
    const node = this.node(map, path);
    return isScalar(node) && typeof node.value === 'string' && node.range
      ? { value: node.value, range: this.range(node) }
      : undefined;
  }

  integer(map: unknown, ...path: string[]): Value<number> | undefined {
    const node = this.node(map, path);
    return isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.range
      ? { value: node.value, range: this.range(node) }
      : undefined;
  }

  keyRange(map: unknown, ...path: string[]): Range | undefined {
    const parent = this.node(map, path.slice(0, -1));
    const pair = findPair(parent, path[path.length - 1]);
    const span = pair && keySpan(pair);
    return span ? this.lines.rangeOf(span[0], span[1]) : undefined;
  }

  /** extraArgs as a v1beta4 list of {name, value} or a v1beta3 map; the last of repeated flags wins. */
  args(map: unknown, ...path: string[]): ExtraArgs {
    const node = this.node(map, path);
    const args = new Map<string, Value<string>>();
    if (isSeq(node)) {
      for (const item of (node as YAMLSeq).items) {
        const name = this.string(item, 'name');
        const valueNode = this.node(item, ['value']);
        if (name && isScalar(valueNode) && valueNode.range)
          args.set(name.value, { value: String(valueNode.value), range: this.range(valueNode) });
      }
    } else if (isMap(node)) {
      for (const pair of (node as YAMLMap).items) {
        const value = resolveAlias(pair.value, this.doc);
        if (isScalar(pair.key) && isScalar(value) && value.range)
          args.set(String(pair.key.value), { value: String(value.value), range: this.range(value) });
      }
    }
    return args;
  }

  facts(root: unknown, apiVersion: Value<string>, kind: Value<string>): ConfigFacts {
    const join = kind.value === 'JoinConfiguration';
    const kubelet = kind.value === 'KubeletConfiguration';
    const proxy = kind.value === 'KubeProxyConfiguration';
    return {
      apiVersion,
      kind,
      bindPort: join
        ? this.integer(root, 'controlPlane', 'localAPIEndpoint', 'bindPort')
        : this.integer(root, 'localAPIEndpoint', 'bindPort'),
      advertiseAddress: join
        ? this.string(root, 'controlPlane', 'localAPIEndpoint', 'advertiseAddress')
        : this.string(root, 'localAPIEndpoint', 'advertiseAddress'),
      nodeName: this.string(root, 'nodeRegistration', 'name'),
      joinControlPlane: join && this.node(root, ['controlPlane']) !== undefined ? this.keyRange(root, 'controlPlane') : undefined,
      apiServerEndpoint: this.string(root, 'discovery', 'bootstrapToken', 'apiServerEndpoint'),
      controlPlaneEndpoint: this.string(root, 'controlPlaneEndpoint'),
      clusterName: this.string(root, 'clusterName'),
      podSubnet: this.string(root, 'networking', 'podSubnet'),
      serviceSubnet: this.string(root, 'networking', 'serviceSubnet'),
      externalEtcd: this.node(root, ['etcd', 'external']) !== undefined,
      apiServerArgs: this.args(root, 'apiServer', 'extraArgs'),
      schedulerArgs: this.args(root, 'scheduler', 'extraArgs'),
      controllerManagerArgs: this.args(root, 'controllerManager', 'extraArgs'),
      etcdArgs: this.args(root, 'etcd', 'local', 'extraArgs'),
      kubeletPort: kubelet ? this.integer(root, 'port') : undefined,
      kubeletHealthzPort: kubelet ? this.integer(root, 'healthzPort') : undefined,
      kubeletReadOnlyPort: kubelet ? this.integer(root, 'readOnlyPort') : undefined,
      proxyHealthzBindAddress: proxy ? this.string(root, 'healthzBindAddress') : undefined,
      proxyMetricsBindAddress: proxy ? this.string(root, 'metricsBindAddress') : undefined,
    };
  }
}
