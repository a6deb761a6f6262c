/**
 * Each distribution's own table of inbound ports, beside Kubernetes' (ports.ts, which is
 * kubeadm's) and the network plugins' (cni.ts). RKE2, K3s and k0s run the same Kubernetes
 * components but publish their own requirements: RKE2's servers take the supervisor port
 * 9345, k0s's controllers 9443 and konnectivity's 8132, a pure k0s controller runs no kubelet,
 * and K3s binds its controller manager, scheduler and etcd metrics to loopback.
 *
 * Rows that are a Kubernetes component's are written as that component's kubeadm row with what
 * the distribution changes, so that each port number stays written once. Sources, each checked
 * against the current docs (see the links on each table):
 * - RKE2: https://docs.rke2.io/install/requirements#inbound-network-rules
 * - K3s: https://docs.k3s.io/installation/requirements#inbound-rules-for-k3s-nodes
 * - k0s: https://docs.k0sproject.io/stable/networking/#required-ports-and-protocols
 */
import type { CniChoice } from './cni';
import { DOCS } from './docs';
import {
  componentPort,
  DISTRIBUTION_IDS,
  KUBERNETES_PORTS,
  range,
  type ComponentPortId,
  type Distribution,
  type KubernetesPort,
  type Placement,
} from './ports';

export const DISTRIBUTION_DOCS: Readonly<Record<Distribution, string>> = {
  kubeadm: DOCS.portsAndProtocols,
  rke2: 'https://docs.rke2.io/install/requirements#inbound-network-rules',
  k3s: 'https://docs.k3s.io/installation/requirements#inbound-rules-for-k3s-nodes',
  k0s: 'https://docs.k0sproject.io/stable/networking/#required-ports-and-protocols',
};

export interface DistributionInfo {
  label: string;
  /** How hovers name the table the requirements come from. */
  tableTitle: string;
  docs: string;
  /** The node roles as the distribution names them, for hovers and messages. */
  roleNames: string;
  /**
   * Where the network plugin runs: every Kubernetes node under kubeadm; every node under RKE2
   * and K3s (etcd-only servers run an agent too); under k0s only the workers, since a pure
   * controller runs no kubelet and so no pod network.
   */
  cniOn: Placement;
  /**
   * With no node of role etcd, the control-plane nodes are the etcd members (kubeadm's stacked
   * etcd, RKE2's and k0s's servers). K3s keeps one server's state in SQLite unless etcd is
   * embedded (`cluster-init`, or servers joining servers): its etcd members carry the role.
   */
  stackedEtcd: boolean;
  /**
   * The network plugin the distribution deploys when no file names one (RKE2's `cni`, K3s's
   * `flannel-backend`, k0s's `network.provider` defaults), with how hovers and the map name it.
   * kubeadm deploys none.
   */
  defaultCni?: { choice: CniChoice; description: string };
  ports: readonly KubernetesPort[];
}

/** A kubeadm row as a distribution runs it. */
function like(id: ComponentPortId, docs: string, changes: Partial<KubernetesPort>): KubernetesPort {
  return { ...componentPort(id), docs, ...changes };
}

/** A row bound to loopback by the distribution: it conflicts with a listener, and no firewall rule is needed. */
function loopback(id: ComponentPortId, docs: string, runsOn: Placement[], purpose?: string): KubernetesPort {
  // kubeadm's rows may already say where they bind ("on localhost under kubeadm"): say it once, for this distribution.
  const own = purpose ?? `${componentPort(id).purpose.replace(/, on localhost.*$/, '')}, on localhost`;
  return like(id, docs, { purpose: own, runsOn, openOn: undefined, from: undefined });
}

const RKE2 = DISTRIBUTION_DOCS.rke2;
const K3S = DISTRIBUTION_DOCS.k3s;
const K0S = DISTRIBUTION_DOCS.k0s;

