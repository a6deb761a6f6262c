import { DOCS } from '../knowledge/docs';
import { CNI_PLUGINS } from '../knowledge/cni';
import { nodeLabel, placeOf } from '../model/cluster';
import {
  clusterInterfaces,
  cniMtuInForce,
  describeOverhead,
  mtuBudget,
  underlayFamily,
  type MtuBudget,
  type NodeInterface,
} from '../model/mtu';
import type { Rule } from './types';
import { replacementData, replacementFixes } from './util/replace-fix';

/** Below this no plugin accepts an MTU (IPv4's minimum datagram a host must take): a fit this small is no fix. */
const SMALLEST_USEFUL_MTU = 576;

/** How messages name an interface: `eth1 of node "w-1"`. */
function interfaceLabel(entry: NodeInterface): string {
  const name = entry.facts.name?.value;
  return `${name ? `${name} of ` : 'the interface of '}node ${nodeLabel(entry.node)}`;
}

export const mtuOverlayOverhead: Rule = {
  meta: {
    id: 'mtu-overlay-overhead',
    severity: 'error',
    docs: DOCS.networkPlugins,
    title: "The network plugin's MTU plus its encapsulation does not fit a node's interface",
    description:
      "An overlay wraps every pod packet: VXLAN adds 50 bytes (70 over IPv6), IP-in-IP 20, Geneve at least 50, GRE 38, WireGuard 60 (80 over IPv6; for Calico, Canal and Antrea it replaces the tunnel, for Cilium it wraps it). When the plugin's configured MTU plus that overhead is larger than the MTU of an interface carrying traffic between nodes, small requests work and large ones hang (TLS handshakes, image pulls). Compared: the MTU setting in force (an installer's over the inventory's spec.cni.mtu: Kubespray's calico_veth_mtu, or calico_mtu alone, and cilium_mtu; k0s's network.calico.mtu, and network.kuberouter.mtu with autoMTU false) with the `mtu` of each node's interface that carries cluster traffic (its only addressed interface, or those in a network another node shares). Cilium's MTU is the network's own, so it must fit as it is. Unset MTUs are not checked: the plugins detect them. Clusters of one node are not checked (nothing is encapsulated). Reported on the MTU setting, naming the node, its interface MTU, the overhead and the largest MTU that fits; the quick-fix sets it.",
    appliesTo: ['inventory', 'kubespray', 'k0s', 'k0sctl'],
    example: {
      bad: 'cni: {plugin: calico, mode: vxlan, mtu: 1500}\n# a node: interfaces: [{name: eth1, mtu: 1450, ...}]',
      good: 'cni: {plugin: calico, mode: vxlan, mtu: 1400}',
    },
  },
  checkCluster(model, report) {
    const cni = model.settings.cni;
    const setting = cniMtuInForce(model);
    if (!cni || !setting || model.nodes.length < 2) return;
    const offenders: Array<{ entry: NodeInterface; mtu: number; budget: MtuBudget }> = [];
    let largest = Infinity;
    for (const entry of clusterInterfaces(model.nodes)) {
      if (!entry.mtu) continue;
      const budget = mtuBudget(cni, setting.value, entry.mtu.value, underlayFamily(entry));
      if (!budget) continue;
      largest = Math.min(largest, budget.largest);
      if (budget.onWire > entry.mtu.value) offenders.push({ entry, mtu: entry.mtu.value, budget });
    }
    if (!offenders.length) return;
    // The smallest interface is named; the others are counted and listed as related places.
    offenders.sort((a, b) => a.mtu - b.mtu);
    const worst = offenders[0];
    const plugin = CNI_PLUGINS[cni.choice.plugin];
    const what =
      plugin.mtu.setting === 'underlay'
        ? `${setting.name} ${setting.value} is the MTU of the network under ${plugin.label}, larger than`
        : worst.budget.overhead.parts.length === 0
          ? `${setting.name} ${setting.value} (${plugin.label} adds no encapsulation here) is larger than`
          : `${setting.name} ${setting.value} plus ${plugin.label}'s ${describeOverhead(worst.budget.overhead)} makes ${worst.budget.onWire}-byte packets, larger than`;
    const others = offenders.length > 1 ? ` and ${offenders.length - 1} other interface${offenders.length > 2 ? 's' : ''}` : '';
    const fits = largest >= SMALLEST_USEFUL_MTU;
    report(
      setting.at,
      `${what} the MTU ${worst.mtu} of ${interfaceLabel(worst.entry)}${others}: large packets between nodes are dropped while small ones pass. ${fits ? `The largest ${setting.name} that fits is ${largest}.` : 'No MTU the plugin accepts fits; raise the interface MTU.'}`,
      {
        related: offenders.slice(0, 10).map((o) => ({
          at: placeOf(o.entry.node, o.entry.mtu!),
          message: `${interfaceLabel(o.entry)}: MTU ${o.mtu}, fits ${o.budget.largest} with ${describeOverhead(o.budget.overhead)}`,
        })),
        data: fits ? replacementData(String(setting.value), String(largest)) : undefined,
      },
    );
  },
  fixes: (request) => replacementFixes(request, (r) => `Set the MTU to ${r.to}, the largest that fits`),
};
