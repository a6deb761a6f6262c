import { parseCidr, type ParsedCidr } from './addresses';

export type SubnetsParse = { ok: true; cidrs: ParsedCidr[] } | { ok: false; problem: string };

/**
 * kubeadm's podSubnet/serviceSubnet: one CIDR, or a dual-stack pair "v4cidr,v6cidr" (at
 * most two, one per family).
 */
export function parseSubnets(text: string): SubnetsParse {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 2)
    return { ok: false, problem: `at most two subnets (one IPv4, one IPv6) are allowed, found ${parts.length}` };
  const cidrs: ParsedCidr[] = [];
  for (const part of parts) {
    const cidr = parseCidr(part);
    if (!cidr)
      return { ok: false, problem: `"${part}" is not a network in CIDR notation, such as 10.244.0.0/16 or fd00:10:244::/56` };
    cidrs.push(cidr);
  }
  if (cidrs.length === 2 && cidrs[0].family === cidrs[1].family)
    return { ok: false, problem: 'a dual-stack pair needs one IPv4 and one IPv6 subnet' };
  return { ok: true, cidrs };
}
