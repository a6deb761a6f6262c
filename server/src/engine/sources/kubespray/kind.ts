/**
 * Kubespray inventories: an Ansible inventory (YAML `hosts.yaml` or INI `inventory.ini`) whose
 * groups include Kubespray's, with the group_vars/ and host_vars/ next to it. Hosts become
 * nodes (roles from their groups, addresses from ip, access_ip or ansible_host); the cluster's
 * settings come from the variables, with Kubespray's defaults when unset.
 */
import { kubespraySymbols } from './symbols';
import { kubesprayReferences } from './references';
import { kubesprayComplete } from './complete';
import type { Value } from '../../core/located';
import { cniPluginOf, type CniPlugin } from '../../knowledge/cni';
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { parsePortRange } from '../../knowledge/net/portRange';
import { parseSubnets } from '../../knowledge/net/subnets';
import type { ClusterModelBuilder, InterfaceFacts, Member, NodeFacts } from '../../model/cluster';
import type { DocumentKind } from '../kind';
import { kubesprayCluster, type KubesprayCluster, type KubesprayHost, type ResolvedVar } from './cluster';
import { KUBESPRAY_KIND_ID, KubesprayInventoryDocument, KubesprayVarsDocument, varsTargetOf } from './document';
import { kubesprayHover, kubesprayIniHover } from './hover';
import { KUBESPRAY_GROUP_HEADER } from './ini';
import { looksLikeYamlInventory } from './yamlInventory';

export { KUBESPRAY_KIND_ID };

type KubesprayDocument = KubesprayInventoryDocument | KubesprayVarsDocument;

/** A variable's value as text, when it is a plain (not templated) scalar. */
export function known(resolved: ResolvedVar | undefined): Value<string> | undefined {
  if (!resolved || resolved.variable.templated) return undefined;
  const value = resolved.variable.value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return { value: String(value), range: resolved.place.range, origin: resolved.place.origin };
}

/**
 * A variable's value as Ansible's `bool` filter reads it (true, "yes", "on", 1...); undefined when
 * it is unset, templated or neither true nor false.
 */
export function truth(resolved: ResolvedVar | undefined): boolean | undefined {
  if (!resolved || resolved.variable.templated) return undefined;
  const value = resolved.variable.value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', 'yes', 'on', 'y', '1'].includes(text)) return true;
  if (['false', 'no', 'off', 'n', '0', ''].includes(text)) return false;
  return undefined;
}

/**
 * Which address families the cluster runs, as kubespray_defaults decides: ipv4_stack (default
 * true) and ipv6_stack (default: the deprecated enable_dual_stack_networks, else false). The
 * other family's subnet variables keep their defaults but are not in force. A templated switch
 * is unknown: its family's settings are left out rather than guessed.
 */
function familiesOf(cluster: KubesprayCluster): { ipv4: boolean; ipv6: boolean } {
  const ipv4 = cluster.setting('ipv4_stack');
  const ipv6 = cluster.setting('ipv6_stack') ?? cluster.setting('enable_dual_stack_networks');
  return { ipv4: ipv4 === undefined || truth(ipv4) === true, ipv6: truth(ipv6) === true };
}

/** The variables a host's address is read from, in order. */
export const ADDRESS_VARIABLES = ['ip', 'access_ip', 'ansible_host'] as const;

/** The variable that gives a host its address: the first of ip, access_ip, ansible_host that is set. */
export function addressOf(host: KubesprayHost): { name: string; resolved: ResolvedVar } | undefined {
  for (const name of ADDRESS_VARIABLES) {
    const resolved = host.variable(name);
    if (resolved && resolved.variable.value !== null && resolved.variable.value !== '') return { name, resolved };
  }
  return undefined;
}

function interfacesOf(host: KubesprayHost): InterfaceFacts[] {
  const address = addressOf(host);
  const value = address && known(address.resolved);
  if (!address || !value) return [];
  const parsed = parseInterfaceAddress(value.value);
  // ansible_host is often a DNS name: only an IP there is compared. ip and access_ip must be IPs.
  if (address.name === 'ansible_host' && !parsed) return [];
  // One ansible_host with different SSH ports is port forwarding to different machines.
  const port = address.name === 'ansible_host' ? (known(host.variable('ansible_port'))?.value ?? host.port) : undefined;
  return [
    {
      address: value,
      addressKey: parsed ? parsed.canonical + (port !== undefined ? ` port ${port}` : '') : undefined,
      hasAddress: true,
      itemRange: value.range,
    },
  ];
}

function nodeOf(host: KubesprayHost): NodeFacts {
  const override = known(host.variable('kube_override_hostname'));
  return {
    kind: KUBESPRAY_KIND_ID,
    origin: host.first.origin,
    itemRange: host.first.range,
    hostname: override ?? { value: host.name, range: host.first.range },
    // The kubelet lowercases the name Kubespray gives it: Node1 becomes node node1.
    nameIsLowercased: true,
    roles: host.roles,
    interfaces: interfacesOf(host),
    firewall: [],
    listeners: [],
    broken: false,
  };
}

