import type { ClusterMember } from '../cluster/settings';
import { componentPort, type ComponentPortId, type PortRange } from '../kubernetes/ports';
import type { Value } from '../inventory/model';
import { portOfBindAddress, portsOfUrls } from '../net/endpoints';
import { parsePortRange } from '../net/portRange';
import { shiftRange, type Range } from '../text/positions';
import type { ConfigDocument } from './configDocument';

/** Where a configuration value was written (absolute range). */
export interface ConfigSetting {
  uri: string;
  range: Range;
  /** "ClusterConfiguration apiServer.extraArgs secure-port in kubeadm.yaml" */
  description: string;
}

/** A component port as the cluster's kubeadm, kubelet and kube-proxy configs set it. */
export interface ConfiguredPort {
  id: ComponentPortId;
  range: PortRange;
  disabled: boolean;
  /** Absent when the configs leave the port at its default. */
  setting?: ConfigSetting;
  /** The key that sets it, to name the default side of a conflict. */
  key: string;
}

/** What the cluster's configuration documents say about ports. */
export interface ConfiguredPorts {
  ports: Map<ComponentPortId, ConfiguredPort>;
  /** An InitConfiguration, ClusterConfiguration or control-plane JoinConfiguration exists: kubeadm decides the API server port. */
  kubeadmControlPlane: boolean;
  /** A ClusterConfiguration exists: kubeadm decides the NodePort range. */
  clusterConfiguration: boolean;
  /** etcd.external: the control plane runs no etcd. */
  externalEtcd: boolean;
  /** The service-node-port-range value, even when it does not parse (for invalid-port-range). */
  nodePortRangeArg?: ConfigSetting & { value: string };
}

export function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/**
 * The component ports a cluster's configs set, by kubeadm's precedence: extraArgs override
 * kubeadm's own flags (so apiServer secure-port beats localAPIEndpoint.bindPort).
 */
