import { DOCS } from '../knowledge/docs';
import { nodeLabel, placeOf } from '../model/cluster';
import type { Rule } from './types';

export const missingAddress: Rule = {
  meta: {
    id: 'missing-address',
    severity: 'error',
    docs: DOCS.networking,
    title: 'A network interface has no address',
    description:
      "Every interface needs an IP address. Reported on the interface's `name` value (or on the interface when it has no name).",
    appliesTo: ['inventory'],
    example: {
      bad: '- name: eth0\n  mac: "52:54:00:aa:bb:01"',
      good: '- name: eth0\n  mac: "52:54:00:aa:bb:01"\n  address: 192.168.1.11/24',
    },
  },
  checkNode(node, _ctx, report) {
    for (const iface of node.interfaces ?? []) {
      if (iface.hasAddress) continue;
      const what = iface.name ? `Interface "${iface.name.value}"` : 'An interface';
      report(
        placeOf(node, iface.name ?? iface.itemRange),
        `${what} of node ${nodeLabel(node)} has no address; every interface needs an IP address.`,
      );
    }
  },
};