/** RKE2: servers run the control plane and etcd, agents are workers; every node runs a kubelet and takes NodePorts. */
export const RKE2_PORTS: readonly KubernetesPort[] = [
  like('kube-apiserver', RKE2, {
    usedBy: 'RKE2 agents, kubectl, load balancers',
    configuredBy: [],
  }),
  {
    id: 'rke2-supervisor',
    component: 'rke2 server',
    purpose: 'RKE2 supervisor API (node registration)',
    defaultPorts: range(9345),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'RKE2 agents and joining servers, load balancers in front of the servers',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    from: ['any-node'],
    fromOutside: true,
    missingSeverity: 'error',
    // RKE2 drops k3s's supervisor-port flag: no setting moves this port (join-address checks the agents' URLs).
    configuredBy: [],
    docs: RKE2,
  },
  like('etcd-client', RKE2, { usedBy: 'RKE2 servers', from: ['etcd-member'] }),
  like('etcd-peer', RKE2, { usedBy: 'RKE2 servers' }),
  like('etcd-metrics', RKE2, {
    purpose: 'etcd metrics and health',
    usedBy: 'RKE2 servers',
    openOn: ['etcd-member'],
    from: ['etcd-member'],
    missingSeverity: 'warning',
  }),
  // Nodes register and reach their kubelets without it; the docs ask for it only "if you wish to utilize the metrics server".
  like('kubelet', RKE2, {
    usedBy: 'metrics-server on every node',
    runsOn: ['any-node'],
    openOn: ['any-node'],
    from: ['any-node'],
    missingSeverity: 'warning',
  }),
  loopback('kubelet-healthz', RKE2, ['any-node']),
  like('kubelet-read-only', RKE2, { runsOn: ['any-node'] }),
  loopback('kube-scheduler', RKE2, ['control-plane']),
  loopback('kube-controller-manager', RKE2, ['control-plane']),
  loopback('kube-proxy-healthz', RKE2, ['any-node']),
  loopback('kube-proxy-metrics', RKE2, ['any-node']),
  like('nodeport-services', RKE2, {
    usedBy: 'All (servers are schedulable)',
    runsOn: ['any-node'],
    openOn: ['any-node'],
    configuredBy: ['service-node-port-range'],
  }),
];

/**
 * K3s: servers take 6443 for both the supervisor and the API server; etcd only when embedded;
 * the controller manager, scheduler, kube-proxy and etcd metrics listen on loopback, and the
 * docs list no NodePort rule (nodes "should not listen on any other port").
 */
export const K3S_PORTS: readonly KubernetesPort[] = [
  like('kube-apiserver', K3S, {
    component: 'kube-apiserver and the K3s supervisor',
    usedBy: 'K3s agents, kubectl, load balancers',
    configuredBy: ['https-listen-port'],
  }),
  like('etcd-client', K3S, { usedBy: 'K3s servers (embedded etcd)', from: ['etcd-member'] }),
  like('etcd-peer', K3S, { usedBy: 'K3s servers (embedded etcd)' }),
  loopback('etcd-metrics', K3S, ['etcd-member']),
  // The API server reaches kubelets through the supervisor's reverse tunnel; only metrics-server dials 10250 directly.
  like('kubelet', K3S, {
    usedBy: 'metrics-server on every node',
    runsOn: ['any-node'],
    openOn: ['any-node'],
    from: ['any-node'],
    missingSeverity: 'warning',
  }),
  loopback('kubelet-healthz', K3S, ['any-node']),
  like('kubelet-read-only', K3S, { runsOn: ['any-node'] }),
  loopback('kube-scheduler', K3S, ['control-plane']),
  loopback('kube-controller-manager', K3S, ['control-plane']),
  loopback('kube-proxy-healthz', K3S, ['any-node']),
  loopback('kube-proxy-metrics', K3S, ['any-node']),
  like('nodeport-services', K3S, { runsOn: ['any-node'], openOn: undefined, configuredBy: ['service-node-port-range'] }),
  // Spegel, the embedded distributed registry mirror: every node serves and fetches images from every other.
  {
    id: 'embedded-registry',
    component: 'Spegel (K3s embedded registry)',
    purpose: 'embedded registry mirror (Spegel) peer traffic',
    defaultPorts: range(5001),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'All nodes',
    runsOn: ['any-node'],
    openOn: ['any-node'],
    from: ['any-node'],
    missingSeverity: 'warning',
    onlyWith: 'embedded-registry',
    configuredBy: ['embedded-registry'],
    docs: K3S,
  },
  {
    id: 'embedded-registry-api',
    component: 'k3s agent',
    purpose: 'embedded registry mirror (Spegel) on the supervisor port of agents',
    defaultPorts: componentPort('kube-apiserver').defaultPorts,
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'All nodes',
    // Servers already take this port for the API server; agents take it only for Spegel.
    runsOn: ['worker'],
    openOn: ['worker'],
    from: ['any-node'],
    missingSeverity: 'warning',
    onlyWith: 'embedded-registry',
    configuredBy: ['embedded-registry', 'https-listen-port'],
    docs: K3S,
  },
];

/**
 * k0s: controllers run the API server, the k0s join API and konnectivity; only workers (and
 * `controller+worker`) run a kubelet; etcd's client port is not used between nodes.
 */
