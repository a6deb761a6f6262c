import type { EffectivePort } from '../cluster/ports';
import type { Role } from '../kubernetes/ports';
import { formatPortRange } from '../net/portRange';
import type { PortRange } from '../kubernetes/ports';

/** "6443/TCP (Kubernetes API server)" — how messages name a component port. */
export function describePort(p: EffectivePort, range: PortRange = p.range): string {
  return `${formatPortRange(range)}/${p.port.protocol} (${p.port.purpose})`;
}

/** ", set by spec.apiServerPort" when the port is not the Kubernetes default. */
export function describeSource(p: EffectivePort): string {
  return p.source ? `; ${p.source.description} sets it` : '';
}

export function describeRoles(roles: readonly Role[]): string {
  return roles.length ? roles.join(', ') : 'no role';
}
