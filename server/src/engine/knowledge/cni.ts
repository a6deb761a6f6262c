/**
 * The network plugins' (CNI) ports, beside the Kubernetes port table in ports.ts: which port or
 * IP protocol each plugin needs between nodes, in which mode, and whether the data plane
 * breaks without it (an error) or only health and observability (a warning). Every CNI port
 * number in the code is written here.
 *
 * Sources: the docs each entry links (Calico network requirements, Cilium firewall rules,
 * flannel backends, RKE2's CNI inbound rules, Antrea network requirements, kube-router's user
 * guide, Weave's FAQ), summarised in the project's research notes (formats-and-cni, section 2).
 */
import type { ComponentPort, Distribution, Placement, PortRange } from './ports';

export type CniPlugin = 'calico' | 'cilium' | 'flannel' | 'canal' | 'antrea' | 'kube-router' | 'weave' | 'none' | 'other';

export interface CniPluginInfo {
  label: string;
  /** The encapsulation or routing modes the plugin offers, the default first. */
  modes: readonly string[];
  /** The mode the plugin's own install uses when nothing says otherwise. */
  defaultMode?: string;
  docs: string;
}

const CALICO = 'https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements#network-requirements';
const CILIUM = 'https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules';
const FLANNEL = 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md';
const CANAL = 'https://docs.rke2.io/install/requirements#cni-specific-inbound-network-rules';
const ANTREA = 'https://github.com/antrea-io/antrea/blob/main/docs/network-requirements.md';
const KUBE_ROUTER = 'https://github.com/cloudnativelabs/kube-router/blob/master/docs/user-guide.md';
const WEAVE = 'https://github.com/weaveworks/weave/blob/master/site/faq.md#ports';
const RKE2_FLANNEL = 'https://docs.rke2.io/install/requirements#cni-specific-inbound-network-rules';

export const CNI_PLUGINS: Readonly<Record<CniPlugin, CniPluginInfo>> = {
  // Calico's manifest install uses IP-in-IP with BGP; Kubespray and k0s default to VXLAN (they say so themselves).
  calico: { label: 'Calico', modes: ['ipip', 'vxlan', 'bgp', 'none'], defaultMode: 'ipip', docs: CALICO },
  cilium: { label: 'Cilium', modes: ['vxlan', 'geneve', 'native'], defaultMode: 'vxlan', docs: CILIUM },
  flannel: { label: 'flannel', modes: ['vxlan', 'host-gw', 'wireguard', 'udp'], defaultMode: 'vxlan', docs: FLANNEL },
  canal: { label: 'Canal', modes: ['vxlan'], defaultMode: 'vxlan', docs: CANAL },
  antrea: { label: 'Antrea', modes: ['geneve', 'vxlan', 'gre', 'stt', 'noEncap'], defaultMode: 'geneve', docs: ANTREA },
  'kube-router': { label: 'kube-router', modes: ['bgp'], defaultMode: 'bgp', docs: KUBE_ROUTER },
  weave: { label: 'Weave Net', modes: ['sleeve'], defaultMode: 'sleeve', docs: WEAVE },
  none: { label: 'no CNI', modes: [], docs: CALICO },
  other: { label: 'another CNI', modes: [], docs: CALICO },
};

export const CNI_PLUGIN_IDS = Object.keys(CNI_PLUGINS) as CniPlugin[];

/** One thing a plugin needs a node to admit from the other nodes. */
export interface CniPort extends ComponentPort {
  id: `cni-${string}`;
  plugin: CniPlugin;
  /** Needed in these modes only; absent: in every mode. */
  modes?: readonly string[];
  /** Needed only with WireGuard encryption on. */
  withWireguard?: boolean;
  /** Not needed with WireGuard on: WireGuard replaces this encapsulation (Canal's flannel runs VXLAN or WireGuard). */
  withoutWireguard?: boolean;
  /** Needed only when the pod network has IPv6 (WireGuard over IPv6 listens on its own port). */
  withIpv6?: boolean;
  /** Listed only in these distributions' tables (RKE2's Typha and health ports). */
  onlyUnder?: readonly Distribution[];
  /** Left out of these distributions' tables (k0s lists only BGP for kube-router). */
  notUnder?: readonly Distribution[];
  /** The port a distribution's own packaging uses instead (RKE2's flannel VXLAN), with its docs. */
  under?: Partial<Record<Distribution, { ports: PortRange; docs: string }>>;
}

const range = (low: number, high = low): PortRange => ({ low, high });
/** IP protocols have no port: their requirement carries an empty range. */
const NO_PORT = range(0);

