/**
 * The format-neutral cluster model: what every document kind contributes and every node,
 * cross-node and cluster rule reads. A Cluster Preflight inventory, a Kubespray inventory or a
 * k0sctl file all become nodes with roles, addresses and (where the format has them) firewall
 * entries; settings come with the place they were written.
 */
import type { Origin, Place, Value } from '../core/located';
import type { Range } from '../core/text/positions';
import type { ParsedCidr } from '../knowledge/net/addresses';
import type { CniPlugin } from '../knowledge/cni';
import type { Protocol, Role, Transport } from '../knowledge/ports';
import type { FirewallContribution, FirewallFacts, GuardSelector } from './firewallFacts';
import type { CniSetting, DistributionSetting, EffectiveSettings, PortSetting, SettingTier } from './settings';
import type { ConfiguredPorts } from './settings';

export interface InterfaceFacts {
  name?: Value<string>;
  mac?: Value<string>;
  address?: Value<string>;
  /** Normalised MAC (lowercase, colon-separated) when `mac` parses; what duplicate-mac compares. */
  macKey?: string;
  /** Canonical address without prefix when `address` parses; what duplicate-ip compares. */
  addressKey?: string;
  /** The address key is present with a value (of any type); missing-address reports the others. */
  hasAddress: boolean;
  /** The interface's MTU as written (the inventory's `mtu`); absent: unknown, and nothing is assumed. */
  mtu?: Value<number>;
  /** The interface item itself, for messages when it has no name. */
  itemRange: Range;
}

/** One inbound allow entry of a node's firewall. */
export interface FirewallEntry {
  /** Absent for an IP protocol (IPIP, ESP, GRE), which has no ports. */
  port?: Value<number | string>;
  protocol: Transport;
  /** The protocol as written; absent when the entry leaves it to the default (TCP). */
  protocolValue?: Value<string | number>;
  /** The network the entry admits traffic from; absent: anywhere. */
  source?: Value<string>;
  itemRange: Range;
}

/** A process other than Kubernetes' own that binds a port on the node (haproxy, an exporter). */
export interface ListenerFacts {
  name?: string;
  port?: Value<number>;
  protocol: Protocol;
  /** The listener entry itself (absent where a format has no listeners to point at). */
  itemRange?: Range;
}

/** What the rules know about one machine of the cluster, whatever format described it. */
export interface NodeFacts {
  /** The document kind that described the node: rules apply to the kinds their metadata names. */
  kind: string;
  /** Where the node's values were written; their ranges are relative to its chunk. */
  origin: Origin;
  /** The whole node entry, for findings about the node when it has no name. */
  itemRange: Range;
  hostname?: Value<string>;
  /** The installer hands the name to the kubelet, which lowercases it (Kubespray): uppercase letters are no mistake. */
  nameIsLowercased?: boolean;
  /** How messages name a node without a hostname when its format gives it another name (an RKE2 node's directory). */
  label?: string;
  roles: Role[];
  interfacesKey?: Range;
  /** Absent when the node has no interfaces key. */
  interfaces?: InterfaceFacts[];
  firewallKey?: Range;
  firewall: FirewallEntry[];
  listeners: ListenerFacts[];
  /** The entry has YAML syntax errors: only those are reported for it, and role counts wait. */
  broken: boolean;
}

/** Where findings about a set of nodes go in the document that lists them. */
export interface RosterAnchors {
  /** The list of nodes as a whole (an inventory's `nodes` key, a k0sctl file's `hosts`). */
  nodes?: Place;
  /** Where the etcd members are declared (Kubespray's `etcd` group); else `nodes`. */
  etcd?: Place;
  /** Where the control-plane nodes are declared (Kubespray's `kube_control_plane` group); else `nodes`. */
  controlPlane?: Place;
}

/** One document's list of nodes (an inventory's spec.nodes, a k0sctl file's hosts...). */
export interface Roster {
  kind: string;
  /** The file that lists the nodes. */
  uri: string;
  nodes: readonly NodeFacts[];
  anchors: RosterAnchors;
  /** The control plane keeps its state outside etcd (k0s with kine, an external datastore): no etcd quorum to count. */
  noEtcd?: boolean;
}

/** A Service's request for a NodePort. */
export interface NodePortClaim {
  port: number;
  protocol: Protocol;
  /** The port's name, or its index in spec.ports when it has none. */
  label: string;
  /** "default/web": how messages name the Service. */
  service: string;
  /**
   * Which Service: its "namespace/name", or its document when it has none. The same Service
   * written in two places (a Kustomize base and its overlay) is one object, patched, not two.
   */
  serviceId: object | string;
  /** The document the claim was written in. */
  document: object;
  at: Place;
}

/** A pod or service network the cluster's configuration states. */
export interface SubnetSetting {
  role: 'pod' | 'service';
  /** How messages name it: "podSubnet", "kube_pods_subnet", "cluster-cidr". */
  name: string;
  value: string;
  at: Place;
  /** The networks it parses to (one per family); empty when it does not parse. */
  cidrs: ParsedCidr[];
  /** Settings of one plan (a ClusterConfiguration, a Kubespray cluster, one RKE2 node) are compared with each other. */
  plan: object;
}

/** The size of the pod network block each node gets (kube-controller-manager --node-cidr-mask-size). */
export interface NodeCidrMaskSetting {
  /** The family it applies to; undefined: the flag without -ipv4/-ipv6, which sets the single-stack family's. */
  family?: 'ipv4' | 'ipv6';
  size: number;
  /** How messages name it: "controllerManager.extraArgs node-cidr-mask-size", "kube_network_node_prefix". */
  name: string;
  at: Place;
}

