/**
 * The table of Kubernetes' own ports as kubeadm runs them, and the types every port table
 * shares. The distributions' tables (RKE2, K3s, k0s) are in distributions.ts and the network
 * plugins' in cni.ts; rules, hovers and quick-fixes read them through the model, and no port
 * number is written anywhere outside this folder.
 *
 * Source: https://kubernetes.io/docs/reference/networking/ports-and-protocols/ and the
 * kubeadm / kubelet / kube-proxy defaults (see docs/rules.md for the full citations).
 */
import { DOCS } from './docs';

export type Role = 'control-plane' | 'worker' | 'etcd';

/** Who installs the cluster, and so whose table of ports applies (distributions.ts). kubeadm's is Kubernetes' own. */
export type Distribution = 'kubeadm' | 'rke2' | 'k3s' | 'k0s';
export const DISTRIBUTION_IDS: readonly Distribution[] = ['kubeadm', 'rke2', 'k3s', 'k0s'];
export const ROLES: readonly Role[] = ['control-plane', 'worker', 'etcd'];

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** IP protocols that network plugins use without ports: ICMP (1, Cilium's health checks), IP-in-IP (4), GRE (47), ESP (50). */
export type IpProtocol = 'ICMP' | 'IPIP' | 'GRE' | 'ESP';
export const IP_PROTOCOL_NUMBERS: Readonly<Record<IpProtocol, number>> = { ICMP: 1, IPIP: 4, GRE: 47, ESP: 50 };
export const IP_PROTOCOLS = Object.keys(IP_PROTOCOL_NUMBERS) as IpProtocol[];

/** What a firewall entry or a requirement admits: a transport protocol's ports, or a whole IP protocol. */
export type Transport = Protocol | IpProtocol;

export function isIpProtocol(protocol: Transport): protocol is IpProtocol {
  return protocol in IP_PROTOCOL_NUMBERS;
}

/** "6443/TCP", "2379-2380/TCP", "IP protocol 4 (IPIP)". */
export function formatTransport(ports: PortRange, protocol: Transport): string {
  if (isIpProtocol(protocol)) return `IP protocol ${IP_PROTOCOL_NUMBERS[protocol]} (${protocol})`;
  return `${ports.low === ports.high ? ports.low : `${ports.low}-${ports.high}`}/${protocol}`;
}

export interface PortRange {
  low: number;
  high: number;
}

/**
 * Which machines a component runs on. "etcd-member" follows kubeadm's stacked default:
 * the nodes with role etcd, or the control-plane nodes when no node has that role.
 * "kubernetes-node" is a node with role control-plane or worker; "any-node" is every node of
 * the cluster (an RKE2 or K3s server runs a kubelet whatever its roles).
 */
export type Placement = 'control-plane' | 'worker' | 'etcd-member' | 'kubernetes-node' | 'any-node';

export type ComponentPortId =
  | 'kube-apiserver'
  | 'etcd-client'
  | 'etcd-peer'
  | 'etcd-metrics'
  | 'kubelet'
  | 'kubelet-healthz'
  | 'kubelet-read-only'
  | 'kube-scheduler'
  | 'kube-controller-manager'
  | 'kube-proxy-healthz'
  | 'kube-proxy-metrics'
  | 'nodeport-services'
  | 'rke2-supervisor'
  | 'k0s-api'
  | 'konnectivity-agent'
  | 'konnectivity-admin'
  | 'embedded-registry'
  | 'embedded-registry-api';

/** A configuration a requirement exists only in (beyond roles, etcd peers and the network plugin). */
export type PortCondition = 'embedded-registry';

export interface ComponentPort {
  /** A Kubernetes component port, or a network plugin's (knowledge/cni.ts). */
  id: ComponentPortId | `cni-${string}`;
  /** The process that binds the port. */
  component: string;
  /** What the port is for, as the Ports and Protocols page names it. */
  purpose: string;
  defaultPorts: PortRange;
  protocol: Transport;
  direction: 'Inbound';
  usedBy: string;
  /** Machines where the component binds the port (a listener there would conflict). */
  runsOn: Placement[];
  /** Machines whose firewall must admit it; absent for ports bound to localhost by default. */
  openOn?: Placement[];
  /** Machines that connect to it (firewall-source-excludes-peers checks they are admitted); absent: the node itself, load balancers or clients outside the cluster. */
  from?: Placement[];
  /**
   * Clients outside the cluster connect to it too (kubectl, load balancers and their health
   * checks, NodePort clients): a generated firewall admits them from the networks the user names.
   */
  fromOutside?: true;
  /** ICMP's message type and code (Cilium's health checks send echo requests, 8/0). */
  icmp?: { type: number; code: number };
  /** Needed only in this configuration (K3s's embedded registry). */
  onlyWith?: PortCondition;
  /** Severity of a missing firewall rule: errors break `kubeadm init/join`, warnings degrade the cluster. */
  missingSeverity: 'error' | 'warning';
  /**
   * Needed only once these nodes have peers to talk to: 2380 between etcd members, k0s's join
   * API between controllers.
   */
  onlyWithPeers?: 'etcd-member' | 'control-plane';
  /** Disabled unless configured (kubelet's read-only port). */
  disabledByDefault?: boolean;
  /**
   * The port carries whatever protocol its users choose (NodePorts: each Service names TCP, UDP
   * or SCTP), so a firewall rule for it on another protocol than `protocol` is no mistake.
   */
  anyProtocol?: boolean;
  /** Where the port can be changed. */
  configuredBy: string[];
  docs: string;
}

export const range = (low: number, high = low): PortRange => ({ low, high });

/** A Kubernetes component's port (the CNI's are in cni.ts). */
export interface KubernetesPort extends ComponentPort {
  id: ComponentPortId;
}

export const KUBERNETES_PORTS: readonly KubernetesPort[] = [
  {
    id: 'kube-apiserver',
    component: 'kube-apiserver',
    purpose: 'Kubernetes API server',
    defaultPorts: range(6443),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'All (nodes, kubectl, load balancers)',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    from: ['any-node'],
    fromOutside: true,
    missingSeverity: 'error',
    configuredBy: ['Inventory spec.apiServerPort', 'kubeadm localAPIEndpoint.bindPort', 'kube-apiserver --secure-port'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'etcd-client',
    component: 'etcd',
    purpose: 'etcd server client API',
    defaultPorts: range(2379),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'kube-apiserver, etcd',
    runsOn: ['etcd-member'],
    openOn: ['etcd-member'],
    from: ['control-plane'],
    missingSeverity: 'error',
    configuredBy: ['etcd --listen-client-urls (kubeadm etcd.local.extraArgs)'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'etcd-peer',
    component: 'etcd',
    purpose: 'etcd peer communication',
    defaultPorts: range(2380),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'etcd (the other members)',
    runsOn: ['etcd-member'],
    openOn: ['etcd-member'],
    from: ['etcd-member'],
    missingSeverity: 'error',
    onlyWithPeers: 'etcd-member',
    configuredBy: ['etcd --listen-peer-urls (kubeadm etcd.local.extraArgs)'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'etcd-metrics',
    component: 'etcd',
    purpose: 'etcd metrics, on localhost under kubeadm',
    defaultPorts: range(2381),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self (monitoring)',
    runsOn: ['etcd-member'],
    missingSeverity: 'warning',
    configuredBy: ['etcd --listen-metrics-urls (kubeadm etcd.local.extraArgs)'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'kubelet',
    component: 'kubelet',
    purpose: 'Kubelet API',
    defaultPorts: range(10250),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self, Control plane',
    runsOn: ['kubernetes-node'],
    openOn: ['kubernetes-node'],
    from: ['control-plane'],
    missingSeverity: 'error',
    configuredBy: ['KubeletConfiguration port'],
    docs: DOCS.portsAndProtocols,
  },
  {
    id: 'kubelet-healthz',
    component: 'kubelet',
    purpose: 'kubelet health check, on localhost',
    defaultPorts: range(10248),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self',
    runsOn: ['kubernetes-node'],
    missingSeverity: 'warning',
    configuredBy: ['KubeletConfiguration healthzPort'],
    docs: DOCS.kubeletConfig,
  },
  {
    id: 'kubelet-read-only',
    component: 'kubelet',
    purpose: 'kubelet read-only API, unauthenticated and off unless readOnlyPort is set',
    defaultPorts: range(10255),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Legacy monitoring',
    runsOn: ['kubernetes-node'],
    missingSeverity: 'warning',
    disabledByDefault: true,
    configuredBy: ['KubeletConfiguration readOnlyPort'],
    docs: DOCS.kubeletConfig,
  },
  {
    id: 'kube-scheduler',
    component: 'kube-scheduler',
    purpose: 'kube-scheduler',
    defaultPorts: range(10259),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    missingSeverity: 'warning',
    configuredBy: ['kube-scheduler --secure-port (kubeadm scheduler.extraArgs)'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'kube-controller-manager',
    component: 'kube-controller-manager',
    purpose: 'kube-controller-manager',
    defaultPorts: range(10257),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    missingSeverity: 'warning',
    configuredBy: ['kube-controller-manager --secure-port (kubeadm controllerManager.extraArgs)'],
    docs: DOCS.portsControlPlane,
  },
  {
    id: 'kube-proxy-healthz',
    component: 'kube-proxy',
    purpose: 'kube-proxy health check',
    defaultPorts: range(10256),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self, Load balancers',
    runsOn: ['kubernetes-node'],
    openOn: ['worker'],
    fromOutside: true,
    missingSeverity: 'warning',
    configuredBy: ['KubeProxyConfiguration healthzBindAddress'],
    docs: DOCS.portsWorkerNode,
  },
  {
    id: 'kube-proxy-metrics',
    component: 'kube-proxy',
    purpose: 'kube-proxy metrics, on localhost by default',
    defaultPorts: range(10249),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self (monitoring)',
    runsOn: ['kubernetes-node'],
    missingSeverity: 'warning',
    configuredBy: ['KubeProxyConfiguration metricsBindAddress'],
    docs: DOCS.kubeProxyConfig,
  },
  {
    id: 'nodeport-services',
    component: 'kube-proxy',
    purpose: 'NodePort Services',
    defaultPorts: range(30000, 32767),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'All (clients of NodePort Services)',
    runsOn: ['kubernetes-node'],
    openOn: ['worker'],
    fromOutside: true,
    missingSeverity: 'warning',
    anyProtocol: true,
    configuredBy: ['Inventory spec.nodePortRange', 'kube-apiserver --service-node-port-range'],
    docs: DOCS.portsWorkerNode,
  },
];

export const PORT_BY_ID: ReadonlyMap<ComponentPortId, KubernetesPort> = new Map(KUBERNETES_PORTS.map((p) => [p.id, p]));

export function componentPort(id: ComponentPortId): KubernetesPort {
  return PORT_BY_ID.get(id)!;
}

export const DEFAULT_API_SERVER_PORT = componentPort('kube-apiserver').defaultPorts.low;
export const DEFAULT_NODEPORT_RANGE = componentPort('nodeport-services').defaultPorts;

/**
 * Ports that firewall lists copied from old guides still open, though nothing should listen
 * there any more: the insecure HTTP ports kube-scheduler and kube-controller-manager served
 * before Kubernetes removed them, and the kubelet's unauthenticated read-only port.
 */
export interface ObsoletePort {
  port: number;
  protocol: Protocol;
  /** What served it: "kube-scheduler's insecure HTTP port". */
  was: string;
  /** Why no rule should open it, as it follows `was` in a sentence: "removed in Kubernetes 1.23". */
  why: string;
  /** The component port that took over, when one did. */
  successor?: ComponentPortId;
  docs: string;
}

export const OBSOLETE_PORTS: readonly ObsoletePort[] = [
  {
    port: 10251,
    protocol: 'TCP',
    was: "kube-scheduler's insecure HTTP port",
    why: 'removed in Kubernetes 1.23',
    successor: 'kube-scheduler',
    docs: 'https://github.com/kubernetes/kubernetes/pull/96345',
  },
  {
    port: 10252,
    protocol: 'TCP',
    was: "kube-controller-manager's insecure HTTP port",
    why: 'removed in Kubernetes 1.22',
    successor: 'kube-controller-manager',
    docs: 'https://github.com/kubernetes/kubernetes/pull/96216',
  },
  {
    port: 10255,
    protocol: 'TCP',
    was: "the kubelet's read-only port",
    why: 'off unless KubeletConfiguration readOnlyPort turns it on, and then it serves pod and node data without authentication',
    docs: DOCS.kubeletConfig,
  },
];

/**
 * Ports that are not Kubernetes' own but that cluster builders meet in firewall rules:
 * CNI data planes and friends. Hovers name them; no rule requires them.
 */
export interface WellKnownPort {
  ports: PortRange;
  protocol: Protocol;
  name: string;
  docs: string;
}

const CALICO = 'https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements#network-requirements';
const FLANNEL = 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md';
const CILIUM = 'https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules';

export const WELL_KNOWN_PORTS: readonly WellKnownPort[] = [
  { ports: range(22), protocol: 'TCP', name: 'SSH', docs: 'https://www.rfc-editor.org/rfc/rfc4253' },
  {
    ports: range(53),
    protocol: 'UDP',
    name: 'DNS',
    docs: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
  },
  {
    ports: range(53),
    protocol: 'TCP',
    name: 'DNS',
    docs: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
  },
  { ports: range(179), protocol: 'TCP', name: 'BGP (Calico, kube-router, Antrea BGPPolicy)', docs: CALICO },
  {
    ports: range(443),
    protocol: 'TCP',
    name: 'HTTPS (often a load balancer in front of the API server)',
    docs: DOCS.portsAndProtocols,
  },
  { ports: range(4240), protocol: 'TCP', name: 'Cilium health checks', docs: CILIUM },
  { ports: range(4244), protocol: 'TCP', name: 'Cilium Hubble server', docs: CILIUM },
  { ports: range(4245), protocol: 'TCP', name: 'Cilium Hubble Relay', docs: CILIUM },
  { ports: range(4789), protocol: 'UDP', name: 'VXLAN (Calico, Antrea, Canal)', docs: CALICO },
  { ports: range(5473), protocol: 'TCP', name: 'Calico Typha', docs: CALICO },
  { ports: range(6081), protocol: 'UDP', name: 'Geneve (Cilium, Antrea)', docs: CILIUM },
  {
    ports: range(6783),
    protocol: 'TCP',
    name: 'Weave Net control',
    docs: 'https://github.com/weaveworks/weave/blob/master/site/faq.md#ports',
  },
  {
    ports: range(6783, 6784),
    protocol: 'UDP',
    name: 'Weave Net data',
    docs: 'https://github.com/weaveworks/weave/blob/master/site/faq.md#ports',
  },
  { ports: range(8285), protocol: 'UDP', name: 'flannel UDP backend', docs: FLANNEL },
  { ports: range(8472), protocol: 'UDP', name: 'VXLAN (flannel, Cilium)', docs: FLANNEL },
  { ports: range(9100), protocol: 'TCP', name: 'Prometheus node exporter', docs: 'https://github.com/prometheus/node_exporter' },
  {
    ports: range(9443),
    protocol: 'TCP',
    name: 'k0s API (controller join)',
    docs: 'https://docs.k0sproject.io/stable/networking/',
  },
  {
    ports: range(10349, 10351),
    protocol: 'TCP',
    name: 'Antrea controller and agent',
    docs: 'https://github.com/antrea-io/antrea/blob/main/docs/network-requirements.md',
  },
  {
    ports: range(20244),
    protocol: 'TCP',
    name: 'kube-router health',
    docs: 'https://github.com/cloudnativelabs/kube-router/blob/master/docs/user-guide.md',
  },
  { ports: range(51820), protocol: 'UDP', name: 'WireGuard IPv4 (Calico, flannel, Antrea)', docs: CALICO },
  { ports: range(51821), protocol: 'UDP', name: 'WireGuard IPv6 (Calico, flannel)', docs: CALICO },
  { ports: range(51871), protocol: 'UDP', name: 'Cilium WireGuard', docs: CILIUM },
];