function cni(
  plugin: CniPlugin,
  key: string,
  fields: Pick<CniPort, 'purpose' | 'protocol' | 'missingSeverity' | 'configuredBy' | 'docs'> &
    Partial<
      Pick<CniPort, 'modes' | 'withWireguard' | 'withoutWireguard' | 'withIpv6' | 'onlyUnder' | 'notUnder' | 'under' | 'icmp'>
    > & { ports?: PortRange },
): CniPort {
  return {
    id: `cni-${plugin}-${key}`,
    plugin,
    component: CNI_PLUGINS[plugin].label,
    purpose: fields.purpose,
    defaultPorts: fields.ports ?? NO_PORT,
    protocol: fields.protocol,
    direction: 'Inbound',
    usedBy: `${CNI_PLUGINS[plugin].label} on every other node`,
    runsOn: ['kubernetes-node'],
    openOn: ['kubernetes-node'],
    from: ['kubernetes-node'],
    missingSeverity: fields.missingSeverity,
    configuredBy: fields.configuredBy,
    docs: fields.docs,
    modes: fields.modes,
    withWireguard: fields.withWireguard,
    withoutWireguard: fields.withoutWireguard,
    withIpv6: fields.withIpv6,
    onlyUnder: fields.onlyUnder,
    notUnder: fields.notUnder,
    under: fields.under,
    icmp: fields.icmp,
  };
}