function contributeSettings(cluster: KubesprayCluster, into: ClusterModelBuilder): void {
  const port = known(cluster.setting('kube_apiserver_port'));
  if (port && /^\d+$/.test(port.value)) {
    into.portSettings.push({
      id: 'kube-apiserver',
      range: { low: Number(port.value), high: Number(port.value) },
      tier: 'installer',
      source: { place: { origin: port.origin!, range: port.range }, description: 'kube_apiserver_port' },
    });
  }
  const range = known(cluster.setting('kube_apiserver_node_port_range'));
  if (range) {
    const place = { origin: range.origin!, range: range.range };
    into.nodePortRanges.push({
      name: 'kube_apiserver_node_port_range',
      value: range.value,
      at: place,
      against: 'cluster',
      lowestPort: 0,
    });
    const parsed = parsePortRange(range.value, 0);
    if (parsed.ok)
      into.portSettings.push({
        id: 'nodeport-services',
        range: parsed.range,
        tier: 'installer',
        source: { place, description: 'kube_apiserver_node_port_range' },
      });
  }
  const families = familiesOf(cluster);
  for (const [name, family] of [
    ['kube_network_node_prefix', 'ipv4'],
    ['kube_network_node_prefix_ipv6', 'ipv6'],
  ] as const) {
    if (!families[family]) continue;
    const value = known(cluster.setting(name));
    if (value && /^\d+$/.test(value.value)) {
      into.nodeCidrMasks.push({ family, size: Number(value.value), name, at: { origin: value.origin!, range: value.range } });
    }
  }
  for (const [role, name, family] of [
    ['pod', 'kube_pods_subnet', 'ipv4'],
    ['service', 'kube_service_addresses', 'ipv4'],
    ['pod', 'kube_pods_subnet_ipv6', 'ipv6'],
    ['service', 'kube_service_addresses_ipv6', 'ipv6'],
  ] as const) {
    if (!families[family]) continue;
    const value = known(cluster.setting(name));
    if (!value) continue;
    const parsed = parseSubnets(value.value);
    into.subnets.push({
      role,
      name,
      value: value.value,
      at: { origin: value.origin!, range: value.range },
      cidrs: parsed.ok ? parsed.cidrs : [],
      plan: cluster,
    });
  }
}

/**
 * The network plugin Kubespray deploys (kube_network_plugin, default calico) and its mode from
 * the plugin's own variables, with Kubespray's defaults: Calico over VXLAN, Cilium over VXLAN,
 * flannel over VXLAN.
 */
function contributeCni(cluster: KubesprayCluster, into: ClusterModelBuilder): void {
  const pluginVar = cluster.setting('kube_network_plugin');
  if (pluginVar?.variable.templated) return;
  const named = known(pluginVar)?.value ?? 'calico';
  const plugin = cniPluginOf(named === 'cni' || named === 'custom_cni' ? 'other' : named);
  const text = (name: string) => known(cluster.setting(name))?.value;
  const flag = (name: string) => truth(cluster.setting(name)) === true;
  const ports = new Map<string, number>();
  const port = (id: string, name: string) => {
    const value = text(name);
    if (value && /^\d+$/.test(value)) ports.set(id, Number(value));
  };
  let mode: string | undefined;
  let wireguard = false;
  const modeVars: string[] = [];
  if (plugin === 'calico') {
    const backend = text('calico_network_backend') ?? 'vxlan';
    const ipip = text('calico_ipip_mode') ?? 'Never';
    mode = backend === 'bird' ? (ipip === 'Never' ? 'bgp' : 'ipip') : backend === 'vxlan' ? 'vxlan' : 'policy-only';
    wireguard = flag('calico_wireguard_enabled');
    port('cni-calico-vxlan', 'calico_vxlan_port');
    port('cni-calico-bgp', 'calico_bgp_listen_port');
    modeVars.push('calico_network_backend', 'calico_ipip_mode');
  } else if (plugin === 'cilium') {
    const tunnel = text('cilium_tunnel_mode') ?? 'vxlan';
    mode = tunnel === 'disabled' ? 'native' : tunnel;
    wireguard = flag('cilium_encryption_enabled') && text('cilium_encryption_type') === 'wireguard';
    modeVars.push('cilium_tunnel_mode');
  } else if (plugin === 'flannel') {
    mode = text('flannel_backend_type') ?? 'vxlan';
    port('cni-flannel-vxlan', 'flannel_vxlan_port');
    modeVars.push('flannel_backend_type');
  }
  contributeMtu(cluster, plugin, into);
  into.cniSettings.push({
    choice: { plugin, mode, wireguard, ports },
    tier: 'installer',
    source: pluginVar
      ? { place: pluginVar.place, description: `kube_network_plugin (${pluginVar.source})` }
      : { description: "Kubespray's default kube_network_plugin (calico)" },
    modeWritten: modeVars.some((name) => cluster.setting(name) !== undefined),
  });
}

