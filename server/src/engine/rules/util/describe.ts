import type { PortRange, Role } from '../../knowledge/ports';
import { formatPortRange, samePorts } from '../../knowledge/net/portRange';
import type { EffectivePort } from '../../model/settings';

/** "6443/TCP (Kubernetes API server)" — how messages name a component port. */
export function describePort(p: EffectivePort, range: PortRange = p.range): string {
  return `${formatPortRange(range)}/${p.port.protocol} (${p.port.purpose})`;
}

/** "; spec.apiServerPort sets it" when a setting moved the port away from the Kubernetes default. */
export function describeSource(p: EffectivePort): string {
  return p.source && !samePorts(p.range, p.port.defaultPorts) ? `; ${p.source.description} sets it` : '';
}

export function describeRoles(roles: readonly Role[]): string {
  return roles.length ? roles.join(', ') : 'no role';
}
