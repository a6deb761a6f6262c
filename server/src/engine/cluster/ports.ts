import { KUBERNETES_PORTS, type ComponentPort, type ComponentPortId, type PortRange } from '../kubernetes/ports';
import type { Range } from '../text/positions';

/** Where a cluster setting was written, so messages and related locations can point at it. */
export interface SettingSource {
  /** Absent for the file being checked. */
  uri?: string;
  /** Absent for a default that a configuration implies without writing it. */
  range?: Range;
  /** e.g. "spec.apiServerPort in the inventory" or "ClusterConfiguration apiServer.extraArgs secure-port". */
  description: string;
}

/** A Kubernetes component port as this cluster configures it. */
export interface EffectivePort {
  port: ComponentPort;
  range: PortRange;
  /** Absent when the port is at its Kubernetes default. */
  source?: SettingSource;
  /** Turned off (kubelet readOnlyPort 0, scheduler secure-port 0...). */
  disabled: boolean;
}

export type ClusterPorts = ReadonlyMap<ComponentPortId, EffectivePort>;

export interface PortOverride {
  range: PortRange;
  source?: SettingSource;
  disabled?: boolean;
}

/** The defaults from the port table, with the overrides the cluster's files make. */
export function clusterPorts(overrides: ReadonlyMap<ComponentPortId, PortOverride> = new Map()): ClusterPorts {
  const ports = new Map<ComponentPortId, EffectivePort>();
  for (const port of KUBERNETES_PORTS) {
    const override = overrides.get(port.id);
    ports.set(port.id, {
      port,
      range: override?.range ?? port.defaultPorts,
      source: override?.source,
      disabled: override ? (override.disabled ?? false) : (port.disabledByDefault ?? false),
    });
  }
  return ports;
}

/** A stable text for cache keys: changes exactly when a port's range, state or source (named in messages) changes. */
export function portsKey(ports: ClusterPorts): string {
  let key = '';
  for (const [id, p] of ports)
    key += `${id}=${p.disabled ? 'off' : `${p.range.low}-${p.range.high}`}${p.source ? `@${p.source.description}` : ''};`;
  return key;
}
