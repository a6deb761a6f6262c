/**
 * Cluster settings: the component ports and ranges the cluster's files set, and the one place
 * where their precedence is applied. Installer configuration (kubeadm, kubelet and kube-proxy
 * configs today) decides over the inventory: it is what the machines will actually run with,
 * and config-mismatch tells the user when the inventory says otherwise.
 */
import type { Place } from '../core/located';
import { CNI_PLUGINS, cniRequirements, type CniChoice } from '../knowledge/cni';
import { DISTRIBUTIONS } from '../knowledge/distributions';
import type { ComponentPort, ComponentPortId, Distribution, PortRange } from '../knowledge/ports';
import { samePorts } from '../knowledge/net/portRange';

/** Where a cluster setting was written, so that messages and related locations can point at it. */
export interface SettingSource {
  /** Absent for a default that a configuration implies without writing it. */
  place?: Place;
  /** How messages in the same file name it: "spec.apiServerPort", "ClusterConfiguration apiServer.extraArgs secure-port in kubeadm.yaml". */
  description: string;
  /** How messages in other files name it, when that differs: "the inventory's spec.nodePortRange". */
  elsewhere?: string;
}

/** A component port as the cluster's installer configuration (kubeadm, kubelet, kube-proxy) sets it. */
export interface ConfiguredPort {
  id: ComponentPortId;
  range: PortRange;
  disabled: boolean;
  /** Absent when the configuration leaves the port at its default. */
  setting?: SettingSource;
  /** The key that sets it, to name the default side of a conflict. */
  key: string;
}

/** What the installer configuration says about component ports, with its own precedence already applied. */
export interface ConfiguredPorts {
  ports: ReadonlyMap<ComponentPortId, ConfiguredPort>;
  /** The configuration decides the API server port even at its default (kubeadm: an Init/ClusterConfiguration or control-plane join). */
  decidesApiServerPort: boolean;
  /** The configuration decides the NodePort range even at its default (kubeadm: a ClusterConfiguration). */
  decidesNodePortRange: boolean;
}

/** Who said it: installer configuration decides over the inventory. */
export type SettingTier = 'inventory' | 'installer';

