import type { Place } from '../core/located';
import { DOCS } from '../knowledge/docs';
import {
  cidrContains,
  cidrsOverlap,
  networkOf,
  parseInterfaceAddress,
  type ParsedAddress,
  type ParsedCidr,
} from '../knowledge/net/addresses';
import { DOCKER_DEFAULT_BRIDGE } from '../knowledge/net/reservedRanges';
import { nodeLabel, placeOf, type NodeFacts } from '../model/cluster';
import type { Rule } from './types';
import { joinBounded } from './util/bounded-group';

/** A network a node's interface is in, from an address written with a prefix. */
interface InterfaceNetwork {
  cidr: ParsedCidr;
  address: ParsedAddress;
  node: NodeFacts;
  at: Place;
}

const networksByNode = new WeakMap<NodeFacts, InterfaceNetwork[]>();

/** The networks of a node's interfaces (address/prefix), remembered per node object: a keystroke parses only what it touched. */
function networksOf(node: NodeFacts): InterfaceNetwork[] {
  let list = networksByNode.get(node);
  if (list) return list;
  list = [];
  for (const iface of node.interfaces ?? []) {
    const parsed = iface.address && parseInterfaceAddress(iface.address.value);
    // A host route (/32, /128) is an address, not a network: cidr-overlap compares addresses.
    if (!parsed || parsed.prefix === undefined || parsed.prefix === (parsed.family === 'ipv4' ? 32 : 128)) continue;
    list.push({
      cidr: networkOf({ ...parsed, prefix: parsed.prefix }),
      address: parsed,
      node,
      at: placeOf(node, iface.address!),
    });
  }
  networksByNode.set(node, list);
  return list;
}

export const subnetOverlapsHostNetwork: Rule = {
  meta: {
    id: 'subnet-overlaps-host-network',
    severity: 'error',
    docs: DOCS.networking,
    title: 'A pod or Service subnet overlaps a network the nodes use',
    description:
      "Every node routes the pod and Service subnets into the cluster: a subnet that overlaps the network of a node's interface (its address and prefix), another network the nodes reach (the inventory's spec.networks: a VPN, a storage network, another site), or Docker's default bridge 172.17.0.0/16 on nodes that run Docker makes those hosts unreachable from pods and nodes. Which nodes run Docker: Kubespray's container_manager: docker, K3s's docker: true (other runtimes have no such bridge). Reported on the subnet value, naming what it overlaps; the bridge is a warning (Docker's bip setting may have moved it). A subnet that contains a node's own address is cidr-overlap's finding and is not repeated here.",
    appliesTo: ['kubeadm', 'kubespray', 'k0sctl', 'k0s', 'rke2'],
    example: {
      bad: 'podSubnet: 192.168.0.0/16\n# a node: address: 192.168.200.5/24, a VPN: spec.networks [{name: vpn, cidr: 10.8.0.0/16}]',
      good: 'podSubnet: 10.244.0.0/16',
    },
  },
  checkCluster({ subnets, nodes, hostNetworks, dockerHosts }, report) {
    const withCidrs = subnets.filter((s) => s.cidrs.length);
    if (withCidrs.length === 0) return;
    // Each interface network once, with every address the nodes have in it.
    const networks = new Map<string, { cidr: ParsedCidr; members: InterfaceNetwork[] }>();
    for (const node of nodes) {
      for (const net of networksOf(node)) {
        const entry = networks.get(net.cidr.text);
        if (entry) entry.members.push(net);
        else networks.set(net.cidr.text, { cidr: net.cidr, members: [net] });
      }
    }
    for (const subnet of withCidrs) {
      for (const cidr of subnet.cidrs) {
        for (const [text, { cidr: network, members }] of networks) {
          if (!cidrsOverlap(cidr, network)) continue;
          // The subnet holds one of these very addresses: cidr-overlap reports that pair.
          if (members.some((m) => cidrContains(cidr, m.address))) continue;
          const owners = [...new Set(members.map((m) => m.node))];
          report(
            subnet.at,
            `${subnet.name} ${cidr.text} overlaps ${text}, the network of ${owners.length === 1 ? 'node' : `${owners.length} nodes:`} ${joinBounded(owners.map(nodeLabel))}: the cluster would route the rest of that network into itself, and its hosts would be unreachable. Choose a range the nodes' networks do not use.`,
            { related: members.slice(0, 10).map((m) => ({ at: m.at, message: `Node ${nodeLabel(m.node)} is in ${text}` })) },
          );
        }
        for (const network of hostNetworks) {
          if (!network.cidr || !cidrsOverlap(cidr, network.cidr)) continue;
          report(
            subnet.at,
            `${subnet.name} ${cidr.text} overlaps the network "${network.name}" (${network.value}) the nodes use: traffic to it would be routed into the cluster. Choose a range that network does not use.`,
            { related: [{ at: network.at, message: `Network "${network.name}"` }] },
          );
        }
        if (dockerHosts.length && cidrsOverlap(cidr, DOCKER_DEFAULT_BRIDGE)) {
          report(
            subnet.at,
            `${subnet.name} ${cidr.text} overlaps Docker's default bridge ${DOCKER_DEFAULT_BRIDGE.text}, and the nodes run Docker (${dockerHosts[0].description}): each node routes that range to docker0. Choose another range, or move the bridge with Docker's "bip" setting.`,
            { severity: 'warning', related: dockerHosts.slice(0, 3).map((d) => ({ at: d.at, message: d.description })) },
          );
        }
      }
    }
  },
};
