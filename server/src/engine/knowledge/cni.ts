/**
 * The network plugins' (CNI) ports, beside the Kubernetes port table in ports.ts: which port or
 * IP protocol each plugin needs between nodes, in which mode, and whether the data plane
 * breaks without it (an error) or only health and observability (a warning). Every CNI port
 * number in the code is written here, and so is every encapsulation overhead: what each mode
 * adds to a packet, what a plugin's MTU setting means, and what it does when none is set.
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
  /** What the plugin's MTU setting means and what it does when none is set. */
  mtu: CniMtuInfo;
}

/** Bytes an encapsulation adds to each packet, by the family of the underlay (the outer header). */
export interface Overhead {
  ipv4: number;
  /** Absent: the encapsulation does not run over IPv6 (Calico's IP-in-IP is IPv4 only). */
  ipv6?: number;
}

/**
 * How a plugin's MTU setting relates to the interface it sends over.
 * - `pod`: the setting is the MTU of the pods' interfaces and tunnels (Calico, flannel, Antrea,
 *   kube-router): the encapsulation comes on top, so setting + overhead must fit the interface.
 * - `underlay`: the setting is the MTU of the network underneath (Cilium's `MTU`): the plugin
 *   subtracts its own overhead, so the setting itself must fit the interface.
 */
export interface CniMtuInfo {
  setting: 'pod' | 'underlay';
  /** Overhead per mode; a mode that is absent adds nothing (BGP, native routing, host-gw) or is unknown (listed in `unknownModes`). */
  overhead: Readonly<Record<string, Overhead>>;
  /** Modes whose overhead the table does not know: the MTU is not checked in them (no guess). */
  unknownModes?: readonly string[];
  /** WireGuard replaces the encapsulation (Calico, Canal, Antrea) or wraps it (Cilium). */
  wireguard: 'replaces' | 'wraps';
  /** What the plugin does when no MTU is set. */
  whenUnset: string;
  docs: string;
}

/**
 * Encapsulation overheads (Calico's "Configure MTU" page gives the sums: VXLAN 50 over IPv4 and
 * 70 over IPv6, IP-in-IP 20, WireGuard 60 over IPv4 and 80 over IPv6; IP-in-IP is IPv4 only).
 * Geneve is 50 bytes plus its options: the table assumes no options, the least it can be, so
 * that a reported overflow is certain (options only make it worse). Antrea's GRE adds 38
 * (outer IPv4 20, GRE 4, inner Ethernet 14; IPv6 outer 58).
 */
export const VXLAN_OVERHEAD: Overhead = { ipv4: 50, ipv6: 70 };
export const GENEVE_OVERHEAD: Overhead = { ipv4: 50, ipv6: 70 };
export const IPIP_OVERHEAD: Overhead = { ipv4: 20 };
export const GRE_OVERHEAD: Overhead = { ipv4: 38, ipv6: 58 };
export const WIREGUARD_OVERHEAD: Required<Overhead> = { ipv4: 60, ipv6: 80 };

const CALICO_MTU = 'https://docs.tigera.io/calico/latest/networking/configuring/mtu';
const CILIUM_MTU = 'https://docs.cilium.io/en/stable/helm-reference/';
const FLANNEL_MTU = 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md';
// Helm value defaultMTU: by default the agent takes the primary interface's MTU and subtracts the tunnel's overhead.
const ANTREA_MTU = 'https://github.com/antrea-io/antrea/blob/main/build/charts/antrea/README.md';
const KUBE_ROUTER_MTU = 'https://github.com/cloudnativelabs/kube-router/blob/master/docs/user-guide.md';

const CALICO = 'https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements#network-requirements';
const CILIUM = 'https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules';
const FLANNEL = 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md';
const CANAL = 'https://docs.rke2.io/install/requirements#cni-specific-inbound-network-rules';
const ANTREA = 'https://github.com/antrea-io/antrea/blob/main/docs/network-requirements.md';
const KUBE_ROUTER = 'https://github.com/cloudnativelabs/kube-router/blob/master/docs/user-guide.md';
const WEAVE = 'https://github.com/weaveworks/weave/blob/master/site/faq.md#ports';
const RKE2_FLANNEL = 'https://docs.rke2.io/install/requirements#cni-specific-inbound-network-rules';

/** A plugin Cluster Preflight knows nothing of: no MTU arithmetic at all. */
const UNKNOWN_MTU: CniMtuInfo = {
  setting: 'pod',
  overhead: {},
  unknownModes: [],
  wireguard: 'replaces',
  whenUnset: 'Cluster Preflight does not know how this plugin chooses its MTU.',
  docs: CALICO_MTU,
};

