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
import type { ComponentPort, PortRange } from './ports';

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
}

const range = (low: number, high = low): PortRange => ({ low, high });
/** IP protocols have no port: their requirement carries an empty range. */
const NO_PORT = range(0);

function cni(
  plugin: CniPlugin,
  key: string,
  fields: Pick<CniPort, 'purpose' | 'protocol' | 'missingSeverity' | 'configuredBy' | 'docs'> &
    Partial<Pick<CniPort, 'modes' | 'withWireguard'>> & { ports?: PortRange },
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
    missingSeverity: fields.missingSeverity,
    configuredBy: fields.configuredBy,
    docs: fields.docs,
    modes: fields.modes,
    withWireguard: fields.withWireguard,
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
  cni('cilium', 'health', {
    purpose: 'Cilium health checks',
    ports: range(4240),
    protocol: 'TCP',
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
  cni('canal', 'vxlan', {
    purpose: 'Canal (flannel) VXLAN',
    ports: range(8472),
    protocol: 'UDP',
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
  // The overlay only carries traffic between nodes in different subnets.
  cni('kube-router', 'ipip', {
    purpose: 'kube-router IP-in-IP overlay (between subnets)',
    protocol: 'IPIP',
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
  /** Ports the configuration moves (Calico's vxlanPort), by CNI port id. */
  ports?: ReadonlyMap<string, number>;
}

/** What the plugin needs every node to admit, in its mode: each with the port the configuration gives it. */
export function cniRequirements(choice: CniChoice): Array<{ port: CniPort; range: PortRange }> {
  const mode = choice.mode ?? CNI_PLUGINS[choice.plugin].defaultMode;
  return CNI_PORTS.filter(
    (p) =>
      p.plugin === choice.plugin &&
      (!p.modes || (mode !== undefined && p.modes.includes(mode))) &&
      (!p.withWireguard || choice.wireguard === true),
  ).map((port) => {
    const moved = choice.ports?.get(port.id);
    return { port, range: moved !== undefined ? range(moved) : port.defaultPorts };
  });
}

/** Whether a plugin name (as an installer writes it) is one the table knows. */
export function cniPluginOf(name: string): CniPlugin {
  const normalised = name.trim().toLowerCase().replace(/_/g, '-');
  if (normalised === 'kuberouter') return 'kube-router';
  return (CNI_PLUGIN_IDS as string[]).includes(normalised) ? (normalised as CniPlugin) : 'other';
}
