import { DOCS } from '../knowledge/docs';
import { isStrictIp, parseCidr } from '../knowledge/net/addresses';
import { parseHostPort } from '../knowledge/net/endpoints';
import { parseSubnets } from '../knowledge/net/subnets';
import { placeOf } from '../model/cluster';
import type { Rule } from './types';

export const invalidAddress: Rule = {
  meta: {
    id: 'invalid-address',
    severity: 'error',
    docs: DOCS.networking,
    title:
      'An address is not an IPv4/IPv6 address (with optional /prefix), or a kubeadm address, endpoint or subnet is malformed',
    description:
      'Interface addresses must be IPv4 or IPv6 addresses, optionally with a prefix length (192.168.1.11/24, fd00::11/64). IPv4 is dotted decimal without leading zeros, as Kubernetes parses it. In kubeadm configs: advertiseAddress must be an IP, controlPlaneEndpoint and apiServerEndpoint must be host[:port], and podSubnet/serviceSubnet must be CIDRs (a dual-stack pair is written "v4cidr,v6cidr"). The inventory\'s spec.networks must be CIDRs.',
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'rke2'],
    example: { bad: 'address: 192.168.1.300/24', good: 'address: 192.168.1.30/24' },
  },
  checkNode(node, _ctx, report) {
    for (const iface of node.interfaces ?? []) {
      // addressKey is set exactly when the address parsed.
      if (iface.address && !iface.addressKey) {
        report(
          placeOf(node, iface.address),
          `"${iface.address.value}" is not an IPv4 or IPv6 address (optionally with /prefix).`,
        );
      }
    }
  },
  checkDocument: {
    // spec.networks: a network the nodes use is compared with the pod and Service subnets only when it parses.
    inventory({ head }, report, at) {
      for (const network of head.networks) {
        if (!parseCidr(network.cidr.value))
          report(
            at(network.cidr.range),
            `"${network.cidr.value}" is not a network in CIDR notation, such as 10.8.0.0/16 or fd00:8::/64.`,
          );
      }
    },
    kubeadm({ facts }, report, at) {
      if (facts.advertiseAddress && facts.advertiseAddress.value !== '' && !isStrictIp(facts.advertiseAddress.value.trim())) {
        report(
          at(facts.advertiseAddress.range),
          `advertiseAddress "${facts.advertiseAddress.value}" is not an IP address; kubeadm needs the IP this API server advertises, without a prefix.`,
        );
      }
      for (const [endpoint, name, portRequired] of [
        [facts.controlPlaneEndpoint, 'controlPlaneEndpoint', false],
        [facts.apiServerEndpoint, 'discovery.bootstrapToken.apiServerEndpoint', true],
      ] as const) {
        if (!endpoint || endpoint.value === '') continue;
        const parsed = parseHostPort(endpoint.value, portRequired);
        if (!parsed.ok)
          report(
            at(endpoint.range),
            `${name} "${endpoint.value}" is not host${portRequired ? ':port' : '[:port]'}: ${parsed.problem}.`,
          );
      }
      for (const [subnet, name] of [
        [facts.podSubnet, 'networking.podSubnet'],
        [facts.serviceSubnet, 'networking.serviceSubnet'],
      ] as const) {
        if (!subnet || subnet.value === '') continue;
        const parsed = parseSubnets(subnet.value);
        if (!parsed.ok) report(at(subnet.range), `${name} "${subnet.value}": ${parsed.problem}.`);
      }
    },
  },
};
