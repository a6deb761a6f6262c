import { DOCS } from '../knowledge/docs';
import type { Place } from '../core/located';
import { cidrContains, cidrsOverlap, parseInterfaceAddress, type ParsedAddress } from '../knowledge/net/addresses';
import { nodeLabel, placeOf, type NodeFacts } from '../model/cluster';
import type { Rule } from './types';

/** A node's parsed addresses, remembered per node object: a keystroke in one node parses only its own again. */
const addressesByNode = new WeakMap<NodeFacts, Array<{ node: NodeFacts; parsed: ParsedAddress; at: Place }>>();
function addressesOf(node: NodeFacts): Array<{ node: NodeFacts; parsed: ParsedAddress; at: Place }> {
  let list = addressesByNode.get(node);
  if (!list) {
    list = (node.interfaces ?? []).flatMap((iface) => {
      const parsed = iface.address && parseInterfaceAddress(iface.address.value);
      return parsed && iface.address ? [{ node, parsed, at: placeOf(node, iface.address) }] : [];
    });
    addressesByNode.set(node, list);
  }
  return list;
}

export const cidrOverlap: Rule = {
  meta: {
    id: 'cidr-overlap',
    severity: 'error',
    docs: DOCS.networking,
    title: "Pod and Service subnets overlap each other or the nodes' own addresses",
    description:
      "Pod IPs, Service IPs and node IPs must not share addresses: routes to one network would swallow the other, and kube-proxy or the CNI plugin would send node traffic into the cluster. Checked within each plan that states both (a kubeadm ClusterConfiguration's podSubnet and serviceSubnet, Kubespray's kube_pods_subnet and kube_service_addresses, k0s's podCIDR and serviceCIDR, an RKE2/K3s node's cluster-cidr and service-cidr), reported on both values, and against the addresses of the cluster's nodes, reported on the subnet value. Any overlap counts: Kubespray's own check only rejects a pod subnet wholly inside the service subnet. Dual-stack pairs are compared family by family.",
    appliesTo: ['kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: {
      bad: 'networking:\n  podSubnet: 10.96.0.0/16\n  serviceSubnet: 10.96.0.0/12',
      good: 'networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12',
    },
  },
  checkCluster({ subnets, nodes }, report) {
    for (const pods of subnets.filter((s) => s.role === 'pod')) {
      for (const services of subnets.filter((s) => s.role === 'service' && s.plan === pods.plan)) {
        for (const p of pods.cidrs) {
          for (const s of services.cidrs) {
            if (!cidrsOverlap(p, s)) continue;
            report(
              pods.at,
              `${pods.name} ${p.text} overlaps ${services.name} ${s.text}; Pod and Service addresses must be separate.`,
              {
                related: [{ at: services.at, message: `${services.name} ${s.text}` }],
              },
            );
            report(
              services.at,
              `${services.name} ${s.text} overlaps ${pods.name} ${p.text}; Pod and Service addresses must be separate.`,
              {
                related: [{ at: pods.at, message: `${pods.name} ${p.text}` }],
              },
            );
          }
        }
      }
    }
    const withCidrs = subnets.filter((s) => s.cidrs.length);
    if (withCidrs.length === 0) return;
    const addresses = nodes.flatMap(addressesOf);
    for (const net of withCidrs) {
      for (const cidr of net.cidrs) {
        const inside = addresses.filter((a) => cidrContains(cidr, a.parsed));
        if (inside.length === 0) continue;
        const shown = inside.slice(0, 3).map((a) => `${a.parsed.canonical} (node ${nodeLabel(a.node)})`);
        report(
          net.at,
          `${net.name} ${cidr.text} contains ${inside.length === 1 ? 'the address' : `${inside.length} addresses`} of the cluster's nodes: ${shown.join(', ')}${inside.length > 3 ? ', …' : ''}; choose a range the nodes do not use.`,
          {
            related: inside
              .slice(0, 10)
              .map((a) => ({ at: a.at, message: `Node ${nodeLabel(a.node)} has ${a.parsed.canonical}` })),
          },
        );
      }
    }
  },
};
