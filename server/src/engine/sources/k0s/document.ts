/**
 * k0sctl configuration files (`k0sctl.k0sproject.io/v1beta1`, `Cluster`: hosts plus an embedded
 * k0s ClusterConfig) and standalone k0s ClusterConfigs (`k0s.k0sproject.io/v1beta1`).
 */
import type { Finding } from '../../core/findings';
import type { Value } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { Range } from '../../core/text/positions';
import { YamlReader } from '../../core/yaml/reader';
import { splitDocuments } from '../../core/yaml/split';
import { documentData, type ParsedYaml, parseYaml, syntaxFindings } from '../../core/yaml/parse';
import { schemaFindings, type UnknownKeyPolicy } from '../../schema/findings';
import { validatorFor } from '../../schema/registry';
import { identitiesOf, NodeIdentitySet } from '../../model/nodeIdentities';
import { ParsedDocument, type DocumentKind } from '../kind';

export const K0SCTL_API_VERSION = 'k0sctl.k0sproject.io/v1beta1';
export const K0S_API_VERSION = 'k0s.k0sproject.io/v1beta1';

/** What the cluster model needs from a k0s ClusterConfig's spec (absent: not written, the default applies). */
export interface K0sConfigFacts {
  apiPort?: Value<number>;
  externalAddress?: Value<string>;
  k0sApiPort?: Value<number>;
  konnectivityAgentPort?: Value<number>;
  konnectivityAdminPort?: Value<number>;
  /** `etcd` (the default) or `kine`. */
  storageType?: Value<string>;
  externalEtcd: boolean;
  provider?: Value<string>;
  podCIDR?: Value<string>;
  serviceCIDR?: Value<string>;
  nodeLocalLoadBalancing?: Value<boolean>;
  /** network.controlPlaneLoadBalancing.enabled: a keepalived virtual IP in front of the controllers. */
  controlPlaneLoadBalancing?: Value<boolean>;
  /** api.extraArgs service-node-port-range (k0s has no field of its own for it). */
  nodePortRange?: Value<string>;
  calicoMode?: Value<string>;
  calicoVxlanPort?: Value<number>;
  calicoWireguard?: Value<boolean>;
  /** network.calico.mtu: the pods' and tunnels' MTU (0: Calico detects it). */
  calicoMtu?: Value<number>;
  /** network.kuberouter.mtu, read by kube-router only with autoMTU false. */
  kubeRouterMtu?: Value<number>;
  kubeRouterAutoMtu?: Value<boolean>;
}

export interface K0sHost {
  /** The host's entry, for findings about it as a whole. */
  itemRange: Range;
  role?: Value<string>;
  installFlags: Array<Value<string>>;
  hostname?: Value<string>;
  privateAddress?: Value<string>;
  /** ssh.address, openSSH.address or winRM.address: how k0sctl connects. */
  connectionAddress?: Value<string>;
  /** The connection's port, when written (hosts behind one address with different ports are different machines). */
  connectionPort?: Value<number>;
}

/** The four subtrees k0s decodes leniently: an unknown key there is ignored, elsewhere it is refused. */
const LENIENT = new Set(['api', 'storage', 'network', 'images']);