export const CNI_PORTS: readonly CniPort[] = [
  cni('calico', 'bgp', {
    purpose: 'Calico BGP (routes between nodes)',
    ports: range(179),
    protocol: 'TCP',
    modes: ['ipip', 'bgp', 'none'],
    missingSeverity: 'error',
    configuredBy: ['BGPConfiguration listenPort', 'Kubespray calico_bgp_listen_port'],
    docs: CALICO,
  }),
  cni('calico', 'ipip', {
    purpose: 'Calico IP-in-IP encapsulation',
    protocol: 'IPIP',
    modes: ['ipip'],
    missingSeverity: 'error',
    configuredBy: ['IPPool ipipMode', 'Kubespray calico_ipip_mode'],
    docs: CALICO,
  }),
  cni('calico', 'vxlan', {
    purpose: 'Calico VXLAN',
    ports: range(4789),
    protocol: 'UDP',
    modes: ['vxlan'],
    missingSeverity: 'error',
    configuredBy: ['FelixConfiguration vxlanPort', 'Kubespray calico_vxlan_port', 'k0s network.calico.vxlanPort'],
    docs: CALICO,
  }),
  cni('calico', 'wireguard', {
    purpose: 'Calico WireGuard',
    ports: range(51820),
    protocol: 'UDP',
    withWireguard: true,
    missingSeverity: 'error',
    configuredBy: ['FelixConfiguration wireguardListeningPort'],
    docs: CALICO,
  }),
  cni('calico', 'wireguard-ipv6', {
    purpose: 'Calico WireGuard over IPv6',
    ports: range(51821),
    protocol: 'UDP',
    withWireguard: true,
    withIpv6: true,
    missingSeverity: 'error',
    configuredBy: ['FelixConfiguration wireguardListeningPortV6'],
    docs: CALICO,
  }),
  // RKE2's Calico chart runs Typha and lists its ports; Felix retries another Typha replica, so a gap degrades.
  cni('calico', 'typha', {
    purpose: 'Calico Typha (Felix connects to it)',
    ports: range(5473),
    protocol: 'TCP',
    onlyUnder: ['rke2'],
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CANAL,
  }),
  cni('calico', 'typha-health', {
    purpose: 'Calico Typha health checks',
    ports: range(9098),
    protocol: 'TCP',
    onlyUnder: ['rke2'],
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CANAL,
  }),
  cni('calico', 'health', {
    purpose: 'Calico health checks',
    ports: range(9099),
    protocol: 'TCP',
    onlyUnder: ['rke2'],
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CANAL,
  }),
  cni('cilium', 'health', {
    purpose: 'Cilium health checks',
    ports: range(4240),
    protocol: 'TCP',
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CILIUM,
  }),
  cni('cilium', 'icmp-echo', {
    purpose: 'Cilium health checks (ICMP echo request, type 8 code 0)',
    protocol: 'ICMP',
    icmp: { type: 8, code: 0 },
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CILIUM,
  }),
  cni('cilium', 'vxlan', {
    purpose: 'Cilium VXLAN',
    ports: range(8472),
    protocol: 'UDP',
    modes: ['vxlan'],
    missingSeverity: 'error',
    configuredBy: ['Helm tunnelPort', 'Kubespray cilium_tunnel_mode'],
    docs: CILIUM,
  }),
  cni('cilium', 'geneve', {
    purpose: 'Cilium Geneve',
    ports: range(6081),
    protocol: 'UDP',
    modes: ['geneve'],
    missingSeverity: 'error',
    configuredBy: ['Helm tunnelPort', 'Kubespray cilium_tunnel_mode'],
    docs: CILIUM,
  }),
  cni('cilium', 'wireguard', {
    purpose: 'Cilium WireGuard',
    ports: range(51871),
    protocol: 'UDP',
    withWireguard: true,
    missingSeverity: 'error',
    configuredBy: [],
    docs: CILIUM,
  }),
  cni('flannel', 'vxlan', {
    purpose: 'flannel VXLAN',
    ports: range(8472),
    protocol: 'UDP',
    modes: ['vxlan'],
    missingSeverity: 'error',
    configuredBy: ['net-conf.json Backend.Port', 'Kubespray flannel_vxlan_port'],
    docs: FLANNEL,
    // RKE2's flannel chart uses the IANA VXLAN port, as its Flannel tab says (Canal keeps 8472).
    under: { rke2: { ports: range(4789), docs: RKE2_FLANNEL } },
  }),
  cni('flannel', 'udp', {
    purpose: 'flannel UDP backend',
    ports: range(8285),
    protocol: 'UDP',
    modes: ['udp'],
    missingSeverity: 'error',
    configuredBy: ['net-conf.json Backend.Port'],
    docs: FLANNEL,
  }),
  cni('flannel', 'wireguard', {
    purpose: 'flannel WireGuard',
    ports: range(51820),
    protocol: 'UDP',
    modes: ['wireguard'],
    missingSeverity: 'error',
    configuredBy: ['net-conf.json Backend.ListenPort'],
    docs: FLANNEL,
  }),
  cni('flannel', 'wireguard-ipv6', {
    purpose: 'flannel WireGuard over IPv6',
    ports: range(51821),
    protocol: 'UDP',
    modes: ['wireguard'],
    withIpv6: true,
    missingSeverity: 'error',
    configuredBy: ['net-conf.json Backend.ListenPortV6'],
    docs: FLANNEL,
  }),
  // RKE2's Canal tab lists VXLAN and WireGuard as separate cases: flannel runs one backend or the other.
  cni('canal', 'vxlan', {
    purpose: 'Canal (flannel) VXLAN',
    ports: range(8472),
    protocol: 'UDP',
    withoutWireguard: true,
    missingSeverity: 'error',
    configuredBy: ['net-conf.json Backend.Port'],
    docs: CANAL,
  }),
  cni('canal', 'wireguard', {
    purpose: 'Canal WireGuard',
    ports: range(51820),
    protocol: 'UDP',
    withWireguard: true,
    missingSeverity: 'error',
    configuredBy: [],
    docs: CANAL,
  }),
  cni('canal', 'wireguard-ipv6', {
    purpose: 'Canal WireGuard over IPv6',
    ports: range(51821),
    protocol: 'UDP',
    withWireguard: true,
    withIpv6: true,
    missingSeverity: 'error',
    configuredBy: [],
    docs: CANAL,
  }),
  cni('canal', 'health', {
    purpose: 'Canal health checks',
    ports: range(9099),
    protocol: 'TCP',
    onlyUnder: ['rke2'],
    missingSeverity: 'warning',
    configuredBy: [],
    docs: CANAL,
  }),
  // Antrea's agent opens its own ports in iptables: a missing host firewall rule is only a warning.
  cni('antrea', 'geneve', {
    purpose: 'Antrea Geneve',
    ports: range(6081),
    protocol: 'UDP',
    modes: ['geneve'],
    missingSeverity: 'warning',
    configuredBy: ['antrea-agent tunnelPort'],
    docs: ANTREA,
  }),
  cni('antrea', 'vxlan', {
    purpose: 'Antrea VXLAN',
    ports: range(4789),
    protocol: 'UDP',
    modes: ['vxlan'],
    missingSeverity: 'warning',
    configuredBy: ['antrea-agent tunnelPort'],
    docs: ANTREA,
  }),
  cni('antrea', 'stt', {
    purpose: 'Antrea STT',
    ports: range(7471),
    protocol: 'TCP',
    modes: ['stt'],
    missingSeverity: 'warning',
    configuredBy: ['antrea-agent tunnelPort'],
    docs: ANTREA,
  }),
  cni('antrea', 'gre', {
    purpose: 'Antrea GRE',
    protocol: 'GRE',
    modes: ['gre'],
    missingSeverity: 'warning',
    configuredBy: ['antrea-agent tunnelType'],
    docs: ANTREA,
  }),
  cni('antrea', 'control', {
    purpose: 'Antrea controller and agent APIs',
    ports: range(10349, 10351),
    protocol: 'TCP',
    missingSeverity: 'warning',
    configuredBy: ['Helm controller.apiPort', 'Helm agent.apiPort'],
    docs: ANTREA,
  }),
  cni('antrea', 'wireguard', {
    purpose: 'Antrea WireGuard',
    ports: range(51820),
    protocol: 'UDP',
    withWireguard: true,
    missingSeverity: 'warning',
    configuredBy: ['antrea-agent wireGuard.port'],
    docs: ANTREA,
  }),
  cni('kube-router', 'bgp', {
    purpose: 'kube-router BGP',
    ports: range(179),
    protocol: 'TCP',
    missingSeverity: 'error',
    configuredBy: ['kube-router --bgp-port'],
    docs: KUBE_ROUTER,
  }),
  // The overlay only carries traffic between nodes in different subnets. k0s's table lists only
  // 179/TCP for kube-router, so under k0s the overlay is not asked for (a warning there would be
  // a claim its docs do not make).
  cni('kube-router', 'ipip', {
    purpose: 'kube-router IP-in-IP overlay (between subnets)',
    protocol: 'IPIP',
    notUnder: ['k0s'],
    missingSeverity: 'warning',
    configuredBy: ['kube-router --enable-overlay'],
    docs: KUBE_ROUTER,
  }),
  cni('weave', 'control', {
    purpose: 'Weave Net control',
    ports: range(6783),
    protocol: 'TCP',
    missingSeverity: 'error',
    configuredBy: [],
    docs: WEAVE,
  }),
  cni('weave', 'data', {
    purpose: 'Weave Net data',
    ports: range(6783, 6784),
    protocol: 'UDP',
    missingSeverity: 'error',
    configuredBy: [],
    docs: WEAVE,
  }),
];

