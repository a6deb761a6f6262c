import { formatTransport, type PortRange, type Role } from '../../knowledge/ports';
import { samePorts } from '../../knowledge/net/portRange';
import type { EffectivePort } from '../../model/settings';

/** "6443/TCP (Kubernetes API server)", "IP protocol 4 (IPIP) (Calico IP-in-IP encapsulation)" — how messages name a requirement. */
export function describePort(p: EffectivePort, range: PortRange = p.range): string {
  return `${formatTransport(range, p.port.protocol)} (${p.port.purpose})`;
}

/** "; spec.apiServerPort sets it" when a setting moved the port away from the Kubernetes default. */
export function describeSource(p: EffectivePort): string {
  return p.source && !samePorts(p.range, p.port.defaultPorts) ? `; ${p.source.description} sets it` : '';
}

export function describeRoles(roles: readonly Role[]): string {
  return roles.length ? roles.join(', ') : 'no role';
}