function readConfig(r: YamlReader, config: unknown): K0sConfigFacts {
  const spec = r.at(config, 'spec');
  return {
    apiPort: r.integer(spec, 'api', 'port'),
    externalAddress: r.string(spec, 'api', 'externalAddress'),
    k0sApiPort: r.integer(spec, 'api', 'k0sApiPort'),
    konnectivityAgentPort: r.integer(spec, 'konnectivity', 'agentPort'),
    konnectivityAdminPort: r.integer(spec, 'konnectivity', 'adminPort'),
    storageType: r.string(spec, 'storage', 'type'),
    externalEtcd: r.at(spec, 'storage', 'etcd', 'externalCluster') !== undefined,
    provider: r.string(spec, 'network', 'provider'),
    podCIDR: r.string(spec, 'network', 'podCIDR'),
    serviceCIDR: r.string(spec, 'network', 'serviceCIDR'),
    nodeLocalLoadBalancing: r.boolean(spec, 'network', 'nodeLocalLoadBalancing', 'enabled'),
    controlPlaneLoadBalancing: r.boolean(spec, 'network', 'controlPlaneLoadBalancing', 'enabled'),
    nodePortRange: r.text(spec, 'api', 'extraArgs', 'service-node-port-range'),
    calicoMode: r.string(spec, 'network', 'calico', 'mode'),
    calicoVxlanPort: r.integer(spec, 'network', 'calico', 'vxlanPort'),
    calicoWireguard: r.boolean(spec, 'network', 'calico', 'wireguard'),
    calicoMtu: r.integer(spec, 'network', 'calico', 'mtu'),
    kubeRouterMtu: r.integer(spec, 'network', 'kuberouter', 'mtu'),
    kubeRouterAutoMtu: r.boolean(spec, 'network', 'kuberouter', 'autoMTU'),
  };
}

/** Each setting from `first` where it is written, else from `second`. */
function mergeConfigs(first: K0sConfigFacts, second: K0sConfigFacts): K0sConfigFacts {
  const merged: Record<string, unknown> = { ...second };
  for (const [key, value] of Object.entries(first)) if (value !== undefined && value !== false) merged[key] = value;
  return merged as unknown as K0sConfigFacts;
}

/** Schema findings for a document, with the severity k0sctl and k0s give unknown keys at each path. */
function validate(
  parsed: ParsedYaml,
  schema: 'k0sctl.v1beta1' | 'k0s.v1beta1',
  definition: string | undefined,
  unknownKey: (path: readonly string[]) => UnknownKeyPolicy,
): Finding[] {
  const root = parsed.doc.contents;
  const data = documentData(root, parsed.doc, parsed.lines.rangeOf(0, 0));
  if (!data.ok) return [data.finding];
  const value = data.value;
  const check = validatorFor(schema, definition);
  check(value);
  const errors = syntaxFindings(parsed)
    .filter((f) => f.severity === 'error')
    .map((f) => f.range);
  return schemaFindings(check.errors, root, parsed.lines, parsed.doc, { syntaxErrors: errors, unknownKey, nullIsUnset: true });
}

const K0S_IGNORES: UnknownKeyPolicy = { severity: 'warning', consequence: 'k0s ignores it: the setting has no effect.' };