/** A NodePort range as a file writes it, parsed or not. */
export interface PortRangeSetting {
  /** How messages name it: "nodePortRange", "service-node-port-range". */
  name: string;
  value: string;
  at: Place;
  /**
   * What the range is compared with: the ports as the whole cluster configures them, or the
   * ports the installer's own configuration gives its components (kubeadm's extraArgs).
   */
  against: 'cluster' | 'installer';
  /** The lowest port the program reading it accepts: 0 for kube-apiserver's flag, 1 for the inventory. */
  lowestPort: number;
}

/**
 * The network plugin's MTU as a file sets it. Only a value the plugin will actually run with is
 * contributed (Kubespray ignores calico_veth_mtu without calico_mtu; k0s ignores kube-router's
 * mtu while autoMTU is on): a setting a plugin does not read is no mistake of MTU.
 */
export interface CniMtuSetting {
  /** How messages name it: "spec.cni.mtu", "calico_veth_mtu", "spec.network.calico.mtu". */
  name: string;
  value: number;
  at: Place;
  /** The plugin that reads it; absent: whichever the cluster runs (the inventory's spec.cni.mtu). */
  plugin?: CniPlugin;
  tier: SettingTier;
}

/** A network the nodes reach besides their own (a VPN range, a storage network): the inventory's `spec.networks`. */
export interface HostNetworkSetting {
  /** The name the inventory gives it. */
  name: string;
  value: string;
  /** Absent when the value is not a network in CIDR notation (the schema says so). */
  cidr?: ParsedCidr;
  at: Place;
}

/** What tells that the nodes run Docker, whose default bridge 172.17.0.0/16 is then routed on each of them. */
export interface DockerSetting {
  /** How messages name it: "container_manager: docker", "docker: true". */
  description: string;
  at: Place;
}

/** A document of the cluster together with the file it is in. */
export interface Member<D> {
  uri: string;
  doc: D;
}

/** Everything one cluster's files say, as rules read it. */
export interface ClusterModel {
  /** The cluster's directory (or root) URI. */
  id: string;
  rosters: readonly Roster[];
  /** Every roster's nodes. */
  nodes: readonly NodeFacts[];
  nodePortClaims: readonly NodePortClaim[];
  subnets: readonly SubnetSetting[];
  nodePortRanges: readonly PortRangeSetting[];
  nodeCidrMasks: readonly NodeCidrMaskSetting[];
  /** The network plugin's MTU settings, every file's (mtu-overlay-overhead picks the one in force). */
  cniMtus: readonly CniMtuSetting[];
  /** Networks the inventory declares besides the nodes' own. */
  hostNetworks: readonly HostNetworkSetting[];
  /** Files saying the nodes run Docker. */
  dockerHosts: readonly DockerSetting[];
  /** Firewalls written apart from the nodes (Terraform security groups) and the machines they guard (model/firewalls.ts). */
  firewalls: FirewallFacts;
  settings: EffectiveSettings;
  /** The documents of each kind, for the parts of rules that are about one format. */
  members(kind: string): ReadonlyArray<Member<unknown>>;
}

/** What document kinds add while a cluster's model is assembled. */
export class ClusterModelBuilder {
  readonly rosters: Roster[] = [];
  readonly nodePortClaims: NodePortClaim[] = [];
  readonly portSettings: PortSetting[] = [];
  readonly subnets: SubnetSetting[] = [];
  readonly nodePortRanges: PortRangeSetting[] = [];
  readonly cniSettings: CniSetting[] = [];
  /** Who installs the cluster, as each file says or implies it. */
  readonly distributions: DistributionSetting[] = [];
  readonly nodeCidrMasks: NodeCidrMaskSetting[] = [];
  readonly cniMtus: CniMtuSetting[] = [];
  readonly hostNetworks: HostNetworkSetting[] = [];
  readonly dockerHosts: DockerSetting[] = [];
  readonly firewalls: FirewallContribution[] = [];
  /** Machines that name the firewalls guarding them, linked to nodes once every kind has contributed. */
  readonly guardSelectors: GuardSelector[] = [];
  configured?: ConfiguredPorts;
  private readonly byKind = new Map<string, Member<unknown>[]>();

  addMembers(kind: string, members: ReadonlyArray<Member<unknown>>): void {
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), ...members]);
  }

  members(kind: string): ReadonlyArray<Member<unknown>> {
    return this.byKind.get(kind) ?? [];
  }
}

/** The place of one of a node's values (or of a range relative to the node's origin). */
export function placeOf(node: NodeFacts, value: Value<unknown> | Range): Place {
  if ('value' in value) return { origin: value.origin ?? node.origin, range: value.range, owner: node };
  return { origin: node.origin, range: value, owner: node };
}

/** Where a finding about a node as a whole goes: its hostname value, else the first character of its entry. */
export function nodeAnchor(node: NodeFacts): Place {
  if (node.hostname) return placeOf(node, node.hostname);
  const start = node.itemRange.start;
  return placeOf(node, { start, end: { line: start.line, character: start.character + 1 } });
}

/** How messages name a node: `"cp-1"`, else by the name its format gives it, else by its first address (k0sctl hosts often have no hostname), else "without a hostname". */
export function nodeLabel(node: NodeFacts): string {
  if (node.hostname) return `"${node.hostname.value}"`;
  if (node.label) return node.label;
  const address = node.interfaces?.find((i) => i.address?.value)?.address?.value;
  return address ? `at ${address}` : 'without a hostname';
}
