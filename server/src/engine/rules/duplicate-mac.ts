import { DOCS } from '../knowledge/docs';
import { nodeLabel } from '../model/cluster';
import type { Rule } from './types';
import { joinBounded } from './util/bounded-group';
import { reportValuesSharedByNodes } from './util/shared-interface-values';

export const duplicateMac: Rule = {
  meta: {
    id: 'duplicate-mac',
    severity: 'error',
    docs: DOCS.uniqueMac,
    title: 'The same MAC address is on two different nodes',
    description:
      "kubeadm requires a unique MAC address (and product_uuid) on every node; cloned virtual machines often keep their template's MAC, and the install fails or nodes fight over addresses. MACs are compared after normalising notation and case. The same MAC on two interfaces of one node (a bond and its VLANs) is fine. Reported on every occurrence, each pointing at the other nodes.",
    appliesTo: ['inventory'],
    example: {
      bad: 'cp-1 eth0 mac: "52:54:00:aa:bb:01"\nworker-1 eth0 mac: 52-54-00-AA-BB-01',
      good: 'give each VM its own MAC',
    },
  },
  checkNodes: {
    reads: ['macs', 'hostname'],
    check(view, report) {
      reportValuesSharedByNodes(
        view,
        report,
        (iface) => (iface.mac && iface.macKey ? { key: iface.macKey, value: iface.mac } : undefined),
        (mac, owners) =>
          `MAC address ${mac} is on ${owners.length} nodes (${joinBounded(owners.map(nodeLabel))}); every node needs its own MAC address.`,
        (other) => `Same MAC on node ${nodeLabel(other)}`,
      );
    },
  },
};