const CLUSTER_CONFIG_HEAD = /^apiVersion:[ \t]*["']?k0s\.k0sproject\.io\/v1beta1["']?[ \t]*(#.*)?$/m;
const CLUSTER_CONFIG_KIND = /^kind:[ \t]*["']?clusterconfig["']?[ \t]*(#.*)?$/im;

/**
 * The k0s ClusterConfig written as another document of a k0sctl file: k0sctl (since v0.22.0)
 * takes it as the cluster's spec.k0s.config. Its facts are for decisions only: their ranges are
 * relative to that document, which reports and contributes its own settings.
 */
function inFileClusterConfig(text: string, start: number): K0sConfigFacts | undefined {
  for (const span of splitDocuments(text)) {
    if (span.start === start) continue;
    const body = text.slice(span.start, span.end);
    if (!CLUSTER_CONFIG_HEAD.test(body) || !CLUSTER_CONFIG_KIND.test(body)) continue;
    const parsed = parseYaml(detach(body));
    return readConfig(new YamlReader(parsed.lines, parsed.doc), parsed.doc.contents);
  }
  return undefined;
}

export class K0sctlDocument extends ParsedDocument {
  /** Its config may come from another document of the file. */
  readonly readsOtherDocuments = true;
  /**
   * What k0s runs with: spec.k0s.config's settings, else those of the file's ClusterConfig
   * document. For decisions (roles, load balancing); report at `config`'s ranges only.
   */
  readonly effectiveConfig: K0sConfigFacts;

  /** metadata.name: files beside several k0sctl files join the one they name. */
  clusterName?: string;
  private identities?: NodeIdentitySet;

  /** The hosts' names and addresses: a file beside several k0sctl files joins the one describing the node it names. */
  get countedNodes(): NodeIdentitySet | undefined {
    return this.identities;
  }

  get nodeIdentities(): NodeIdentitySet {
    if (!this.identities) {
      this.identities = new NodeIdentitySet();
      for (const host of this.hosts) {
        const controller = /^(controller|single)/.test(host.role?.value ?? '');
        const addresses = [host.connectionAddress?.value, host.privateAddress?.value];
        for (const identity of identitiesOf([host.hostname?.value], addresses, controller)) this.identities.add(identity);
      }
    }
    return this.identities;
  }

  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly findings: Finding[],
    /** The `spec.hosts` key, where findings about the hosts as a whole go. */
    readonly hostsKey: Range | undefined,
    readonly hosts: K0sHost[],
    readonly config: K0sConfigFacts,
    /** The file's ClusterConfig document's settings, when it has one. */
    readonly inFileConfig: K0sConfigFacts | undefined,
  ) {
    super(start, startLine, end);
    this.effectiveConfig = inFileConfig ? mergeConfigs(config, inFileConfig) : config;
  }

  static parse(documentKind: DocumentKind, text: string, start: number, end: number, startLine: number): K0sctlDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const r = new YamlReader(parsed.lines, parsed.doc);
    const root = parsed.doc.contents;
    const findings = syntaxFindings(parsed);
    if (parsed.tooDeepAt === undefined) {
      for (const f of validate(parsed, 'k0sctl.v1beta1', undefined, (path) => {
        if (path[0] === 'spec' && path[1] === 'k0s' && path[2] === 'config') {
          if (path[3] === 'spec' && LENIENT.has(path[4])) return K0S_IGNORES;
          return {
            severity: 'error',
            consequence: 'k0s refuses it (k0sctl runs `k0s config validate` on every controller before installing).',
          };
        }
        return { severity: 'error', consequence: 'k0sctl refuses the file: it reads it strictly.' };
      }))
        findings.push(f);
    }
    const hosts: K0sHost[] = (r.items(root, 'spec', 'hosts') ?? []).map((host) => ({
      itemRange: r.rangeOf(host) ?? parsed.lines.rangeOf(0, 0),
      role: r.string(host, 'role'),
      installFlags: r.strings(host, 'installFlags'),
      hostname: r.string(host, 'hostname'),
      privateAddress: r.string(host, 'privateAddress'),
      connectionAddress:
        r.string(host, 'ssh', 'address') ?? r.string(host, 'openSSH', 'address') ?? r.string(host, 'winRM', 'address'),
      connectionPort: r.integer(host, 'ssh', 'port') ?? r.integer(host, 'openSSH', 'port') ?? r.integer(host, 'winRM', 'port'),
    }));
    const document = new K0sctlDocument(
      documentKind,
      start,
      startLine,
      end,
      findings,
      r.keyRange(root, 'spec', 'hosts'),
      hosts,
      readConfig(r, r.at(root, 'spec', 'k0s', 'config')),
      inFileClusterConfig(text, start),
    );
    document.clusterName = r.string(root, 'metadata', 'name')?.value || undefined;
    return document;
  }
}

export class K0sConfigDocument extends ParsedDocument {
  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly findings: Finding[],
    readonly config: K0sConfigFacts,
  ) {
    super(start, startLine, end);
  }

  static parse(documentKind: DocumentKind, text: string, start: number, end: number, startLine: number): K0sConfigDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const r = new YamlReader(parsed.lines, parsed.doc);
    const findings = syntaxFindings(parsed);
    if (parsed.tooDeepAt === undefined) {
      for (const f of validate(parsed, 'k0s.v1beta1', 'ClusterConfig', (path) =>
        path[0] === 'spec' && LENIENT.has(path[1])
          ? K0S_IGNORES
          : { severity: 'error', consequence: 'k0s refuses the file: `k0s config validate` rejects it.' },
      ))
        findings.push(f);
    }
    return new K0sConfigDocument(documentKind, start, startLine, end, findings, readConfig(r, parsed.doc.contents));
  }
}
