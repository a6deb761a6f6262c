import { DOCS, FORMAT_DOCS } from '../knowledge/docs';
import { parseInterfaceAddress, type IpFamily } from '../knowledge/net/addresses';
import { parseCidr } from '../knowledge/net/addresses';
import type { Rule } from './types';

const NAME: Record<IpFamily, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

export const dualStackMismatch: Rule = {
  meta: {
    id: 'dual-stack-mismatch',
    severity: 'error',
    docs: DOCS.dualStack,
    title: 'An RKE2/K3s node lists address families in a different order in cluster-cidr, service-cidr and node-ip',
    description: `For dual-stack, cluster-cidr, service-cidr and node-ip must list the same families in the same order: the first one is the cluster's primary family, and a node whose node-ip starts with the other family (or lacks one) does not get pod and service addresses of both (RKE2 and K3s docs, dual-stack). Reported on the value whose families or order differ from cluster-cidr's. See ${FORMAT_DOCS.k3sConfiguration}.`,
    appliesTo: ['rke2'],
    example: {
      bad: 'cluster-cidr: 10.42.0.0/16,fd00:42::/56\nservice-cidr: 10.43.0.0/16,fd00:43::/112\nnode-ip: fd00::11,10.0.0.11',
      good: 'cluster-cidr: 10.42.0.0/16,fd00:42::/56\nservice-cidr: 10.43.0.0/16,fd00:43::/112\nnode-ip: 10.0.0.11,fd00::11',
    },
  },
  checkDocument: {
    rke2(doc, report, at) {
      const pods = doc.flags.get('cluster-cidr');
      if (!pods) return;
      const families = (name: string, parse: (text: string) => IpFamily | undefined) => {
        const values = doc.lists.get(name) ?? [];
        const list = values.map((v) => parse(v.value));
        return list.includes(undefined) ? undefined : (list as IpFamily[]);
      };
      const cidrFamily = (text: string) => parseCidr(text)?.family;
      const expected = families('cluster-cidr', cidrFamily);
      if (!expected?.length) return;
      for (const [name, parse] of [
        ['service-cidr', cidrFamily],
        ['node-ip', (text: string) => parseInterfaceAddress(text)?.family],
      ] as const) {
        const value = doc.flags.get(name);
        const actual = families(name, parse);
        if (!value || !actual?.length || actual.join() === expected.join()) continue;
        report(
          at(value.range),
          `${name} lists ${actual.map((f) => NAME[f]).join(', ')}, but cluster-cidr lists ${expected.map((f) => NAME[f]).join(', ')}: the families and their order must be the same (the first is the cluster's primary family).`,
          { related: [{ at: at(pods.range), message: `cluster-cidr: ${pods.value}` }] },
        );
      }
    },
  },
};
