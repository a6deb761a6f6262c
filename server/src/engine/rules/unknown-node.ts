import type { Place } from '../core/located';
import type { Range } from '../core/text/positions';
import { fileName } from '../core/uris';
import { DOCS } from '../knowledge/docs';
import { parseInterfaceAddress } from '../knowledge/net/addresses';
import { membersOf, type Rule } from './types';

export const unknownNode: Rule = {
  meta: {
    id: 'unknown-node',
    severity: 'warning',
    docs: DOCS.kubeadmInit,
    title: 'A kubeadm node name or advertise address matches no node of the inventory',
    description:
      "nodeRegistration.name should be the hostname of a node in the cluster's inventory, and localAPIEndpoint.advertiseAddress (controlPlane.localAPIEndpoint for a join) one of that node's interface addresses: otherwise kubeadm sets up a machine the inventory does not describe, and the firewall checks do not cover it. Hostnames compare case-insensitively, addresses without prefix. Only checked when the cluster has an inventory.",
    appliesTo: ['kubeadm'],
    example: { bad: 'nodeRegistration:\n  name: cp-01', good: 'nodeRegistration:\n  name: cp-1' },
  },
  checkCluster(cluster, report) {
    const nodeConfigs = membersOf(cluster, 'kubeadm').filter(
      ({ doc }) =>
        (doc.typeName === 'InitConfiguration' || doc.typeName === 'JoinConfiguration') &&
        (doc.facts.nodeName || doc.facts.advertiseAddress),
    );
    if (cluster.rosters.length === 0 || nodeConfigs.length === 0) return;
    const hostnames = new Set<string>();
    const addresses = new Set<string>();
    for (const node of cluster.nodes) {
      if (node.hostname) hostnames.add(node.hostname.value.toLowerCase());
      for (const iface of node.interfaces ?? []) if (iface.addressKey) addresses.add(iface.addressKey);
    }
    const inventoryName = fileName(cluster.rosters[0].uri);
    for (const { uri, doc } of nodeConfigs) {
      const at = (range: Range): Place => ({ origin: { uri, chunk: doc.chunk }, range, owner: doc });
      const { nodeName, advertiseAddress } = doc.facts;
      if (nodeName && nodeName.value && !hostnames.has(nodeName.value.toLowerCase())) {
        report(
          at(nodeName.range),
          `nodeRegistration.name "${nodeName.value}" matches no node of the inventory (${inventoryName}).`,
        );
      }
      const parsed = advertiseAddress && parseInterfaceAddress(advertiseAddress.value.trim());
      if (advertiseAddress && parsed && parsed.prefix === undefined && !addresses.has(parsed.canonical)) {
        report(
          at(advertiseAddress.range),
          `advertiseAddress ${advertiseAddress.value} is no interface address of a node in the inventory (${inventoryName}).`,
        );
      }
    }
  },
};
