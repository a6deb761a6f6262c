import { DEFAULT_NODEPORT_RANGE, type ComponentPortId, type PortRange } from '../kubernetes/ports';
import { parsePortRange, samePorts } from '../net/portRange';
import { shiftRange } from '../text/positions';
import type { InventoryDocument } from '../inventory/inventoryDocument';
import type { PortOverride, SettingSource } from './ports';

/** What one cluster's files say about settings that other files' checks depend on. */
export interface ClusterSettings {
  /** Component ports set by kubeadm/kubelet/kube-proxy configs; they replace the defaults in inventories. */
  portOverrides: ReadonlyMap<ComponentPortId, PortOverride>;
  /** The NodePort range Services are checked against. */
  nodePortRange: { range: PortRange; source?: SettingSource };
}

export interface ClusterMember<T> {
  uri: string;
  doc: T;
}

/**
 * Settings of a cluster. The NodePort range in force is the inventory's nodePortRange
 * when one is set, else Kubernetes' default.
 */
export function clusterSettings(inventories: readonly ClusterMember<InventoryDocument>[]): ClusterSettings {
  let nodePortRange: ClusterSettings['nodePortRange'] = { range: DEFAULT_NODEPORT_RANGE };
  for (const { uri, doc } of inventories) {
    const setting = doc.head.head.nodePortRange;
    if (!setting) continue;
    const parsed = parsePortRange(setting.value);
    if (!parsed.ok || samePorts(parsed.range, DEFAULT_NODEPORT_RANGE)) continue;
    nodePortRange = {
      range: parsed.range,
      source: { uri, range: shiftRange(setting.range, doc.head.head.chunk.startLine), description: 'the inventory\'s spec.nodePortRange' },
    };
    break;
  }
  return { portOverrides: new Map(), nodePortRange };
}
