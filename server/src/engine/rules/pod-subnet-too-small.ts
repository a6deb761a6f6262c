import { DOCS } from '../knowledge/docs';
import type { IpFamily } from '../knowledge/net/addresses';
import type { NodeCidrMaskSetting } from '../model/cluster';
import type { Rule } from './types';

/** kube-controller-manager's default --node-cidr-mask-size per family. */
const DEFAULT_MASK: Record<IpFamily, number> = { ipv4: 24, ipv6: 64 };

/** Plugins that hand out pod addresses from their own pools, not from the node CIDRs. */
const OWN_IPAM = new Set(['calico', 'cilium']);

export const podSubnetTooSmall: Rule = {
  meta: {
    id: 'pod-subnet-too-small',
    severity: 'warning',
    docs: DOCS.kubeControllerManager,
    title: 'The pod network cannot give every node its own node CIDR',
    description:
      "kube-controller-manager cuts the pod network into one block per node of --node-cidr-mask-size bits (/24 for IPv4 and /64 for IPv6 by default; Kubespray's kube_network_node_prefix, RKE2/K3s kube-controller-manager-arg). A pod network of /N holds 2^(mask − N) blocks, and only one when N is not shorter than the mask; a node that gets none has no pod addresses and stays NotReady under plugins that use them (flannel, Canal, kube-router). Compared with the number of Kubernetes nodes the cluster's inventory lists; without an inventory, reported only when a single block is all there is. Not checked when the cluster's plugin is Calico or Cilium, which allocate from their own pools. A pod network smaller than one block (a /24 with a /20 mask) is an error: kubeadm refuses it. Reported on the pod network value.",
    appliesTo: ['kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: { bad: 'podSubnet: 10.244.0.0/24 (three nodes)', good: 'podSubnet: 10.244.0.0/16' },
  },
  checkCluster({ subnets, nodes, nodeCidrMasks, settings }, report) {
    if (settings.cni && OWN_IPAM.has(settings.cni.choice.plugin)) return;
    const pods = subnets.filter((s) => s.role === 'pod');
    if (pods.length === 0) return;
    const kubernetesNodes = nodes.filter((n) => n.roles.includes('control-plane') || n.roles.includes('worker')).length;
    for (const setting of pods) {
      const dualStack = setting.cidrs.length > 1;
      for (const cidr of setting.cidrs) {
        const mask = maskFor(cidr.family, dualStack, nodeCidrMasks);
        const size = mask?.size ?? DEFAULT_MASK[cidr.family];
        const blocks = cidr.prefix < size ? 2 ** Math.min(size - cidr.prefix, 30) : 1;
        const where = mask ? `${mask.name} ${size}` : `the default node CIDR mask /${size}`;
        if (cidr.prefix > size) {
          // kubeadm's own validation refuses this before anything starts.
          report(
            setting.at,
            `${setting.name} ${cidr.text} is smaller than one node's block of /${size} (${where}): kubeadm refuses it ("the size of pod subnet with mask ${cidr.prefix} is smaller than the size of node subnet with mask ${size}"), and kube-controller-manager cannot give any node pod addresses. Use a pod network of /${size} or larger, or a longer mask.`,
            { severity: 'error', ...(mask ? { related: [{ at: mask.at, message: `${mask.name}: ${size}` }] } : {}) },
          );
          continue;
        }
        if (kubernetesNodes > 0 ? blocks >= kubernetesNodes : blocks > 1) continue;
        report(
          setting.at,
          kubernetesNodes > 0
            ? `${setting.name} ${cidr.text} holds ${blocks} node ${blocks === 1 ? 'CIDR' : 'CIDRs'} of /${size} (${where}), but the cluster has ${kubernetesNodes} nodes: the nodes left without one get no pod addresses and stay NotReady. Use a larger pod network or a longer mask.`
            : `${setting.name} ${cidr.text} holds a single node CIDR of /${size} (${where}): only one node can get pod addresses, and a second one stays NotReady. Fine for a single-node cluster; otherwise use a larger pod network or a longer mask.`,
          mask ? { related: [{ at: mask.at, message: `${mask.name}: ${size}` }] } : undefined,
        );
      }
    }
  },
};

/** The mask in force for a family: its own flag, else the plain flag (which a single-stack cluster's family takes). */
function maskFor(family: IpFamily, dualStack: boolean, masks: readonly NodeCidrMaskSetting[]): NodeCidrMaskSetting | undefined {
  return masks.find((m) => m.family === family) ?? (dualStack ? undefined : masks.find((m) => m.family === undefined));
}