/** A cluster's network plugin as its files name it. */
export interface CniChoice {
  plugin: CniPlugin;
  mode?: string;
  wireguard?: boolean;
  /** The pod network has IPv6: WireGuard needs its IPv6 port too. */
  ipv6?: boolean;
  /** Ports the configuration moves (Calico's vxlanPort), by CNI port id. */
  ports?: ReadonlyMap<string, number>;
}

/**
 * What the plugin needs the nodes that run it to admit, in its mode and under the cluster's
 * distribution: each with the port the configuration gives it. `runsOn` is where the
 * distribution runs the pod network (every node, or under k0s the workers only).
 */
export function cniRequirements(
  choice: CniChoice,
  distribution: Distribution = 'kubeadm',
  runsOn: Placement = 'kubernetes-node',
): Array<{ port: CniPort; range: PortRange }> {
  const mode = choice.mode ?? CNI_PLUGINS[choice.plugin].defaultMode;
  return CNI_PORTS.filter(
    (p) =>
      p.plugin === choice.plugin &&
      (!p.modes || (mode !== undefined && p.modes.includes(mode))) &&
      (!p.withWireguard || choice.wireguard === true) &&
      (!p.withoutWireguard || choice.wireguard !== true) &&
      (!p.withIpv6 || choice.ipv6 === true) &&
      (!p.onlyUnder || p.onlyUnder.includes(distribution)) &&
      !p.notUnder?.includes(distribution),
  ).map((row) => {
    const port = placedPort(row, distribution, runsOn);
    const moved = choice.ports?.get(port.id);
    return { port, range: moved !== undefined ? range(moved) : port.defaultPorts };
  });
}

/** A row as one distribution runs it, made once so that requirements stay the same objects between analyses. */
const placedRows = new Map<string, CniPort>();
function placedPort(row: CniPort, distribution: Distribution, runsOn: Placement): CniPort {
  const own = row.under?.[distribution];
  if (!own && runsOn === 'kubernetes-node') return row;
  const key = `${row.id}|${own ? distribution : ''}|${runsOn}`;
  let placed = placedRows.get(key);
  if (!placed) {
    placed = {
      ...row,
      defaultPorts: own?.ports ?? row.defaultPorts,
      docs: own?.docs ?? row.docs,
      runsOn: [runsOn],
      openOn: [runsOn],
      from: [runsOn],
    };
    placedRows.set(key, placed);
  }
  return placed;
}

/** Whether a plugin name (as an installer writes it) is one the table knows. */
export function cniPluginOf(name: string): CniPlugin {
  const normalised = name.trim().toLowerCase().replace(/_/g, '-');
  if (normalised === 'kuberouter') return 'kube-router';
  return (CNI_PLUGIN_IDS as string[]).includes(normalised) ? (normalised as CniPlugin) : 'other';
}
