/** k0sctl's `Cluster` (hosts and an embedded k0s config) and k0s's own `ClusterConfig`. */
import { k0sConfigSymbols, k0sctlSymbols } from './symbols';
import { k0sConfigComplete, k0sctlComplete } from './complete';
import type { Place } from '../../core/located';
import type { Range } from '../../core/text/positions';
import { cniPluginOf } from '../../knowledge/cni';
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { parsePortRange } from '../../knowledge/net/portRange';
import { parseSubnets } from '../../knowledge/net/subnets';
import type { Role } from '../../knowledge/ports';
import type { ClusterModelBuilder, NodeFacts } from '../../model/cluster';
import type { DocumentKind } from '../kind';
import {
  K0S_API_VERSION,
  K0SCTL_API_VERSION,
  K0sConfigDocument,
  K0sctlDocument,
  type K0sConfigFacts,
  type K0sHost,
} from './document';
import { k0sHover } from './hover';

export const K0SCTL_KIND_ID = 'k0sctl';
export const K0S_KIND_ID = 'k0s';

/** The roles Cluster Preflight gives a k0sctl host; installFlags can change what `role` says (k0sctl does the same). */
export function rolesOf(host: K0sHost, config: K0sConfigFacts): Role[] {
  const flags = host.installFlags.map((f) => f.value).join(' ');
  let role = host.role?.value;
  if (/--enable-worker(?:=true)?(?:\s|$)/.test(flags)) role = 'controller+worker';
  else if (/--single(?:=true)?(?:\s|$)/.test(flags)) role = 'single';
  const etcd = runsEtcd(role, config);
  switch (role) {
    case 'controller':
      return etcd ? ['control-plane', 'etcd'] : ['control-plane'];
    case 'controller+worker':
    case 'single':
      return etcd ? ['control-plane', 'worker', 'etcd'] : ['control-plane', 'worker'];
    case 'worker':
      return ['worker'];
    default:
      return [];
  }
}

/** Controllers run etcd unless the config says kine or external etcd (a single node defaults to kine). */
function runsEtcd(role: string | undefined, config: K0sConfigFacts): boolean {
  if (config.externalEtcd) return false;
  const storage = config.storageType?.value ?? (role === 'single' ? 'kine' : 'etcd');
  return storage === 'etcd';
}

/** The nodes of a k0sctl file: one per host, named by `hostname`, addressed by privateAddress or the connection address. */
function nodesOf(uri: string, doc: K0sctlDocument): NodeFacts[] {
  return doc.hosts.map((host, index) => {
    const viaConnection = !host.privateAddress?.value;
    const address = viaConnection ? host.connectionAddress : host.privateAddress;
    const parsed = address && parseInterfaceAddress(address.value);
    // One address with different SSH ports is a port forward to different machines, not a duplicate.
    const port = viaConnection && host.connectionPort ? ` port ${host.connectionPort.value}` : '';
    return {
      kind: K0SCTL_KIND_ID,
      origin: { uri, chunk: doc.chunk },
      itemRange: host.itemRange,
      hostname: host.hostname,
      // Hosts are known by how k0sctl connects to them.
      label: host.connectionAddress
        ? `host ${host.connectionAddress.value}${host.connectionPort ? `:${host.connectionPort.value}` : ''}`
        : `hosts[${index}]`,
      roles: rolesOf(host, doc.effectiveConfig),
      interfaces: address
        ? [
            {
              address,
              addressKey: parsed && parsed.prefix === undefined ? parsed.canonical + port : undefined,
              hasAddress: true,
              itemRange: address.range,
            },
          ]
        : [],
      firewall: [],
      listeners: [],
      broken: false,
    };
  });
}

/** Settings of a k0s config: the API server port, the NodePort range and the pod and service networks. */
function contributeConfig(
  config: K0sConfigFacts,
  doc: object,
  at: (range: Range) => Place,
  into: ClusterModelBuilder,
  prefix: string,
): void {
  if (config.apiPort) {
    const port = config.apiPort.value;
    into.portSettings.push({
      id: 'kube-apiserver',
      range: { low: port, high: port },
      tier: 'installer',
      source: { place: at(config.apiPort.range), description: `${prefix}api.port` },
    });
  }
  // k0s's own ports, where the config moves them.
  for (const [id, value, name] of [
    ['k0s-api', config.k0sApiPort, 'api.k0sApiPort'],
    ['konnectivity-agent', config.konnectivityAgentPort, 'konnectivity.agentPort'],
    ['konnectivity-admin', config.konnectivityAdminPort, 'konnectivity.adminPort'],
  ] as const) {
    if (!value) continue;
    into.portSettings.push({
      id,
      range: { low: value.value, high: value.value },
      tier: 'installer',
      source: { place: at(value.range), description: `${prefix}${name}` },
    });
  }
  if (config.nodePortRange) {
    const range = parsePortRange(config.nodePortRange.value, 0);
    const place = at(config.nodePortRange.range);
    into.nodePortRanges.push({
      name: 'service-node-port-range',
      value: config.nodePortRange.value,
      at: place,
      against: 'cluster',
      lowestPort: 0,
    });
    if (range.ok)
      into.portSettings.push({
        id: 'nodeport-services',
        range: range.range,
        tier: 'installer',
        source: { place, description: `${prefix}api.extraArgs service-node-port-range` },
      });
  }
  for (const [role, name, value] of [
    ['pod', 'podCIDR', config.podCIDR],
    ['service', 'serviceCIDR', config.serviceCIDR],
  ] as const) {
    if (!value?.value) continue;
    const parsed = parseSubnets(value.value);
    into.subnets.push({
      role,
      name: `network.${name}`,
      value: value.value,
      at: at(value.range),
      cidrs: parsed.ok ? parsed.cidrs : [],
      plan: doc,
    });
  }
}