/**
 * The MTU Kubespray hands the plugin: Calico's templates set it only when calico_mtu is defined,
 * taking calico_veth_mtu for the tunnels when that is set too (calico-node.yml.j2: FELIX_VXLANMTU
 * and friends = calico_veth_mtu | default(calico_mtu)); Cilium's MTU is cilium_mtu, 0 meaning
 * detect. flannel's role has no MTU variable.
 */
function contributeMtu(cluster: KubesprayCluster, plugin: CniPlugin, into: ClusterModelBuilder): void {
  const number = (name: string) => {
    const value = known(cluster.setting(name));
    return value && /^\d+$/.test(value.value.trim()) ? { name, value } : undefined;
  };
  let chosen: { name: string; value: Value<string> } | undefined;
  if (plugin === 'calico' && number('calico_mtu')) chosen = number('calico_veth_mtu') ?? number('calico_mtu');
  else if (plugin === 'cilium') chosen = number('cilium_mtu');
  if (!chosen || Number(chosen.value.value) === 0) return;
  into.cniMtus.push({
    name: chosen.name,
    value: Number(chosen.value.value),
    at: { origin: chosen.value.origin!, range: chosen.value.range },
    plugin,
    tier: 'installer',
  });
}

/** Docker as the container runtime puts its default bridge on every node. */
function contributeDocker(cluster: KubesprayCluster, into: ClusterModelBuilder): void {
  const manager = known(cluster.setting('container_manager'));
  if (manager?.value.trim() === 'docker')
    into.dockerHosts.push({ description: 'container_manager: docker', at: { origin: manager.origin!, range: manager.range } });
}

/** Remembered per host object: a cluster does not change once built, so neither do its nodes. */
const nodesByCluster = new WeakMap<KubesprayCluster, NodeFacts[]>();

export const kubesprayKind: DocumentKind<KubesprayDocument> = {
  id: KUBESPRAY_KIND_ID,
  label: 'Kubespray inventory or variables',
  definesCluster: false,
  // Ansible variables are full of Jinja: a templated value is unknown, not worth a note.
  expectsPlaceholders: true,
  claimsTemplates: true,
  claimsFile: (uri, text) => /\.ini$/i.test(uri) && KUBESPRAY_GROUP_HEADER.test(text),
  recognize: ({ uri, text, apiVersion }) =>
    apiVersion === undefined && /\.ya?ml$/i.test(uri) && (varsTargetOf(uri) !== undefined || looksLikeYamlInventory(text)),
  // eslint-disable-next-line require-yield
  *analyze({ uri, text, start, end, lineOf }) {
    if (/\.ini$/i.test(uri)) return KubesprayInventoryDocument.fromIni(kubesprayKind, text, start, end, lineOf(start));
    if (varsTargetOf(uri) && !looksLikeYamlInventory(text.slice(start, end)))
      return KubesprayVarsDocument.parse(kubesprayKind, uri, text, start, end, lineOf(start));
    return KubesprayInventoryDocument.fromYaml(kubesprayKind, text, start, end, lineOf(start));
  },
  contribute(members: ReadonlyArray<Member<KubesprayDocument>>, into) {
    const cluster = kubesprayCluster(members);
    if (cluster.inventories.length === 0) return;
    let nodes = nodesByCluster.get(cluster);
    if (!nodes) nodesByCluster.set(cluster, (nodes = cluster.nodes.map(nodeOf)));
    into.rosters.push({
      kind: KUBESPRAY_KIND_ID,
      uri: cluster.inventories[0].uri,
      nodes,
      anchors: {
        nodes: cluster.anchor,
        etcd: cluster.groupKey('etcd'),
        controlPlane: cluster.groupKey('kube_control_plane') ?? cluster.anchor,
      },
      // etcd on hosts with an empty etcd group is etcd-group-empty's finding; there are no members to count.
      noEtcd: !nodes.some((n) => n.roles.includes('etcd')) && known(cluster.setting('etcd_deployment_type'))?.value !== 'kubeadm',
    });
    // Kubespray installs with kubeadm: Kubernetes' own table applies.
    into.distributions.push({ distribution: 'kubeadm', tier: 'installer', source: { description: 'the Kubespray inventory' } });
    contributeSettings(cluster, into);
    contributeCni(cluster, into);
    contributeDocker(cluster, into);
  },
  hover: kubesprayHover,
  complete: kubesprayComplete,
  symbols: kubespraySymbols,
  references: kubesprayReferences,
  hoverFile: kubesprayIniHover,
};