export const CNI_PLUGINS: Readonly<Record<CniPlugin, CniPluginInfo>> = {
  // Calico's manifest install uses IP-in-IP with BGP; Kubespray and k0s default to VXLAN (they say so themselves).
  calico: {
    label: 'Calico',
    modes: ['ipip', 'vxlan', 'bgp', 'none'],
    defaultMode: 'ipip',
    docs: CALICO,
    // Calico's MTU page: with WireGuard on, subtract 60 from the network MTU (not 60 + 50): WireGuard replaces the tunnel.
    mtu: {
      setting: 'pod',
      overhead: { ipip: IPIP_OVERHEAD, vxlan: VXLAN_OVERHEAD },
      wireguard: 'replaces',
      whenUnset: 'Calico detects the host MTU and subtracts its encapsulation itself: nothing is required.',
      docs: CALICO_MTU,
    },
  },
  cilium: {
    label: 'Cilium',
    modes: ['vxlan', 'geneve', 'native'],
    defaultMode: 'vxlan',
    docs: CILIUM,
    // Helm `MTU`: "the underlying network MTU"; Cilium derives the pods' route MTU by subtracting the tunnel and WireGuard itself.
    mtu: {
      setting: 'underlay',
      overhead: { vxlan: VXLAN_OVERHEAD, geneve: GENEVE_OVERHEAD },
      wireguard: 'wraps',
      whenUnset:
        "Cilium detects the MTU of the node's interface and subtracts its tunnel and WireGuard overhead itself: nothing is required.",
      docs: CILIUM_MTU,
    },
  },
  flannel: {
    label: 'flannel',
    modes: ['vxlan', 'host-gw', 'wireguard', 'udp'],
    defaultMode: 'vxlan',
    docs: FLANNEL,
    // flannel writes FLANNEL_MTU from the interface's MTU minus its backend's overhead; the UDP backend's is its own.
    mtu: {
      setting: 'pod',
      overhead: { vxlan: VXLAN_OVERHEAD, wireguard: WIREGUARD_OVERHEAD },
      unknownModes: ['udp'],
      wireguard: 'replaces',
      whenUnset:
        "flannel takes the MTU of its interface and subtracts its backend's overhead (FLANNEL_MTU): nothing is required.",
      docs: FLANNEL_MTU,
    },
  },
  canal: {
    label: 'Canal',
    modes: ['vxlan'],
    defaultMode: 'vxlan',
    docs: CANAL,
    mtu: {
      setting: 'pod',
      overhead: { vxlan: VXLAN_OVERHEAD },
      wireguard: 'replaces',
      whenUnset: "Canal's flannel takes the interface's MTU and subtracts VXLAN (or WireGuard) itself: nothing is required.",
      docs: CALICO_MTU,
    },
  },
  antrea: {
    label: 'Antrea',
    modes: ['geneve', 'vxlan', 'gre', 'stt', 'noEncap'],
    defaultMode: 'geneve',
    docs: ANTREA,
    mtu: {
      setting: 'pod',
      overhead: { geneve: GENEVE_OVERHEAD, vxlan: VXLAN_OVERHEAD, gre: GRE_OVERHEAD },
      unknownModes: ['stt'],
      wireguard: 'replaces',
      whenUnset: "The Antrea agent takes the transport interface's MTU and subtracts its tunnel's overhead: nothing is required.",
      docs: ANTREA_MTU,
    },
  },
  // kube-router routes with BGP inside a subnet (no overhead); its IP-in-IP overlay between subnets is not assumed.
  'kube-router': {
    label: 'kube-router',
    modes: ['bgp'],
    defaultMode: 'bgp',
    docs: KUBE_ROUTER,
    mtu: {
      setting: 'pod',
      overhead: {},
      wireguard: 'replaces',
      whenUnset:
        'kube-router detects the MTU (k0s: autoMTU, on by default), subtracting IP-in-IP where its overlay runs: nothing is required.',
      docs: KUBE_ROUTER_MTU,
    },
  },
  weave: {
    label: 'Weave Net',
    modes: ['sleeve'],
    defaultMode: 'sleeve',
    docs: WEAVE,
    mtu: {
      ...UNKNOWN_MTU,
      unknownModes: ['sleeve'],
      whenUnset: 'Weave Net picks its own MTU (1376 by default): nothing is required.',
      docs: WEAVE,
    },
  },
  none: { label: 'no CNI', modes: [], docs: CALICO, mtu: UNKNOWN_MTU },
  other: { label: 'another CNI', modes: [], docs: CALICO, mtu: UNKNOWN_MTU },
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

/** What a plugin adds to each packet in its mode (and with WireGuard), over one underlay family. */
export interface MtuOverhead {
  /** Bytes added; 0 for routing without encapsulation. */
  bytes: number;
  /** How messages and hovers name it: "VXLAN 50", "WireGuard 60", "VXLAN 50 + WireGuard 60". */
  parts: string[];
}

const MODE_NAMES: Readonly<Record<string, string>> = {
  vxlan: 'VXLAN',
  geneve: 'Geneve',
  ipip: 'IP-in-IP',
  gre: 'GRE',
  wireguard: 'WireGuard',
};

/**
 * The bytes the chosen plugin, mode and WireGuard add to a packet sent over an interface of
 * `family`; undefined when the table does not know (another plugin, a mode of unknown
 * overhead, or IP-in-IP over IPv6, which Calico does not run).
 */
export function encapsulationOverhead(choice: CniChoice, family: 'ipv4' | 'ipv6'): MtuOverhead | undefined {
  const info = CNI_PLUGINS[choice.plugin];
  if (info.mtu === UNKNOWN_MTU) return undefined;
  const mode = choice.mode ?? info.defaultMode;
  if (mode !== undefined && info.mtu.unknownModes?.includes(mode)) return undefined;
  if (mode !== undefined && !info.modes.includes(mode)) return undefined;
  const tunnel = mode !== undefined ? info.mtu.overhead[mode] : undefined;
  if (tunnel && tunnel[family] === undefined) return undefined;
  const parts: string[] = [];
  let bytes = 0;
  const withWireguard = choice.wireguard === true && mode !== 'wireguard';
  if (tunnel && !(withWireguard && info.mtu.wireguard === 'replaces')) {
    bytes += tunnel[family]!;
    parts.push(`${MODE_NAMES[mode!] ?? mode} ${tunnel[family]}`);
  }
  if (withWireguard) {
    bytes += WIREGUARD_OVERHEAD[family];
    parts.push(`WireGuard ${WIREGUARD_OVERHEAD[family]}`);
  }
  return { bytes, parts };
}
