/**
 * The two kinds of Kubespray file: an Ansible inventory (YAML or INI), which makes its
 * directory a cluster, and a group_vars or host_vars file, which only speaks next to one.
 */
import type { Finding } from '../../core/findings';
import { detach } from '../../core/text/detach';
import { parentDirectory } from '../../core/uris';
import { parseYaml, syntaxFindings } from '../../core/yaml/parse';
import { YamlReader } from '../../core/yaml/reader';
import type { ClusterModel } from '../../model/cluster';
import { identitiesOf, NodeIdentitySet } from '../../model/nodeIdentities';
import { ParsedDocument, type DocumentKind } from '../kind';
import type { AnsibleInventory, AnsibleVar } from './ansible';
import { parseIniInventory } from './ini';
import { readVars, readYamlInventory } from './yamlInventory';

export const KUBESPRAY_KIND_ID = 'kubespray';

const GROUP_KEYS = new Set(['hosts', 'children', 'vars']);

export class KubesprayInventoryDocument extends ParsedDocument {
  /** An inventory's directory, with its group_vars/ and host_vars/, is one cluster. */
  readonly definesCluster = true;
  /** Ansible's `-i dir/`: the inventory files of one directory merge, a host being one host by its name. */
  readonly clusterScope = 'directory';
  readonly role = 'Kubespray inventory';
  private identities?: NodeIdentitySet;

  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly format: 'yaml' | 'ini',
    readonly inventory: AnsibleInventory,
    readonly findings: Finding[],
  ) {
    super(start, startLine, end);
  }

  static fromYaml(kind: DocumentKind, text: string, start: number, end: number, startLine: number): KubesprayInventoryDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const r = new YamlReader(parsed.lines, parsed.doc);
    const root = parsed.doc.contents;
    const findings = syntaxFindings(parsed, { duplicateKeys: 'warning' });
    // Ansible's YAML inventory plugin skips any other key in a group, with a warning.
    const visit = (group: unknown, name: string, depth: number) => {
      if (depth > 50) return;
      for (const { key } of r.entries(group)) {
        if (!GROUP_KEYS.has(key.value)) {
          findings.push({
            ruleId: 'schema',
            severity: 'warning',
            message: `Unknown key "${key.value}" in group "${name}"; only hosts, children and vars belong to a group. Ansible skips it with a warning.`,
            range: key.range,
          });
        }
      }
      for (const { key, value } of r.entries(group, 'children')) visit(value, key.value, depth + 1);
    };
    for (const { key, value } of r.entries(root)) visit(value, key.value, 0);
    const inventory = readYamlInventory(r, root);
    findings.push(...inventory.findings);
    return new KubesprayInventoryDocument(kind, start, startLine, end, 'yaml', inventory, findings);
  }

  static fromIni(kind: DocumentKind, text: string, start: number, end: number, startLine: number): KubesprayInventoryDocument {
    const inventory = parseIniInventory(text.slice(start, end));
    return new KubesprayInventoryDocument(kind, start, startLine, end, 'ini', inventory, inventory.findings);
  }

  clusterRoot(uri: string): string {
    return parentDirectory(uri);
  }

  /**
   * The hosts' inventory names and addresses (`ip`, `access_ip`, `ansible_host`): a kubeadm file
   * beside several inventory directories joins the one describing the node it names.
   */
  get countedNodes(): NodeIdentitySet | undefined {
    return this.identities;
  }

  get nodeIdentities(): NodeIdentitySet {
    if (!this.identities) {
      this.identities = new NodeIdentitySet();
      const controlPlane = new Set<string>();
      for (const group of this.inventory.groups)
        if (CONTROL_PLANE_GROUPS.has(group.name)) for (const host of group.hosts) controlPlane.add(host.name);
      for (const group of this.inventory.groups) {
        for (const host of group.hosts) {
          const addresses = host.vars.filter((v) => ADDRESS_VARS.has(v.name) && typeof v.value === 'string' && !v.templated);
          const identities = identitiesOf(
            [host.name],
            addresses.map((v) => v.value as string),
            controlPlane.has(host.name),
          );
          for (const identity of identities) this.identities.add(identity);
        }
      }
    }
    return this.identities;
  }
}

/** Kubespray's control-plane group, and its name before Kubespray 2.16. */
const CONTROL_PLANE_GROUPS = new Set(['kube_control_plane', 'kube-master', 'kube_master']);
/** The host variables that give a Kubespray node an address. */
const ADDRESS_VARS = new Set(['ip', 'access_ip', 'ansible_host']);

/** Which group or host a vars file is for: `group_vars/k8s_cluster/addons.yml` is group k8s_cluster. */
export interface VarsTarget {
  type: 'group' | 'host';
  name: string;
}

export function varsTargetOf(uri: string): VarsTarget | undefined {
  const match = /\/(group|host)_vars\/([^/]+?)(?:\.ya?ml)?(?:\/|$)/.exec(uri);
  return match ? { type: match[1] as 'group' | 'host', name: decodeURIComponent(match[2]) } : undefined;
}

export class KubesprayVarsDocument extends ParsedDocument {
  readonly role = 'Kubespray variables';
  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly target: VarsTarget,
    readonly vars: readonly AnsibleVar[],
    readonly findings: Finding[],
  ) {
    super(start, startLine, end);
  }

  static parse(
    kind: DocumentKind,
    uri: string,
    text: string,
    start: number,
    end: number,
    startLine: number,
  ): KubesprayVarsDocument {
    const parsed = parseYaml(detach(text.slice(start, end)));
    const r = new YamlReader(parsed.lines, parsed.doc);
    const target = varsTargetOf(uri) ?? { type: 'group', name: 'all' };
    return new KubesprayVarsDocument(
      kind,
      start,
      startLine,
      end,
      target,
      readVars(r, parsed.doc.contents),
      // Ansible warns about a repeated variable and uses its last value.
      syntaxFindings(parsed, { duplicateKeys: 'warning' }),
    );
  }

  /** group_vars of other Ansible projects stay silent: these speak only in a cluster with a Kubespray inventory. */
  reportsIn(cluster: ClusterModel): boolean {
    return cluster.members(KUBESPRAY_KIND_ID).some((m) => m.doc instanceof KubesprayInventoryDocument);
  }
}
