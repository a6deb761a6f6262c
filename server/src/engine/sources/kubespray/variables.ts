/**
 * What Kubespray's groups and the variables Cluster Preflight reads mean, with Kubespray's
 * defaults (from its role defaults, `roles/kubespray_defaults/defaults/main/main.yml` and
 * the control-plane and node roles): hovers show them, and unset variables take them.
 */
import type { Role } from '../../knowledge/ports';

/** Old group names Kubespray still maps to the current ones at run time. */
export const GROUP_ALIASES: Readonly<Record<string, string>> = {
  'kube-master': 'kube_control_plane',
  'kube-node': 'kube_node',
  'k8s-cluster': 'k8s_cluster',
  'calico-rr': 'calico_rr',
  'no-floating': 'no_floating',
};

export function canonicalGroup(name: string): string {
  return GROUP_ALIASES[name] ?? name;
}

export interface GroupMeaning {
  description: string;
  role?: Role;
}

export const GROUPS: Readonly<Record<string, GroupMeaning>> = {
  kube_control_plane: {
    description: 'Control-plane hosts: kube-apiserver, kube-scheduler and kube-controller-manager run here.',
    role: 'control-plane',
  },
  kube_node: {
    description: 'Worker hosts: schedulable nodes. A control-plane host listed here too also runs workloads.',
    role: 'worker',
  },
  etcd: {
    description:
      'etcd members. May be empty only with `etcd_deployment_type: kubeadm`, where kubeadm runs etcd on the control-plane hosts. Use an odd number of members.',
    role: 'etcd',
  },
  k8s_cluster: {
    description:
      'Every Kubernetes node: kube_control_plane, kube_node and calico_rr together. Cluster-wide settings live in its group_vars.',
  },
  calico_rr: { description: 'Calico route reflectors (with `calico_network_backend: bird`).' },
  bastion: { description: 'An SSH jump host; not a cluster node.' },
};

/** Groups whose hosts are cluster nodes (k8s_cluster is these together). */
export const NODE_GROUPS = ['kube_control_plane', 'kube_node', 'etcd', 'calico_rr'];

export interface VariableMeaning {
  description: string;
  default?: string;
}

export const VARIABLES: Readonly<Record<string, VariableMeaning>> = {
  ansible_host: {
    description: 'The address Ansible connects to over SSH. Cluster Preflight uses it when neither `ip` nor `access_ip` is set.',
  },
  ansible_port: {
    description: 'The SSH port. One `ansible_host` with different ports is port forwarding to different machines.',
  },
  ip: {
    description: 'The address Kubernetes services bind to on this host.',
    default: "the host's default IPv4 address (a fact)",
  },
  access_ip: { description: 'The address other nodes use to reach this host (behind NAT or in a cloud).', default: '`ip`' },
  ip6: { description: 'The IPv6 address services bind to on this host (dual-stack).' },
  access_ip6: { description: 'The IPv6 address other nodes use to reach this host.' },
  kube_override_hostname: { description: 'The Kubernetes node name of this host.', default: 'the inventory name' },
  etcd_member_name: { description: 'The etcd member name of this host.', default: 'etcd<N>, by position in the etcd group' },
  kube_apiserver_port: { description: 'The port kube-apiserver serves on, on control-plane hosts.', default: '6443' },
  kube_apiserver_node_port_range: {
    description: 'The NodePort range (kube-apiserver --service-node-port-range).',
    default: '30000-32767',
  },
  kube_service_addresses: {
    description: 'The Service network (ClusterIPs). Must not overlap the pod network or node addresses.',
    default: '10.233.0.0/18',
  },
  kube_pods_subnet: {
    description: 'The pod network. Must not overlap the Service network or node addresses.',
    default: '10.233.64.0/18',
  },
  kube_service_addresses_ipv6: {
    description: 'The IPv6 Service network (dual-stack).',
    default: 'fd85:ee78:d8a6:8607::1000/116',
  },
  kube_pods_subnet_ipv6: { description: 'The IPv6 pod network (dual-stack).', default: 'fd85:ee78:d8a6:8607::1:0000/112' },
  ipv4_stack: {
    description: 'Whether the cluster runs IPv4 (its kube_pods_subnet and kube_service_addresses).',
    default: 'true',
  },
  ipv6_stack: {
    description:
      'Whether the cluster runs IPv6: with ipv4_stack, dual-stack. The _ipv6 subnets are in force only when it is true.',
    default: 'enable_dual_stack_networks, else false',
  },
  enable_dual_stack_networks: {
    description: 'Deprecated: ipv6_stack takes its value when ipv6_stack is unset.',
    default: 'false',
  },
  kube_network_plugin: {
    description:
      'The network plugin (CNI): calico, cilium, flannel, kube-ovn, kube-router, macvlan, custom_cni or cni. It decides which extra ports nodes need.',
    default: 'calico',
  },
  kube_proxy_mode: { description: 'How kube-proxy programs Services: ipvs, iptables or nftables.', default: 'ipvs' },
  etcd_deployment_type: {
    description:
      "How etcd runs: `host` (a systemd service on the etcd group's hosts), `docker`, or `kubeadm` (stacked on the control-plane hosts).",
    default: 'host',
  },
  calico_mtu: {
    description:
      "Calico's MTU. Unset, Calico detects the host's MTU and subtracts its encapsulation itself. Set, it is the pods' MTU, and the tunnels' unless calico_veth_mtu is set too: the encapsulation (VXLAN 50, IP-in-IP 20, WireGuard 60 instead) must fit the nodes' interface MTU.",
  },
  calico_veth_mtu: {
    description:
      "The MTU of Calico's tunnels (VXLAN, IP-in-IP, WireGuard devices): the network MTU minus 60 with WireGuard, else 50 with VXLAN, else 20 with IP-in-IP. Kubespray passes it to Calico only when calico_mtu is set too.",
  },
  cilium_mtu: {
    description:
      "The MTU of the network underneath Cilium (Helm `MTU`); Cilium subtracts its tunnel and WireGuard overhead itself. 0 detects it from the node's interface.",
    default: '0',
  },
  container_manager: {
    description:
      "The container runtime: containerd, crio or docker (with cri-dockerd). With docker, each node has Docker's default bridge 172.17.0.0/16, which pod and Service subnets must not overlap.",
    default: 'containerd',
  },
  loadbalancer_apiserver: {
    description:
      'An external load balancer for the API server (`address`, `port`). Without it, non-control-plane nodes run a local nginx or haproxy in front of the API servers.',
  },
  loadbalancer_apiserver_port: {
    description: 'The port of the local API server load balancer on non-control-plane nodes.',
    default: '6443',
  },
};