/** One file's word on a component port. */
export interface PortSetting {
  id: ComponentPortId;
  range: PortRange;
  disabled?: boolean;
  source: SettingSource;
  tier: SettingTier;
  /**
   * The installer decides the port even at its default (kubeadm once its config exists): it
   * overrides a lower tier's value, and on its own changes nothing.
   */
  implied?: boolean;
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

/** One file's word on the cluster's network plugin. */
export interface CniSetting {
  choice: CniChoice;
  tier: SettingTier;
  /** Where the plugin is named ("spec.cni.plugin", "kube_network_plugin"). */
  source: SettingSource;
  /** Whether the mode was written; otherwise the plugin's (or the installer's) default applied. */
  modeWritten: boolean;
}

/** The cluster's network plugin and what it needs every node to admit. */
export interface EffectiveCni {
  choice: CniChoice;
  source: SettingSource;
  modeWritten: boolean;
  /** The ports and IP protocols it needs, in its mode; moved ports carry the plugin's source. */
  ports: readonly EffectivePort[];
}

/** One file's word on who installs the cluster. */
export interface DistributionSetting {
  distribution: Distribution;
  tier: SettingTier;
  /** Where it is said ("spec.distribution"), or what implies it ("an RKE2 node config"). */
  source: SettingSource;
  /** K3s's `embedded-registry: true` (Spegel): its ports join every node's requirements. */
  embeddedRegistry?: boolean;
}

/** Whose table of ports applies, and the configuration that adds rows to it. */
export interface EffectiveDistribution {
  id: Distribution;
  /** Absent for kubeadm's table when no file names a distribution. */
  source?: SettingSource;
  embeddedRegistry: boolean;
}

export const DEFAULT_DISTRIBUTION: EffectiveDistribution = { id: 'kubeadm', embeddedRegistry: false };

export interface EffectiveSettings {
  /** Whose table the ports below come from. */
  distribution: EffectiveDistribution;
  /** The ports nodes need and bind. */
  ports: ClusterPorts;
  /** Changes exactly when a port's range, state or source (named in messages) changes. */
  portsKey: string;
  /** The NodePort range the API server enforces for Services; `source` only when it is not the default. */
  nodePortRange: { range: PortRange; source?: SettingSource };
  /** The installer's own view of its components' ports (for conflicts between them). */
  configured?: ConfiguredPorts;
  /** The network plugin some file names, else the distribution's default; absent when neither (kubeadm: no CNI port is required). */
  cni?: EffectiveCni;
}

/** The defaults from the distribution's port table, with the given overrides. */
export function clusterPorts(
  overrides: ReadonlyMap<ComponentPortId, Omit<PortSetting, 'id' | 'tier'>> = new Map(),
  distribution: EffectiveDistribution = DEFAULT_DISTRIBUTION,
): ClusterPorts {
  const ports = new Map<ComponentPortId, EffectivePort>();
  for (const port of DISTRIBUTIONS[distribution.id].ports) {
    if (port.onlyWith === 'embedded-registry' && !distribution.embeddedRegistry) continue;
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

export function portsKey(ports: ClusterPorts): string {
  let key = '';
  for (const [id, p] of ports)
    key += `${id}=${p.disabled ? 'off' : `${p.range.low}-${p.range.high}`}${p.source ? `@${p.source.description}` : ''};`;
  return key;
}

/**
 * Applies precedence: an installer's explicit value wins; an installer's implied default
 * replaces an inventory value; otherwise the inventory's value; otherwise the Kubernetes
 * default. The first setting of a tier wins (contributors add them in their own precedence).
 */
export function resolveSettings(
  settings: readonly PortSetting[],
  configured?: ConfiguredPorts,
  cniSettings: readonly CniSetting[] = [],
  distributionSettings: readonly DistributionSetting[] = [],
  /** The pod network has IPv6: WireGuard needs its IPv6 port too. */
  ipv6 = false,
): EffectiveSettings {
  const chosen = new Map<ComponentPortId, PortSetting>();
  const first = (pick: (s: PortSetting) => boolean, replace: (id: ComponentPortId) => boolean) => {
    const seen = new Set<ComponentPortId>();
    for (const s of settings) {
      if (!pick(s) || seen.has(s.id)) continue;
      seen.add(s.id);
      if (replace(s.id)) chosen.set(s.id, s);
    }
  };
  first(
    (s) => s.tier === 'inventory',
    () => true,
  );
  first(
    (s) => s.tier === 'installer' && !!s.implied,
    (id) => chosen.has(id),
  );
  first(
    (s) => s.tier === 'installer' && !s.implied,
    () => true,
  );
  const distribution = resolveDistribution(distributionSettings);
  const ports = clusterPorts(chosen, distribution);
  const nodePorts = ports.get('nodeport-services')!;
  // A range equal to the default is not named in messages, as for every other setting.
  const nodePortRange = samePorts(nodePorts.range, nodePorts.port.defaultPorts)
    ? { range: nodePorts.range }
    : { range: nodePorts.range, source: nodePorts.source };
  const cni = resolveCni(cniSettings, distribution.id, ipv6);
  const key = `dist=${distribution.id}${distribution.embeddedRegistry ? '+registry' : ''};${portsKey(ports)}${cni ? cniKey(cni) : ''}`;
  return { distribution, ports, portsKey: key, nodePortRange, configured, cni };
}

/** The installer's word wins over the inventory's: its files are what the machines run. Any server's embedded registry turns it on. */
function resolveDistribution(settings: readonly DistributionSetting[]): EffectiveDistribution {
  const chosen = settings.find((s) => s.tier === 'installer') ?? settings.find((s) => s.tier === 'inventory');
  if (!chosen) return DEFAULT_DISTRIBUTION;
  const embeddedRegistry = settings.some((s) => s.distribution === chosen.distribution && s.embeddedRegistry);
  return { id: chosen.distribution, source: chosen.source, embeddedRegistry };
}

/**
 * The installer's plugin wins over the inventory's: it is what the installer deploys. With no
 * file naming one, the plugin the distribution deploys by default (none under kubeadm).
 */
function resolveCni(settings: readonly CniSetting[], distribution: Distribution, ipv6: boolean): EffectiveCni | undefined {
  const fallback = DISTRIBUTIONS[distribution].defaultCni;
  const chosen =
    settings.find((s) => s.tier === 'installer') ??
    settings.find((s) => s.tier === 'inventory') ??
    (fallback && { choice: fallback.choice, source: { description: fallback.description }, modeWritten: false });
  if (!chosen) return undefined;
  const choice = chosen.choice.ipv6 === undefined && ipv6 ? { ...chosen.choice, ipv6 } : chosen.choice;
  const ports = cniRequirements(choice, distribution, DISTRIBUTIONS[distribution].cniOn).map(({ port, range }) => ({
    port,
    range,
    source: range.low !== port.defaultPorts.low || range.high !== port.defaultPorts.high ? chosen.source : undefined,
    disabled: false,
  }));
  return { choice, source: chosen.source, modeWritten: chosen.modeWritten, ports };
}

function cniKey(cni: EffectiveCni): string {
  const { plugin, mode, wireguard, ipv6 } = cni.choice;
  return `cni=${plugin}/${mode ?? CNI_PLUGINS[plugin].defaultMode}/${wireguard ? 'wg' : ''}${ipv6 ? '6' : ''}@${cni.source.description}:${cni.ports.map((p) => `${p.port.id}=${p.range.low}`).join(',')};`;
}

export const NO_SETTINGS: EffectiveSettings = resolveSettings([]);
