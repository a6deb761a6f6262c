import { DOCS } from '../knowledge/docs';
import { parseMac } from '../knowledge/net/mac';
import { placeOf } from '../model/cluster';
import type { Rule } from './types';

export const invalidMac: Rule = {
  meta: {
    id: 'invalid-mac',
    severity: 'error',
    docs: DOCS.uniqueMac,
    title: 'A MAC address cannot be parsed, or is not a unicast address',
    description:
      "Accepted notations: 52:54:00:12:34:56, 52-54-00-12-34-56 and 5254.0012.3456, in any case (what Go's net.ParseMAC accepts). Group addresses (the least significant bit of the first octet set: multicast, broadcast) and the all-zero address are never an interface's own address.",
    appliesTo: ['inventory'],
    example: { bad: 'mac: "01:00:5e:00:00:01"', good: 'mac: "52:54:00:00:00:01"' },
  },
  checkNode(node, _ctx, report) {
    for (const iface of node.interfaces ?? []) {
      if (!iface.mac || iface.macKey) continue; // macKey is set exactly when the MAC parsed
      const parsed = parseMac(iface.mac.value);
      if (!parsed.ok) report(placeOf(node, iface.mac), `Invalid MAC address: ${parsed.problem}.`);
    }
  },
};