export function configuredPorts(configs: ReadonlyArray<ClusterMember<ConfigDocument>>): ConfiguredPorts {
  const live = configs.filter(({ doc }) => doc.api && doc.api.status !== 'removed');
  const ports = new Map<ComponentPortId, ConfiguredPort>();
  const setting = (uri: string, doc: ConfigDocument, value: Value<unknown>, what: string): ConfigSetting => ({
    uri,
    range: shiftRange(value.range, doc.chunk.startLine),
    description: `${doc.typeName} ${what} in ${fileName(uri)}`,
  });
  const set = (id: ComponentPortId, key: string, port: number | undefined, at: ConfigSetting | undefined, disabled = false) => {
    if (ports.get(id)?.setting) return; // the first explicit setting wins
    const range = port === undefined ? componentPort(id).defaultPorts : { low: port, high: port };
    ports.set(id, { id, range, disabled, setting: at, key });
  };
  const byKind = (kind: string) => live.filter(({ doc }) => doc.typeName === kind);
  let externalEtcd = false;
  let nodePortRangeArg: ConfiguredPorts['nodePortRangeArg'];

  for (const { uri, doc } of byKind('ClusterConfiguration')) {
    const f = doc.facts;
    externalEtcd ||= f.externalEtcd;
    const securePort = (id: ComponentPortId, args: typeof f.apiServerArgs, component: string) => {
      const arg = args.get('secure-port');
      const port = arg && Number(arg.value);
      if (arg && Number.isInteger(port))
        set(
          id,
          `${component}.extraArgs secure-port`,
          port || undefined,
          setting(uri, doc, arg, `${component}.extraArgs secure-port`),
          port === 0,
        );
    };
    securePort('kube-apiserver', f.apiServerArgs, 'apiServer');
    securePort('kube-scheduler', f.schedulerArgs, 'scheduler');
    securePort('kube-controller-manager', f.controllerManagerArgs, 'controllerManager');
    for (const [id, flag] of [
      ['etcd-client', 'listen-client-urls'],
      ['etcd-peer', 'listen-peer-urls'],
      ['etcd-metrics', 'listen-metrics-urls'],
    ] as const) {
      const arg = f.etcdArgs.get(flag);
      const port = arg && portsOfUrls(arg.value)?.[0];
      if (arg && port) set(id, `etcd.local.extraArgs ${flag}`, port, setting(uri, doc, arg, `etcd.local.extraArgs ${flag}`));
    }
    const range = f.apiServerArgs.get('service-node-port-range');
    if (range && !nodePortRangeArg) {
      nodePortRangeArg = { ...setting(uri, doc, range, 'apiServer.extraArgs service-node-port-range'), value: range.value };
      const parsed = parsePortRange(range.value);
      if (parsed.ok)
        ports.set('nodeport-services', {
          id: 'nodeport-services',
          range: parsed.range,
          disabled: false,
          setting: nodePortRangeArg,
          key: 'apiServer.extraArgs service-node-port-range',
        });
    }
  }
  for (const kind of ['InitConfiguration', 'JoinConfiguration']) {
    for (const { uri, doc } of byKind(kind)) {
      const bindPort = doc.facts.bindPort;
      if (bindPort)
        set(
          'kube-apiserver',
          'localAPIEndpoint.bindPort',
          bindPort.value,
          setting(
            uri,
            doc,
            bindPort,
            kind === 'JoinConfiguration' ? 'controlPlane.localAPIEndpoint.bindPort' : 'localAPIEndpoint.bindPort',
          ),
        );
    }
  }
  for (const { uri, doc } of byKind('KubeletConfiguration')) {
    const f = doc.facts;
    if (f.kubeletPort) set('kubelet', 'KubeletConfiguration port', f.kubeletPort.value, setting(uri, doc, f.kubeletPort, 'port'));
    if (f.kubeletHealthzPort)
      set(
        'kubelet-healthz',
        'KubeletConfiguration healthzPort',
        f.kubeletHealthzPort.value || undefined,
        setting(uri, doc, f.kubeletHealthzPort, 'healthzPort'),
        f.kubeletHealthzPort.value === 0,
      );
    if (f.kubeletReadOnlyPort)
      set(
        'kubelet-read-only',
        'KubeletConfiguration readOnlyPort',
        f.kubeletReadOnlyPort.value || undefined,
        setting(uri, doc, f.kubeletReadOnlyPort, 'readOnlyPort'),
        f.kubeletReadOnlyPort.value === 0,
      );
  }
  for (const { uri, doc } of byKind('KubeProxyConfiguration')) {
    const f = doc.facts;
    for (const [id, address, key] of [
      ['kube-proxy-healthz', f.proxyHealthzBindAddress, 'healthzBindAddress'],
      ['kube-proxy-metrics', f.proxyMetricsBindAddress, 'metricsBindAddress'],
    ] as const) {
      if (!address) continue;
      const port = portOfBindAddress(address.value);
      if (address.value.trim() === '' || port !== undefined)
        set(id, `KubeProxyConfiguration ${key}`, port, setting(uri, doc, address, key), address.value.trim() === '');
    }
  }
  const keys: Record<ComponentPortId, string> = {
    'kube-apiserver': 'localAPIEndpoint.bindPort',
    'kube-scheduler': 'scheduler.extraArgs secure-port',
    'kube-controller-manager': 'controllerManager.extraArgs secure-port',
    'etcd-client': 'etcd.local.extraArgs listen-client-urls',
    'etcd-peer': 'etcd.local.extraArgs listen-peer-urls',
    'etcd-metrics': 'etcd.local.extraArgs listen-metrics-urls',
    kubelet: 'KubeletConfiguration port',
    'kubelet-healthz': 'KubeletConfiguration healthzPort',
    'kubelet-read-only': 'KubeletConfiguration readOnlyPort',
    'kube-proxy-healthz': 'KubeProxyConfiguration healthzBindAddress',
    'kube-proxy-metrics': 'KubeProxyConfiguration metricsBindAddress',
    'nodeport-services': 'apiServer.extraArgs service-node-port-range',
  };
  for (const [id, key] of Object.entries(keys) as Array<[ComponentPortId, string]>) {
    if (!ports.has(id))
      ports.set(id, { id, range: componentPort(id).defaultPorts, disabled: componentPort(id).disabledByDefault ?? false, key });
  }
  if (externalEtcd) for (const id of ['etcd-client', 'etcd-peer', 'etcd-metrics'] as const) ports.get(id)!.disabled = true;

  const clusterConfiguration = byKind('ClusterConfiguration').length > 0;
  const kubeadmControlPlane =
    clusterConfiguration ||
    byKind('InitConfiguration').length > 0 ||
    byKind('JoinConfiguration').some(({ doc }) => doc.facts.joinControlPlane !== undefined);
  return { ports, kubeadmControlPlane, clusterConfiguration, externalEtcd, nodePortRangeArg };
}
