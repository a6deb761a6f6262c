import type { ConfigDocument } from '../kubeadm/configDocument';
import { configuredPorts, type ConfiguredPorts } from '../kubeadm/componentPorts';
import { DEFAULT_NODEPORT_RANGE, componentPort, type ComponentPortId, type PortRange } from '../kubernetes/ports';
import { parsePortRange, samePorts } from '../net/portRange';
import { shiftRange } from '../text/positions';
import type { InventoryDocument } from '../inventory/inventoryDocument';
import type { PortOverride, SettingSource } from './ports';

/** What one cluster's files say about settings that other files' checks depend on. */
export interface ClusterSettings {
  /** Component ports the kubeadm, kubelet and kube-proxy configs set explicitly; they replace inventory values and defaults. */
  portOverrides: ReadonlyMap<ComponentPortId, PortOverride>;
  /**
   * Ports a kubeadm config decides even at their default (the API server port once there is
   * an Init/ClusterConfiguration, the NodePort range once there is a ClusterConfiguration):
   * an inventory value that differs is overridden, and config-mismatch reports it.
   */
  kubeadmDefaults: ReadonlyMap<ComponentPortId, PortOverride>;
  /** The NodePort range Services are checked against. */
  nodePortRange: { range: PortRange; source?: SettingSource };
  configured: ConfiguredPorts;
}

export interface ClusterMember<T> {
  uri: string;
  doc: T;
}

export const NO_CLUSTER_SETTINGS: ClusterSettings = clusterSettings([], []);

export function clusterSettings(
  inventories: ReadonlyArray<ClusterMember<InventoryDocument>>,
  configs: ReadonlyArray<ClusterMember<ConfigDocument>>,
): ClusterSettings {
  const configured = configuredPorts(configs);
  const portOverrides = new Map<ComponentPortId, PortOverride>();
  for (const p of configured.ports.values()) {
    if (p.setting) portOverrides.set(p.id, { range: p.range, disabled: p.disabled, source: p.setting });
  }
  const kubeadmDefaults = new Map<ComponentPortId, PortOverride>();
  const implied = (id: ComponentPortId, key: string) =>
    kubeadmDefaults.set(id, {
      range: componentPort(id).defaultPorts,
      source: { description: `kubeadm's default (the kubeadm config sets no ${key})` },
    });
  if (configured.kubeadmControlPlane && !portOverrides.has('kube-apiserver'))
    implied('kube-apiserver', 'localAPIEndpoint.bindPort');
  if (configured.clusterConfiguration && !portOverrides.has('nodeport-services'))
    implied('nodeport-services', 'service-node-port-range');
  return { portOverrides, kubeadmDefaults, nodePortRange: nodePortRangeInForce(inventories, configured), configured };
}

/**
 * The range the API server enforces: kubeadm's service-node-port-range; kubeadm's default
 * once there is a ClusterConfiguration; else the inventory's nodePortRange; else the default.
 */
function nodePortRangeInForce(
  inventories: ReadonlyArray<ClusterMember<InventoryDocument>>,
  configured: ConfiguredPorts,
): ClusterSettings['nodePortRange'] {
  const fromKubeadm = configured.ports.get('nodeport-services');
  // A setting equal to the default is not named in messages, as for every other port.
  if (fromKubeadm?.setting && !samePorts(fromKubeadm.range, DEFAULT_NODEPORT_RANGE))
    return { range: fromKubeadm.range, source: fromKubeadm.setting };
  if (configured.clusterConfiguration) return { range: DEFAULT_NODEPORT_RANGE };
  for (const { uri, doc } of inventories) {
    const setting = doc.head.nodePortRange;
    const parsed = setting && parsePortRange(setting.value);
    if (!setting || !parsed?.ok || samePorts(parsed.range, DEFAULT_NODEPORT_RANGE)) continue;
    return {
      range: parsed.range,
      source: {
        uri,
        range: shiftRange(setting.range, doc.head.chunk.startLine),
        description: "the inventory's spec.nodePortRange",
      },
    };
  }
  return { range: DEFAULT_NODEPORT_RANGE };
}