export const K0S_PORTS: readonly KubernetesPort[] = [
  like('kube-apiserver', K0S, { usedBy: 'Workers, kubectl, load balancers', configuredBy: ['spec.api.port'] }),
  {
    id: 'k0s-api',
    component: 'k0s controller',
    purpose: 'k0s API (controllers joining)',
    defaultPorts: range(9443),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Other controllers',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    from: ['control-plane'],
    missingSeverity: 'error',
    // "controller <-> controller": a single controller has no one to serve it to.
    onlyWithPeers: 'control-plane',
    configuredBy: ['spec.api.k0sApiPort'],
    docs: K0S,
  },
  {
    id: 'konnectivity-agent',
    component: 'konnectivity-server',
    purpose: 'konnectivity (workers tunnel to the control plane)',
    defaultPorts: range(8132),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Workers',
    runsOn: ['control-plane'],
    openOn: ['control-plane'],
    from: ['worker'],
    missingSeverity: 'error',
    configuredBy: ['spec.konnectivity.agentPort'],
    docs: K0S,
  },
  {
    id: 'konnectivity-admin',
    component: 'konnectivity-server',
    purpose: 'konnectivity admin',
    defaultPorts: range(8133),
    protocol: 'TCP',
    direction: 'Inbound',
    usedBy: 'Self',
    runsOn: ['control-plane'],
    missingSeverity: 'warning',
    configuredBy: ['spec.konnectivity.adminPort'],
    docs: K0S,
  },
  like('etcd-client', K0S, { usedBy: 'kube-apiserver on the same controller', openOn: undefined, from: undefined }),
  like('etcd-peer', K0S, { usedBy: 'Other controllers' }),
  loopback('etcd-metrics', K0S, ['etcd-member']),
  // The docs' row is "controller, worker => host": controllers and workers both reach it, so every
  // node of the cluster (one placement: the rules that check sources read one kind of peer).
  like('kubelet', K0S, {
    usedBy: 'Controllers and workers',
    runsOn: ['worker'],
    openOn: ['worker'],
    from: ['kubernetes-node'],
  }),
  loopback('kubelet-healthz', K0S, ['worker']),
  like('kubelet-read-only', K0S, { runsOn: ['worker'] }),
  loopback('kube-scheduler', K0S, ['control-plane']),
  loopback('kube-controller-manager', K0S, ['control-plane']),
  like('kube-proxy-healthz', K0S, { runsOn: ['worker'], openOn: undefined }),
  loopback('kube-proxy-metrics', K0S, ['worker']),
  like('nodeport-services', K0S, {
    runsOn: ['worker'],
    openOn: undefined,
    configuredBy: ['spec.api.extraArgs service-node-port-range'],
  }),
];

export const DISTRIBUTIONS: Readonly<Record<Distribution, DistributionInfo>> = {
  kubeadm: {
    label: 'Kubernetes (kubeadm)',
    tableTitle: 'Kubernetes Ports and Protocols',
    docs: DOCS.portsAndProtocols,
    roleNames: 'control-plane, worker and etcd nodes',
    cniOn: 'kubernetes-node',
    stackedEtcd: true,
    ports: KUBERNETES_PORTS,
  },
  rke2: {
    label: 'RKE2',
    tableTitle: 'RKE2 inbound network rules',
    docs: RKE2,
    roleNames: 'servers (control-plane, with etcd) and agents (workers)',
    cniOn: 'any-node',
    stackedEtcd: true,
    defaultCni: { choice: { plugin: 'canal' }, description: "RKE2's default cni (canal)" },
    ports: RKE2_PORTS,
  },
  k3s: {
    label: 'K3s',
    tableTitle: 'K3s inbound rules',
    docs: K3S,
    roleNames: 'servers (control-plane; etcd when embedded) and agents (workers)',
    cniOn: 'any-node',
    stackedEtcd: false,
    defaultCni: { choice: { plugin: 'flannel', mode: 'vxlan' }, description: "K3s's default flannel-backend (vxlan)" },
    ports: K3S_PORTS,
  },
  k0s: {
    label: 'k0s',
    tableTitle: 'k0s required ports and protocols',
    docs: K0S,
    roleNames: 'controllers (control-plane), controller+worker and workers',
    cniOn: 'worker',
    stackedEtcd: true,
    defaultCni: { choice: { plugin: 'kube-router' }, description: "k0s's default network.provider (kuberouter)" },
    ports: K0S_PORTS,
  },
};

/** A distribution's name as a file writes it ("RKE2", "k3s"), or undefined when it is not one the tables know. */
export function distributionOf(name: string): Distribution | undefined {
  const normalised = name.trim().toLowerCase();
  return DISTRIBUTION_IDS.find((id) => id === normalised);
}