/** k0s deploys kube-router unless network.provider says calico (VXLAN by default in k0s) or custom. */
function contributeCni(config: K0sConfigFacts, at: (range: Range) => Place, into: ClusterModelBuilder, prefix: string): void {
  const provider = config.provider?.value ?? 'kuberouter';
  const plugin = provider === 'custom' ? 'other' : cniPluginOf(provider);
  const calicoMode = config.calicoMode?.value ?? 'vxlan';
  const ports = new Map<string, number>();
  if (config.calicoVxlanPort) ports.set('cni-calico-vxlan', config.calicoVxlanPort.value);
  into.cniSettings.push({
    choice: {
      plugin,
      mode: plugin === 'calico' ? (calicoMode === 'bird' ? 'bgp' : calicoMode) : undefined,
      wireguard: plugin === 'calico' ? config.calicoWireguard?.value : undefined,
      ports,
    },
    tier: 'installer',
    source: config.provider
      ? { place: at(config.provider.range), description: `${prefix}network.provider` }
      : { description: "k0s's default network.provider (kuberouter)" },
    modeWritten: !!config.calicoMode,
  });
  // Calico takes network.calico.mtu (k0s's default 1450 is written nowhere: only a written value is checked; 0 detects);
  // kube-router takes network.kuberouter.mtu only with autoMTU false.
  const mtu =
    plugin === 'calico' && config.calicoMtu
      ? { name: `${prefix}network.calico.mtu`, value: config.calicoMtu }
      : plugin === 'kube-router' && config.kubeRouterMtu && config.kubeRouterAutoMtu?.value === false
        ? { name: `${prefix}network.kuberouter.mtu`, value: config.kubeRouterMtu }
        : undefined;
  if (mtu && mtu.value.value > 0)
    into.cniMtus.push({ name: mtu.name, value: mtu.value.value, at: at(mtu.value.range), plugin, tier: 'installer' });
}

/** Remembered per document: a document does not change once parsed, so neither do its nodes. */
const nodesByDocument = new WeakMap<K0sctlDocument, NodeFacts[]>();

export const k0sctlKind: DocumentKind<K0sctlDocument> = {
  id: K0SCTL_KIND_ID,
  label: 'k0sctl configuration',
  definesCluster: true,
  recognize: ({ apiVersion, kind }) => apiVersion === K0SCTL_API_VERSION && kind?.toLowerCase() === 'cluster',
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    return K0sctlDocument.parse(k0sctlKind, text, start, end, lineOf(start));
  },
  contribute(members, into) {
    for (const { uri, doc } of members) {
      const at = (range: Range): Place => ({ origin: { uri, chunk: doc.chunk }, range, owner: doc });
      let nodes = nodesByDocument.get(doc);
      if (!nodes) nodesByDocument.set(doc, (nodes = nodesOf(uri, doc)));
      into.rosters.push({
        kind: K0SCTL_KIND_ID,
        uri,
        nodes,
        anchors: { nodes: doc.hostsKey && at(doc.hostsKey) },
        noEtcd: !nodes.some((n) => n.roles.includes('etcd')) && nodes.some((n) => n.roles.includes('control-plane')),
      });
      into.distributions.push({ distribution: 'k0s', tier: 'installer', source: { description: 'the k0sctl configuration' } });
      contributeConfig(doc.config, doc, at, into, 'spec.k0s.config.spec.');
      // The file's ClusterConfig document contributes its own network plugin; k0s's default is not in force then.
      if (doc.config.provider || !doc.inFileConfig?.provider) contributeCni(doc.config, at, into, 'spec.k0s.config.spec.');
    }
  },
  hover: k0sHover,
  complete: k0sctlComplete,
  symbols: k0sctlSymbols,
};

export const k0sConfigKind: DocumentKind<K0sConfigDocument> = {
  id: K0S_KIND_ID,
  label: 'k0s ClusterConfig',
  definesCluster: false,
  recognize: ({ apiVersion, kind }) => apiVersion === K0S_API_VERSION && kind?.toLowerCase() === 'clusterconfig',
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    return K0sConfigDocument.parse(k0sConfigKind, text, start, end, lineOf(start));
  },
  contribute(members, into) {
    for (const { uri, doc } of members) {
      const at = (range: Range): Place => ({ origin: { uri, chunk: doc.chunk }, range, owner: doc });
      into.distributions.push({ distribution: 'k0s', tier: 'installer', source: { description: 'the k0s ClusterConfig' } });
      contributeConfig(doc.config, doc, at, into, 'spec.');
      contributeCni(doc.config, at, into, 'spec.');
    }
  },
  hover: k0sHover,
  complete: k0sConfigComplete,
  symbols: k0sConfigSymbols,
};
