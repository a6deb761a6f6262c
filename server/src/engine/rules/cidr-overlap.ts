import type { Value } from '../core/located';
import { DOCS } from '../knowledge/docs';
import { cidrContains, cidrsOverlap, parseInterfaceAddress, type ParsedCidr } from '../knowledge/net/addresses';
import { parseSubnets } from '../knowledge/net/subnets';
import { nodeLabel, placeOf } from '../model/cluster';
import type { ConfigDocument } from '../sources/kubeadm/configDocument';
import { membersOf, type Rule } from './types';

function subnets(value: Value<string> | undefined): ParsedCidr[] {
  if (!value) return [];
  const parsed = parseSubnets(value.value);
  return parsed.ok ? parsed.cidrs : [];
}

/** The ClusterConfiguration's podSubnet and serviceSubnet with their parsed networks. */
function networks(doc: ConfigDocument) {
  return [
    { name: 'podSubnet', value: doc.facts.podSubnet, cidrs: subnets(doc.facts.podSubnet) },
    { name: 'serviceSubnet', value: doc.facts.serviceSubnet, cidrs: subnets(doc.facts.serviceSubnet) },
  ];
}

export const cidrOverlap: Rule = {
  meta: {
    id: 'cidr-overlap',
    severity: 'error',
    docs: DOCS.networking,
    title: "Pod and Service subnets overlap each other or the nodes' own addresses",
    description:
      "Pod IPs, Service IPs and node IPs must not share addresses: routes to one network would swallow the other, and kube-proxy or the CNI plugin would send node traffic into the cluster. Checked within each kubeadm ClusterConfiguration (podSubnet against serviceSubnet, reported on both values) and against the interface addresses of the nodes in the cluster's inventory (reported on the subnet value). Dual-stack pairs are compared family by family.",
    appliesTo: ['kubeadm'],
    example: {
      bad: 'networking:\n  podSubnet: 10.96.0.0/16\n  serviceSubnet: 10.96.0.0/12',
      good: 'networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12',
    },
  },
  checkDocument: {
    kubeadm(doc, report, at) {
      const [pods, services] = networks(doc);
      for (const p of pods.cidrs) {
        for (const s of services.cidrs) {
          if (!cidrsOverlap(p, s)) continue;
          report(
            at(pods.value!.range),
            `podSubnet ${p.text} overlaps serviceSubnet ${s.text}; Pod and Service addresses must be separate.`,
            {
              related: [{ at: at(services.value!.range), message: `serviceSubnet ${s.text}` }],
            },
          );
          report(
            at(services.value!.range),
            `serviceSubnet ${s.text} overlaps podSubnet ${p.text}; Pod and Service addresses must be separate.`,
            {
              related: [{ at: at(pods.value!.range), message: `podSubnet ${p.text}` }],
            },
          );
        }
      }
    },
  },
  checkCluster(cluster, report) {
    const clusterConfigs = membersOf(cluster, 'kubeadm').filter(
      ({ doc }) => doc.typeName === 'ClusterConfiguration' && networks(doc).some((n) => n.cidrs.length),
    );
    if (clusterConfigs.length === 0) return;
    const addresses = cluster.nodes.flatMap((node) =>
      (node.interfaces ?? []).flatMap((iface) => {
        const parsed = iface.address && parseInterfaceAddress(iface.address.value);
        return parsed && iface.address ? [{ node, parsed, at: placeOf(node, iface.address) }] : [];
      }),
    );
    for (const { uri, doc } of clusterConfigs) {
      for (const net of networks(doc)) {
        for (const cidr of net.cidrs) {
          const inside = addresses.filter((a) => cidrContains(cidr, a.parsed));
          if (inside.length === 0) continue;
          const shown = inside.slice(0, 3).map((a) => `${a.parsed.canonical} (node ${nodeLabel(a.node)})`);
          report(
            { origin: { uri, chunk: doc.chunk }, range: net.value!.range, owner: doc },
            `${net.name} ${cidr.text} contains ${inside.length === 1 ? 'the address' : `${inside.length} addresses`} of the cluster's nodes: ${shown.join(', ')}${inside.length > 3 ? ', …' : ''}; choose a range the nodes do not use.`,
            {
              related: inside
                .slice(0, 10)
                .map((a) => ({ at: a.at, message: `Node ${nodeLabel(a.node)} has ${a.parsed.canonical}` })),
            },
          );
        }
      }
    }
  },
};
